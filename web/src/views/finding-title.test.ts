import assert from 'node:assert/strict';
import { afterEach, test } from 'node:test';
import { FINDING_KINDS, type FindingKind } from '../../../src/monitor/findings.ts';
import type { RuleKind } from '../../../src/arrangement/types.ts';
import { setLocale } from '../i18n/i18n.ts';
import { localized } from '../i18n/localized.ts';
import { findingTitle, type TitleNames } from './finding-title.ts';

const ACTORS: Record<string, Record<string, string>> = {
  sy: { en: 'Syria', ar: 'سوريا' },
  il: { en: 'Israel', ar: 'إسرائيل' },
  ru: { en: 'Russia', ar: 'روسيا' },
  undof: { en: 'UNDOF', ar: 'أندوف' },
};
const ZONES: Record<string, Record<string, string>> = {
  'sy-strip': { en: 'the 2 km strip', ar: 'شريط الكيلومترين' },
  aos: { en: 'Area of Separation', ar: 'منطقة الفصل' },
};
const names: TitleNames = {
  actorName: (id) => localized(ACTORS[id] ?? id),
  zoneName: (id) => localized(ZONES[id] ?? id),
  actorOfUnit: (u) => u.split('-')[0],
  ruleZone: (r) => (r === 'c-deploy' ? 'aos' : undefined),
};

afterEach(() => setLocale('en'));

// One finding of each kind, as the monitor writes it (src/monitor/findings.ts).
const EXAMPLES: Record<
  FindingKind,
  {
    kind: RuleKind;
    actor?: string;
    zone?: string;
    units?: string[];
    asset?: string;
    observed?: number;
    max?: number;
    missing?: string[];
    cpa_km?: number;
    requested_by?: string;
    rule?: string;
  }
> = {
  violation: { kind: 'presence', actor: 'sy', zone: 'sy-strip', units: ['sy-armd-coy'] },
  unnotified: { kind: 'notice', actor: 'il', zone: 'aos', units: ['il-patrol-1'] },
  'late-notice': { kind: 'notice', actor: 'il', zone: 'aos', units: ['il-patrol-1'] },
  unacknowledged: { kind: 'notice', actor: 'il', zone: 'aos', missing: ['sy'] },
  separation: { kind: 'separation', units: ['ru-il20', 'il-f16-1'], cpa_km: 3.2 },
  loss: { kind: 'separation', units: ['ru-il20', 'il-f16-1'] },
  commitment: { kind: 'commitment', actor: 'ru', rule: 'c-deploy' },
  'inspection-overdue': { kind: 'inspection', actor: 'undof', zone: 'sy-strip' },
  challenge: { kind: 'inspection', actor: 'undof', zone: 'sy-strip', requested_by: 'il' },
  'late-inspection': { kind: 'inspection', actor: 'undof', zone: 'sy-strip' },
  'access-refused': { kind: 'inspection', actor: 'undof', zone: 'sy-strip' },
};
const finding = (k: FindingKind) => ({ finding: k, rule: 'r', ...EXAMPLES[k] });

test('every finding kind has a title in words: names, never ids, and no placeholder left', () => {
  for (const k of FINDING_KINDS) {
    const title = findingTitle(finding(k), names);
    assert.doesNotMatch(title, /[{}]/, `${k}: ${title}`);
    const f = EXAMPLES[k];
    if (f.zone) assert.ok(title.includes(ZONES[f.zone].en), `${k} names its zone: ${title}`);
    if (f.zone) assert.ok(!title.includes(` ${f.zone}`), `${k} shows no zone id: ${title}`);
    for (const u of f.units ?? []) assert.ok(title.includes(u), `${k} names unit ${u}: ${title}`);
  }
});

test('the titles tell the kinds apart', () => {
  const titles = FINDING_KINDS.map((k) => findingTitle(finding(k), names));
  assert.equal(new Set(titles).size, titles.length, titles.join('\n'));
});

test("a unit is named with its actor's name; a limit says observed against allowed", () => {
  assert.equal(findingTitle(finding('violation'), names), 'sy-armd-coy (Syria) in the 2 km strip');
  assert.equal(
    findingTitle({ finding: 'violation', kind: 'limit', rule: 'r', actor: 'sy', zone: 'sy-strip', asset: 'tanks', observed: 45, max: 0 }, names),
    'Syria over the tanks limit in the 2 km strip: 45 of 0',
  );
  assert.match(findingTitle(finding('separation'), names), /ru-il20 \(Russia\) and il-f16-1 \(Israel\).*3\.2 km/);
});

test("a commitment without a zone of its own takes its rule's", () => {
  assert.match(findingTitle(finding('commitment'), names), /Area of Separation/);
  assert.equal(findingTitle({ finding: 'commitment', kind: 'commitment', rule: 'other', actor: 'ru' }, names), 'Russia: commitment');
});

test("in Arabic the title is Arabic, with the arrangement's Arabic names", () => {
  setLocale('ar');
  for (const k of FINDING_KINDS) {
    const title = findingTitle(finding(k), names);
    assert.match(title, /[\u0600-\u06ff]/, `${k}: ${title}`);
    assert.doesNotMatch(title, /Syria|Israel|Area of Separation|2 km strip/, `${k}: ${title}`);
  }
  assert.equal(findingTitle(finding('violation'), names), 'sy-armd-coy (سوريا) في شريط الكيلومترين');
});
