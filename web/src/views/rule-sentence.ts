// A rule as a sentence the parties read ("Syria: at most 0 tanks in the 2 km strip"),
// from the rule as written (the arrangement file's form, as drafts carry it) and the
// arrangement's names, through the t() templates of the reader's language. A rule this
// page cannot word (an unknown kind, a malformed one) falls back to its kind and id.
import { parseDuration } from '../../../src/arrangement/time.ts';
import type { ArrangementView } from '../api/types.ts';
import { numberFormat } from '../i18n/formatters.ts';
import { formatList, formatTime, getLocale, t } from '../i18n/i18n.ts';
import { localized } from '../i18n/localized.ts';

type Names = Pick<ArrangementView, 'actors' | 'assets' | 'zones'>;
type Written = Record<string, unknown>;

const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
const strs = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);

function actor(a: Names, id: unknown): string {
  const s = str(id) ?? '?';
  return localized(a.actors.find((x) => x.id === s)?.name) || s;
}
function asset(a: Names, id: unknown): string {
  const s = str(id) ?? '?';
  return localized(a.assets.find((x) => x.id === s)?.name) || s;
}
function zone(a: Names, id: unknown): string {
  const s = str(id) ?? '?';
  return localized(a.zones.features.find((f) => f.properties.id === s)?.properties.name) || s;
}

/** An ISO 8601 duration in the largest whole unit ("1 hour", "15 days"); as written when it does not parse. */
export function durationWords(v: unknown): string {
  const ms = typeof v === 'string' ? parseDuration(v) : 'none';
  if (typeof ms !== 'number') return String(v);
  const units: [number, string][] = [
    [86_400_000, 'day'],
    [3_600_000, 'hour'],
    [60_000, 'minute'],
    [1000, 'second'],
  ];
  const [size, unit] = units.find(([u]) => ms % u === 0 && ms >= u) ?? [1000, 'second'];
  return numberFormat(getLocale(), { style: 'unit', unit, unitDisplay: 'long', maximumFractionDigits: 1 }).format(ms / size);
}

const COMPARE: Record<string, 'draft.sentence.gt' | 'draft.sentence.gte' | 'draft.sentence.lt' | 'draft.sentence.lte' | 'draft.sentence.eq'> = {
  gt: 'draft.sentence.gt',
  gte: 'draft.sentence.gte',
  lt: 'draft.sentence.lt',
  lte: 'draft.sentence.lte',
  eq: 'draft.sentence.eq',
};

function whereWords(where: unknown): string {
  if (!where || typeof where !== 'object') return '';
  const parts: string[] = [];
  for (const [attr, cmp] of Object.entries(where as Record<string, Record<string, unknown>>))
    for (const [op, value] of Object.entries(cmp ?? {})) {
      const key = COMPARE[op];
      if (key && typeof value === 'number') parts.push(t(key, { attr, value }));
    }
  return parts.length ? t('draft.sentence.where', { conditions: formatList(parts) }) : '';
}

function condition(a: Names, r: Written): string {
  const present = r.present as Written | undefined;
  const absent = r.absent as Written | undefined;
  if (present && typeof present === 'object')
    return t('draft.sentence.present', {
      n: typeof present.min === 'number' ? present.min : 0,
      asset: present.asset ? asset(a, present.asset) : t('draft.sentence.units'),
      zone: zone(a, present.zone),
    });
  if (absent && typeof absent === 'object')
    return absent.asset
      ? t('draft.sentence.absentAsset', { asset: asset(a, absent.asset), zone: zone(a, absent.zone) })
      : t('draft.sentence.absent', { zone: zone(a, absent.zone) });
  return '';
}

/** A notice's ladder in words: "; unacknowledged, it goes to the mediator 15 minutes after the deadline, …". */
function escalationWords(a: Names, ladder: unknown): string {
  if (!Array.isArray(ladder) || ladder.length === 0) return '';
  const rungs = ladder.map((x) => {
    const rung = (x ?? {}) as Written;
    const to = str(rung.to) ?? '?';
    const who = to === 'notified' || to === 'mediator' || to === 'guarantor' ? t(`draft2.to.${to}`) : actor(a, to);
    return t('draft2.sentence.rung', { to: who, after: durationWords(rung.after) });
  });
  return t('draft2.sentence.escalation', { steps: formatList(rungs) });
}

function commitment(a: Names, r: Written): string {
  const what = condition(a, r);
  const who = actor(a, r.actor);
  const due = typeof r.due === 'string' ? formatTime(r.due) : '—';
  const after = r.after === undefined ? undefined : String(r.after);
  if (after !== undefined && r.within !== undefined) return t('draft.sentence.commitmentAfter', { actor: who, after, within: durationWords(r.within), what });
  if (after !== undefined) return t('draft2.sentence.commitmentAfterDue', { actor: who, after, due, what });
  if (r.within !== undefined && r.due === undefined) return t('draft2.sentence.commitmentWithin', { actor: who, within: durationWords(r.within), what });
  return t('draft.sentence.commitmentDue', { actor: who, due, what });
}

/** The rule in words, in the reader's language, with its provenance when it cites one. */
export function ruleSentence(rule: unknown, a: Names): string {
  const r = (rule && typeof rule === 'object' ? rule : {}) as Written;
  const s = sentence(r, a);
  const cite = str(r.cite)?.trim();
  return cite ? s + t('draft2.sentence.cite', { cite }) : s;
}

function sentence(r: Written, a: Names): string {
  switch (r.kind) {
    case 'limit': {
      const p = { actor: actor(a, r.actor), asset: asset(a, r.asset), zone: zone(a, r.zone), n: typeof r.max === 'number' ? r.max : 0 };
      return t(p.n === 0 ? 'draft.sentence.limitNone' : 'draft.sentence.limit', p) + whereWords(r.where);
    }
    case 'presence': {
      const z = zone(a, r.zone);
      const only = strs(r.only);
      const forbid = strs(r.forbid);
      const names = (ids: string[]) => formatList(ids.map((id) => actor(a, id)));
      let s = only.length
        ? t('draft.sentence.presenceOnly', { zone: z, actors: names(only) })
        : forbid.length
          ? t('draft.sentence.presenceForbid', { zone: z, actors: names(forbid) })
          : t('draft.sentence.presence', { zone: z });
      const categories = strs(r.categories);
      if (categories.length) s += t('draft.sentence.categories', { categories: formatList(categories) });
      const binds = strs(r.actors);
      if (binds.length) s += t('draft.sentence.binds', { actors: names(binds) });
      return s;
    }
    case 'notice': {
      const s = t('draft.sentence.notice', { actor: actor(a, r.actor), zone: zone(a, r.zone), lead: durationWords(r.lead) });
      return r.ack === undefined ? s : s + t('draft.sentence.ack', { ack: durationWords(r.ack) }) + escalationWords(a, r.escalation);
    }
    case 'separation': {
      const [x, y] = strs(r.between);
      return t('draft.sentence.separation', {
        a: actor(a, x),
        b: actor(a, y),
        km: typeof r.km === 'number' ? r.km : 0,
        m: typeof r.m === 'number' ? r.m : 0,
        lookahead: durationWords(r.lookahead),
      });
    }
    case 'commitment':
      return commitment(a, r);
    case 'inspection': {
      const s = t('draft.sentence.inspection', {
        actor: actor(a, r.actor),
        zones: formatList(strs(r.zones).map((z) => zone(a, z))),
        every: durationWords(r.every),
      });
      const within = (r.challenge as Written | undefined)?.within;
      return within === undefined ? s : s + t('draft.sentence.challenge', { within: durationWords(within) });
    }
    default:
      return t('draft.sentence.unknown', { kind: String(r.kind ?? '?'), id: String(r.id ?? '?') });
  }
}

/** The zones a rule is about (to highlight them on the map). */
export function ruleZones(rule: unknown): string[] {
  const r = (rule && typeof rule === 'object' ? rule : {}) as Written;
  const ids = [str(r.zone), ...strs(r.zones), str((r.present as Written | undefined)?.zone), str((r.absent as Written | undefined)?.zone)];
  return [...new Set(ids.filter((x): x is string => x !== undefined))];
}
