// The report's fixed text in every language it is printed in. These are the engineers'
// drafts (docs/report.md): a native speaker should review the Arabic, Hebrew and Russian
// before a report goes to a reader who depends on them. Names from the arrangement
// (zones, rules, actors) are not translated here: the arrangement gives them in its own
// language, and the report shows them as written.
import type { Confidence } from '../arrangement/evidence.ts';
import type { RuleKind } from '../arrangement/types.ts';
import type { FindingKind, FindingState } from '../monitor/findings.ts';

export const LANGS = ['en', 'ar', 'he', 'ru'] as const;
export type Lang = (typeof LANGS)[number];

export function isLang(s: string): s is Lang {
  return (LANGS as readonly string[]).includes(s);
}

export interface Strings {
  dir: 'ltr' | 'rtl';
  title: (arrangement: string) => string;
  subtitle: string;
  period: (from: string, to: string) => string;
  preparedFor: (actor: string) => string;
  sections: { intro: string; arrangement: string; findings: string; map: string; record: string };
  intro: (arrangement: string, from: string, to: string) => string;
  introCount: (findings: number, rules: number) => string;
  introBasis: (size: string) => string;
  noFindings: string;
  actors: string;
  zones: string;
  lines: string;
  rules: string;
  roles: Record<string, string>;
  ruleKinds: Record<RuleKind, string>;
  findingKinds: Record<FindingKind, string>;
  states: Record<FindingState, string>;
  /** how well the evidence establishes a finding (docs/evidence.md), and why one closed other than by a report */
  confidences: Record<Confidence, string>;
  reason: string;
  label: {
    rule: string;
    citation: string;
    actor: string;
    zone: string;
    units: string;
    observed: string;
    max: string;
    address: string;
    basis: string;
    area: string;
    deadline: string;
    closest: string;
    notification: string;
    missing: string;
    sealed: string;
  };
  ruleFindings: (rule: string, n: number) => string;
  unknownRule: string;
  mapCaption: string;
  mapNone: string;
  legendZone: string;
  legendLine: string;
  legendFinding: string;
  recordIntro: (size: string, root: string) => string;
  checkpointText: string;
  witnessed: (names: string) => string;
  notWitnessed: string;
  cosignedAt: (name: string, time: string) => string;
  verify: string;
  addressesIntro: string;
  startOfRecord: string;
  endOfRecord: string;
  translationNote: string;
  page: string;
}

const en: Strings = {
  dir: 'ltr',
  title: (a) => `Report on the implementation of the ${a}`,
  subtitle: 'Compliance report drawn from the signed record',
  period: (f, t) => `Period: ${f} to ${t}`,
  preparedFor: (a) => `Prepared as seen by: ${a}`,
  sections: {
    intro: 'I. Introduction',
    arrangement: 'II. The arrangement',
    findings: 'III. Findings by rule',
    map: 'IV. Map of the period’s findings',
    record: 'V. The record this report rests on',
  },
  intro: (a, f, t) => `The present report covers the implementation of the ${a} during the period from ${f} to ${t}.`,
  introCount: (n, r) => `During the period, the monitoring engine recorded ${n} finding(s) under ${r} rule(s), set out below by rule.`,
  introBasis: (s) =>
    `Every finding in this report is taken from the signed record as it stood at its checkpoint of ${s} entries (section V), and each can be checked against it.`,
  noFindings: 'No finding was recorded during the period.',
  actors: 'Actors',
  zones: 'Zones',
  lines: 'Lines',
  rules: 'Rules',
  roles: { party: 'party', mediator: 'mediator', guarantor: 'guarantor', observer: 'observer', 'third-party': 'third party' },
  ruleKinds: { presence: 'presence', limit: 'limit', notice: 'notice', separation: 'separation', commitment: 'commitment', inspection: 'inspection' },
  findingKinds: {
    violation: 'violation',
    unnotified: 'movement without notice',
    'late-notice': 'late notice',
    unacknowledged: 'notice not acknowledged',
    separation: 'loss of separation',
    loss: 'contact lost',
    commitment: 'commitment',
    'inspection-overdue': 'inspection overdue',
    challenge: 'inspection requested by a party',
    'late-inspection': 'requested inspection late',
    'access-refused': 'access refused to inspectors',
  },
  states: { open: 'opened', closed: 'closed', due: 'due', fulfilled: 'fulfilled', overdue: 'overdue' },
  confidences: { confirmed: 'confirmed', probable: 'probable', unconfirmed: 'unconfirmed' },
  reason: 'reason',
  label: {
    rule: 'Rule',
    citation: 'Citation',
    actor: 'Actor',
    zone: 'Zone',
    units: 'Units',
    observed: 'Observed',
    max: 'Maximum',
    address: 'Record address',
    basis: 'Rests on',
    area: 'area',
    deadline: 'Deadline',
    closest: 'Closest approach',
    notification: 'Notification',
    missing: 'Missing',
    sealed: 'sealed in the record',
  },
  ruleFindings: (r, n) => `Rule ${r}: ${n} finding(s)`,
  unknownRule: 'a rule added after the arrangement was recorded (through the talks)',
  mapCaption: 'Zones, lines and the places of the period’s findings (numbers are paragraph numbers). No map tiles: the outlines are the arrangement’s own.',
  mapNone: 'None of the period’s findings has a place this reader may see.',
  legendZone: 'zone',
  legendLine: 'line',
  legendFinding: 'finding (paragraph)',
  recordIntro: (s, r) => `This report rests on the record’s checkpoint of ${s} entries, with root hash ${r}. The checkpoint, as signed, reads:`,
  checkpointText: 'Signed checkpoint',
  witnessed: (n) => `The checkpoint was cosigned by the witnesses ${n}.`,
  notWitnessed: 'No witness cosignature is on this checkpoint: it carries the log’s signature alone.',
  cosignedAt: (n, t) => `${n}, at ${t}`,
  verify:
    'To verify: export the record at this checkpoint (detente export), check the bundle (detente verify), and find each finding below at its address: the entry index of the findings statement and the item’s position in it. A sealed item is the hash of its content; the content is disclosed to those entitled to read it.',
  addressesIntro: 'The findings of this report and their addresses in the record:',
  startOfRecord: 'the start of the record',
  endOfRecord: 'the checkpoint',
  translationNote: '',
  page: 'Page',
};

const ar: Strings = {
  dir: 'rtl',
  title: (a) => `تقرير عن تنفيذ ${a}`,
  subtitle: 'تقرير امتثال مستخلص من السجل الموقَّع',
  period: (f, t) => `الفترة: من ${f} إلى ${t}`,
  preparedFor: (a) => `أُعدّ كما يراه: ${a}`,
  sections: {
    intro: 'أولاً - مقدمة',
    arrangement: 'ثانياً - الترتيب',
    findings: 'ثالثاً - النتائج حسب القاعدة',
    map: 'رابعاً - خريطة نتائج الفترة',
    record: 'خامساً - السجل الذي يستند إليه هذا التقرير',
  },
  intro: (a, f, t) => `يغطي هذا التقرير تنفيذ ${a} خلال الفترة من ${f} إلى ${t}.`,
  introCount: (n, r) => `سجّل محرك الرصد خلال الفترة ${n} من النتائج في إطار ${r} من القواعد، وهي مبيّنة أدناه حسب القاعدة.`,
  introBasis: (s) =>
    `كل نتيجة في هذا التقرير مأخوذة من السجل الموقَّع كما كان عند نقطة التحقق التي تضم ${s} من المدخلات (الفرع خامساً)، ويمكن التحقق من كل منها مقابله.`,
  noFindings: 'لم تُسجَّل أي نتيجة خلال الفترة.',
  actors: 'الأطراف الفاعلة',
  zones: 'المناطق',
  lines: 'الخطوط',
  rules: 'القواعد',
  roles: { party: 'طرف', mediator: 'وسيط', guarantor: 'ضامن', observer: 'مراقب', 'third-party': 'طرف ثالث' },
  ruleKinds: { presence: 'وجود', limit: 'حد أقصى', notice: 'إخطار', separation: 'فصل', commitment: 'التزام', inspection: 'تفتيش' },
  findingKinds: {
    violation: 'انتهاك',
    unnotified: 'تحرك دون إخطار',
    'late-notice': 'إخطار متأخر',
    unacknowledged: 'إخطار لم يُقَرّ باستلامه',
    separation: 'فقدان مسافة الفصل',
    loss: 'انقطاع الاتصال',
    commitment: 'التزام',
    'inspection-overdue': 'تفتيش متأخر',
    challenge: 'تفتيش بطلب من طرف',
    'late-inspection': 'تأخر التفتيش المطلوب',
    'access-refused': 'رفض دخول المفتشين',
  },
  states: { open: 'فُتحت', closed: 'أُغلقت', due: 'مستحق', fulfilled: 'مُنفَّذ', overdue: 'متأخر' },
  confidences: { confirmed: 'مؤكَّد', probable: 'مرجَّح', unconfirmed: 'غير مؤكَّد' },
  reason: 'السبب',
  label: {
    rule: 'القاعدة',
    citation: 'المرجع',
    actor: 'الطرف',
    zone: 'المنطقة',
    units: 'الوحدات',
    observed: 'المرصود',
    max: 'الحد الأقصى',
    address: 'العنوان في السجل',
    basis: 'تستند إلى',
    area: 'المساحة',
    deadline: 'الموعد النهائي',
    closest: 'أقرب اقتراب',
    notification: 'الإخطار',
    missing: 'الناقص',
    sealed: 'مختومة في السجل',
  },
  ruleFindings: (r, n) => `القاعدة ${r}: ${n} من النتائج`,
  unknownRule: 'قاعدة أُضيفت بعد تسجيل الترتيب (عبر المحادثات)',
  mapCaption: 'المناطق والخطوط ومواقع نتائج الفترة (الأرقام هي أرقام الفقرات). لا توجد بلاطات خرائط: الحدود هي حدود الترتيب نفسه.',
  mapNone: 'لا توجد لأي من نتائج الفترة موقع يحق لهذا القارئ رؤيته.',
  legendZone: 'منطقة',
  legendLine: 'خط',
  legendFinding: 'نتيجة (رقم الفقرة)',
  recordIntro: (s, r) => `يستند هذا التقرير إلى نقطة التحقق في السجل التي تضم ${s} من المدخلات، وقيمة التجزئة الجذرية لها ${r}. ونص نقطة التحقق كما وُقِّع هو:`,
  checkpointText: 'نقطة التحقق الموقَّعة',
  witnessed: (n) => `وقّع الشهود التالية أسماؤهم على نقطة التحقق: ${n}.`,
  notWitnessed: 'لا يحمل نقطة التحقق هذه توقيع أي شاهد: فهي تحمل توقيع السجل وحده.',
  cosignedAt: (n, t) => `${n}، في ${t}`,
  verify:
    'للتحقق: صدِّر السجل عند نقطة التحقق هذه (detente export)، وافحص الحزمة (detente verify)، وابحث عن كل نتيجة أدناه في عنوانها: رقم مدخل بيان النتائج وموضع البند فيه. البند المختوم هو قيمة تجزئة محتواه، ويُكشف المحتوى لمن يحق لهم الاطلاع عليه.',
  addressesIntro: 'نتائج هذا التقرير وعناوينها في السجل:',
  startOfRecord: 'بداية السجل',
  endOfRecord: 'نقطة التحقق',
  translationNote: 'ترجمة أولية أعدّها المهندسون، تنتظر مراجعة متحدث أصلي.',
  page: 'صفحة',
};

const he: Strings = {
  dir: 'rtl',
  title: (a) => `דוח על יישום ${a}`,
  subtitle: 'דוח עמידה בהתחייבויות, מתוך הרשומה החתומה',
  period: (f, t) => `תקופה: מ־${f} עד ${t}`,
  preparedFor: (a) => `הוכן כפי שרואה אותו: ${a}`,
  sections: { intro: 'א. מבוא', arrangement: 'ב. ההסדר', findings: 'ג. ממצאים לפי כלל', map: 'ד. מפת ממצאי התקופה', record: 'ה. הרשומה שעליה נשען דוח זה' },
  intro: (a, f, t) => `דוח זה עוסק ביישום ${a} בתקופה שמ־${f} עד ${t}.`,
  introCount: (n, r) => `במהלך התקופה רשם מנוע הניטור ${n} ממצאים לפי ${r} כללים, והם מפורטים להלן לפי כלל.`,
  introBasis: (s) => `כל ממצא בדוח זה לקוח מן הרשומה החתומה כפי שהייתה בנקודת הביקורת שלה בת ${s} רשומות (פרק ה), וניתן לבדוק כל אחד מהם מולה.`,
  noFindings: 'לא נרשם שום ממצא בתקופה.',
  actors: 'גורמים',
  zones: 'אזורים',
  lines: 'קווים',
  rules: 'כללים',
  roles: { party: 'צד', mediator: 'מתווך', guarantor: 'ערב', observer: 'משקיף', 'third-party': 'צד שלישי' },
  ruleKinds: { presence: 'נוכחות', limit: 'תקרה', notice: 'הודעה', separation: 'הפרדה', commitment: 'התחייבות', inspection: 'ביקורת' },
  findingKinds: {
    violation: 'הפרה',
    unnotified: 'תנועה ללא הודעה',
    'late-notice': 'הודעה מאוחרת',
    unacknowledged: 'הודעה שלא אושרה',
    separation: 'אובדן מרחק הפרדה',
    loss: 'אובדן קשר',
    commitment: 'התחייבות',
    'inspection-overdue': 'ביקורת באיחור',
    challenge: 'ביקורת לבקשת צד',
    'late-inspection': 'ביקורת מבוקשת באיחור',
    'access-refused': 'סירוב גישה למפקחים',
  },
  states: { open: 'נפתח', closed: 'נסגר', due: 'הגיע מועדו', fulfilled: 'קוים', overdue: 'באיחור' },
  confidences: { confirmed: 'מאומת', probable: 'סביר', unconfirmed: 'לא מאומת' },
  reason: 'סיבה',
  label: {
    rule: 'כלל',
    citation: 'מקור',
    actor: 'גורם',
    zone: 'אזור',
    units: 'יחידות',
    observed: 'נצפה',
    max: 'מרבי',
    address: 'כתובת ברשומה',
    basis: 'נשען על',
    area: 'שטח',
    deadline: 'מועד אחרון',
    closest: 'מרחק מזערי',
    notification: 'הודעה',
    missing: 'חסר',
    sealed: 'חתום ברשומה',
  },
  ruleFindings: (r, n) => `כלל ${r}: ${n} ממצאים`,
  unknownRule: 'כלל שנוסף לאחר רישום ההסדר (במסגרת השיחות)',
  mapCaption: 'אזורים, קווים ומקומות ממצאי התקופה (המספרים הם מספרי הסעיפים). ללא אריחי מפה: הקווים הם של ההסדר עצמו.',
  mapNone: 'לאף ממצא בתקופה אין מקום שקורא זה רשאי לראות.',
  legendZone: 'אזור',
  legendLine: 'קו',
  legendFinding: 'ממצא (מספר סעיף)',
  recordIntro: (s, r) => `דוח זה נשען על נקודת הביקורת של הרשומה בת ${s} רשומות, שגיבוב השורש שלה ${r}. נוסח נקודת הביקורת כפי שנחתמה:`,
  checkpointText: 'נקודת ביקורת חתומה',
  witnessed: (n) => `על נקודת הביקורת חתמו גם העדים ${n}.`,
  notWitnessed: 'אין על נקודת ביקורת זו חתימת עד: היא נושאת את חתימת היומן בלבד.',
  cosignedAt: (n, t) => `${n}, ב־${t}`,
  verify:
    'לאימות: ייצאו את הרשומה בנקודת ביקורת זו (detente export), בדקו את החבילה (detente verify), ומצאו כל ממצא להלן בכתובתו: מספר הרשומה של הצהרת הממצאים ומקום הפריט בה. פריט חתום הוא גיבוב של תוכנו; התוכן נחשף למי שרשאי לקרוא אותו.',
  addressesIntro: 'ממצאי דוח זה וכתובותיהם ברשומה:',
  startOfRecord: 'תחילת הרשומה',
  endOfRecord: 'נקודת הביקורת',
  translationNote: 'טיוטת תרגום של המהנדסים, ממתינה לבדיקת דובר ילידי.',
  page: 'עמוד',
};

const ru: Strings = {
  dir: 'ltr',
  title: (a) => `Доклад о выполнении: ${a}`,
  subtitle: 'Доклад о соблюдении, составленный по подписанному реестру',
  period: (f, t) => `Период: с ${f} по ${t}`,
  preparedFor: (a) => `Подготовлен с точки зрения: ${a}`,
  sections: {
    intro: 'I. Введение',
    arrangement: 'II. Договорённость',
    findings: 'III. Выявленные нарушения по правилам',
    map: 'IV. Карта выявленного за период',
    record: 'V. Реестр, на котором основан доклад',
  },
  intro: (a, f, t) => `Настоящий доклад охватывает выполнение договорённости «${a}» в период с ${f} по ${t}.`,
  introCount: (n, r) => `За период система мониторинга зарегистрировала выявленных фактов: ${n}, по правилам: ${r}; они изложены ниже по правилам.`,
  introBasis: (s) =>
    `Каждый факт в докладе взят из подписанного реестра в состоянии его контрольной точки из ${s} записей (раздел V), и каждый можно с ним сверить.`,
  noFindings: 'За период ничего не выявлено.',
  actors: 'Участники',
  zones: 'Зоны',
  lines: 'Линии',
  rules: 'Правила',
  roles: { party: 'сторона', mediator: 'посредник', guarantor: 'гарант', observer: 'наблюдатель', 'third-party': 'третья сторона' },
  ruleKinds: {
    presence: 'присутствие',
    limit: 'предел',
    notice: 'уведомление',
    separation: 'разделение',
    commitment: 'обязательство',
    inspection: 'инспекция',
  },
  findingKinds: {
    violation: 'нарушение',
    unnotified: 'перемещение без уведомления',
    'late-notice': 'запоздалое уведомление',
    unacknowledged: 'уведомление не подтверждено',
    separation: 'нарушение интервала разделения',
    loss: 'потеря связи',
    commitment: 'обязательство',
    'inspection-overdue': 'инспекция просрочена',
    challenge: 'инспекция по запросу стороны',
    'late-inspection': 'запрошенная инспекция просрочена',
    'access-refused': 'отказ инспекторам в доступе',
  },
  states: { open: 'открыто', closed: 'закрыто', due: 'срок наступил', fulfilled: 'выполнено', overdue: 'просрочено' },
  confidences: { confirmed: 'подтверждено', probable: 'вероятно', unconfirmed: 'не подтверждено' },
  reason: 'причина',
  label: {
    rule: 'Правило',
    citation: 'Источник',
    actor: 'Участник',
    zone: 'Зона',
    units: 'Подразделения',
    observed: 'Наблюдалось',
    max: 'Предел',
    address: 'Адрес в реестре',
    basis: 'Основание',
    area: 'площадь',
    deadline: 'Срок',
    closest: 'Наибольшее сближение',
    notification: 'Уведомление',
    missing: 'Недостаёт',
    sealed: 'запечатано в реестре',
  },
  ruleFindings: (r, n) => `Правило ${r}: выявлено ${n}`,
  unknownRule: 'правило, добавленное после записи договорённости (в ходе переговоров)',
  mapCaption: 'Зоны, линии и места выявленного за период (цифры — номера пунктов). Без картографической подложки: контуры взяты из самой договорённости.',
  mapNone: 'Ни у одного факта за период нет места, которое этому читателю разрешено видеть.',
  legendZone: 'зона',
  legendLine: 'линия',
  legendFinding: 'факт (номер пункта)',
  recordIntro: (s, r) => `Доклад основан на контрольной точке реестра из ${s} записей с корневым хешем ${r}. Текст контрольной точки в подписанном виде:`,
  checkpointText: 'Подписанная контрольная точка',
  witnessed: (n) => `Контрольную точку скрепили подписями свидетели: ${n}.`,
  notWitnessed: 'На этой контрольной точке нет подписей свидетелей: только подпись журнала.',
  cosignedAt: (n, t) => `${n}, ${t}`,
  verify:
    'Для проверки: выгрузите реестр на этой контрольной точке (detente export), проверьте пакет (detente verify) и найдите каждый факт ниже по его адресу: номеру записи с выявленными фактами и позиции элемента в ней. Запечатанный элемент — это хеш его содержания; содержание раскрывается тем, кому разрешено его читать.',
  addressesIntro: 'Факты этого доклада и их адреса в реестре:',
  startOfRecord: 'начала реестра',
  endOfRecord: 'контрольной точки',
  translationNote: 'Черновой перевод инженеров; требует проверки носителем языка.',
  page: 'Стр.',
};

export const STRINGS: Readonly<Record<Lang, Strings>> = { en, ar, he, ru };

/** A time as the language writes it, in UTC (the record's times are UTC). */
export function formatDate(lang: Lang, ms: number): string {
  return `${new Intl.DateTimeFormat(lang, { dateStyle: 'long', timeStyle: 'short', timeZone: 'UTC', hourCycle: 'h23' }).format(ms)} UTC`;
}

export function formatNumber(lang: Lang, n: number): string {
  return new Intl.NumberFormat(lang, { maximumFractionDigits: 2 }).format(n);
}
