// What a report says, before any language: the findings of a period that a reader may
// read, grouped by rule, each with its record address and, where the reader may see
// one, its place. Need-to-know is the policy module's: a finding is listed only if the
// `findings` disclosure gives it to the reader in full, and a place is taken from the
// triggering report only as far as the reports' disclosure lets the reader see it
// (coarsened when coarse); otherwise from the finding's zone, which the arrangement
// shows everyone.
import type { Arrangement } from '../arrangement/compile.ts';
import { parseTime } from '../arrangement/time.ts';
import type { Rule } from '../arrangement/types.ts';
import type { Position } from '../geo/types.ts';
import { coarsen } from '../monitor/coarsen.ts';
import { contentOfReport, disclosureOf, readsInFull } from '../policy/disclosure.ts';
import { type Actor, mayAct } from '../policy/policy.ts';
import type { RecordForReport, RecordedFinding, RecordedReport } from './record-read.ts';

export interface ReportFinding {
  /** paragraph number in the report */
  para: number;
  recorded: RecordedFinding;
  time: number;
  /** the triggering report's place, as far as the reader may see it, else its zone's */
  place?: { position: Position; from: 'report' | 'coarse' | 'zone' };
}

export interface RuleSection {
  rule: string;
  /** undefined: not in the arrangement as recorded (a rule the talks added later) */
  def?: Rule;
  findings: ReportFinding[];
}

export interface ReportModel {
  arrangement: Arrangement;
  reader: Actor & { name: string };
  /** the period asked for; undefined ends are open */
  from?: number;
  to?: number;
  /** the times the period's findings actually span (for an open end) */
  first?: number;
  last?: number;
  record: RecordForReport;
  sections: RuleSection[];
  findings: ReportFinding[];
  /** the paragraph numbers the fixed sections take before the findings */
  introParas: number;
}

export interface ReportOptions {
  /** ms; inclusive */
  from?: number;
  /** ms; inclusive */
  to?: number;
  /** who the report is for; the arrangement's mediator when not given */
  as?: string;
}

export class ReportInputError extends Error {
  constructor(
    readonly flag: string,
    message: string,
  ) {
    super(message);
  }
}

/** A representative point of a zone: the mean of its first ring's vertices (inside for the convex shapes most zones are). */
function zonePoint(arr: Arrangement, zoneId: string): Position | undefined {
  const z = arr.zones.find((x) => x.id === zoneId);
  if (z?.shape.kind !== 'polygon') return undefined;
  const ring = z.shape.coordinates[0]?.[0];
  if (!ring || ring.length === 0) return undefined;
  const pts = ring.length > 1 ? ring.slice(0, -1) : ring;
  return [pts.reduce((s, p) => s + p[0], 0) / pts.length, pts.reduce((s, p) => s + p[1], 0) / pts.length];
}

function isPosition(v: unknown): v is Position {
  return Array.isArray(v) && v.length >= 2 && typeof v[0] === 'number' && typeof v[1] === 'number';
}

export function buildReport(arr: Arrangement, record: RecordForReport, o: ReportOptions = {}): ReportModel {
  const readerId = o.as ?? arr.actors.find((a) => a.role === 'mediator')?.id;
  const reader = readerId === undefined ? undefined : arr.actorById.get(readerId);
  if (!reader) throw new ReportInputError('--as', `no actor "${readerId ?? ''}" in ${arr.id} (actors: ${arr.actors.map((a) => a.id).join(', ')})`);
  if (o.from !== undefined && o.to !== undefined && o.from > o.to)
    throw new ReportInputError('--from', 'the period starts after it ends (--from is later than --to)');

  // Who a unit belongs to, and whose notification an id is, from every report (the policy's questions need them).
  const unitActors = new Map<string, Set<string>>();
  const notifiers = new Map<string, string>();
  const byAddress = new Map<string, RecordedReport>();
  for (const r of record.reports) {
    byAddress.set(`${r.address.entry}/${r.address.n}`, r);
    const { report } = r;
    if (typeof report.unit === 'string' && typeof report.actor === 'string') {
      let s = unitActors.get(report.unit);
      if (!s) unitActors.set(report.unit, (s = new Set()));
      s.add(report.actor);
    }
    if (report.type === 'notification' && typeof report.id === 'string' && typeof report.actor === 'string') notifiers.set(report.id, report.actor);
  }
  const concerned = (f: RecordedFinding['item']): string[] => {
    const s = new Set<string>();
    if (typeof f.actor === 'string') s.add(f.actor);
    for (const u of Array.isArray(f.units) ? f.units : []) for (const a of unitActors.get(u) ?? []) s.add(a);
    return [...s];
  };
  const mayReadFindings = mayAct(reader, 'read-findings').ok;

  const placeOf = (f: RecordedFinding['item']): ReportFinding['place'] => {
    const at = f.at;
    const trigger = at && at.n !== undefined ? byAddress.get(`${at.entry}/${at.n}`) : undefined;
    const author = trigger ? arr.actorById.get(trigger.author) : undefined;
    if (trigger && author && isPosition(trigger.report.position)) {
      const notifier =
        trigger.report.type === 'ack' && typeof trigger.report.notification === 'string' ? notifiers.get(trigger.report.notification) : undefined;
      const d = disclosureOf(arr.policy, reader, contentOfReport(author, trigger.report, notifier));
      if (d.level === 'full') return { position: trigger.report.position, from: 'report' };
      if (d.level === 'coarse' && d.coarsening) {
        const c = coarsen(trigger.report, d.coarsening);
        if (isPosition(c.position)) return { position: c.position, from: 'coarse' };
      }
    }
    const zone = typeof f.zone === 'string' ? zonePoint(arr, f.zone) : undefined;
    return zone ? { position: zone, from: 'zone' } : undefined;
  };

  const chosen = record.findings.filter((rf) => {
    const t = parseTime(rf.item.time);
    if (!Number.isFinite(t) || (o.from !== undefined && t < o.from) || (o.to !== undefined && t > o.to)) return false;
    return mayReadFindings && readsInFull(arr.policy, reader, { kind: 'findings', author: rf.author, concerned: concerned(rf.item) });
  });

  // Rules in the arrangement's order, then any it does not hold, in the order first found.
  const byRule = new Map<string, RecordedFinding[]>();
  for (const r of arr.rules) byRule.set(r.id, []);
  for (const rf of chosen) {
    let list = byRule.get(rf.item.rule);
    if (!list) byRule.set(rf.item.rule, (list = []));
    list.push(rf);
  }
  const introParas = 3;
  let para = introParas;
  const findings: ReportFinding[] = [];
  const sections: RuleSection[] = [];
  for (const [rule, list] of byRule) {
    if (list.length === 0) continue;
    const items = list.map((recorded): ReportFinding => {
      const f: ReportFinding = { para: ++para, recorded, time: parseTime(recorded.item.time) };
      const place = placeOf(recorded.item);
      if (place) f.place = place;
      return f;
    });
    findings.push(...items);
    sections.push({ rule, def: arr.ruleById.get(rule), findings: items });
  }
  const times = findings.map((f) => f.time);
  return {
    arrangement: arr,
    reader: { ...reader, name: reader.name },
    from: o.from,
    to: o.to,
    first: times.length ? Math.min(...times) : undefined,
    last: times.length ? Math.max(...times) : undefined,
    record,
    sections,
    findings,
    introParas,
  };
}
