// What a report is worth as evidence, and what a finding's reports add up to
// (docs/evidence.md). The engine asks this only when the arrangement has an
// `evidence` section; without one every finding is confirmed, as before.
import type { Arrangement } from '../arrangement/compile.ts';
import type { Confidence, EvidenceCondition, EvidenceNeed } from '../arrangement/evidence.ts';
import { type Grade, meetsGrade, UNGRADED } from '../arrangement/grade.ts';
import type { Role } from '../arrangement/types.ts';
import type { UnitReport } from './reports.ts';

/** One report behind a finding, as evidence. Plain JSON: a snapshot keeps it. */
export interface Support {
  /** who it comes from, for independence: "actor:ID" (or the sensor it names), "outlet:NAME" for a claim */
  key: string;
  grade: Grade;
  /** its filer's role, when the filer is an actor of the arrangement */
  role?: Role;
  /** the report's ref (-1: none given) */
  ref: number;
}

/** An admission counts as the best grade: a party saying where its own forces are has no reason to place them in breach. */
const ADMISSION: Grade = { reliability: 'A', credibility: 1 };

/**
 * The report's filer is its `source` when it names one, else (no claim relayed) the
 * unit's own actor: a party's sensors report its own units. A claim's source, for
 * independence, is its outlet: two reports of one outlet's story are one source.
 */
export function supportOf(r: UnitReport, arrangement: Arrangement, ref: number): Support {
  const filer = r.source ?? (r.claim === undefined ? r.actor : undefined);
  const role = filer === undefined ? undefined : arrangement.actorById.get(filer)?.role;
  const admission = r.claim === undefined && filer === r.actor && role === 'party';
  const s: Support = {
    key: r.claim !== undefined ? `outlet:${r.claim.outlet}` : `actor:${filer}`,
    grade: admission ? ADMISSION : (r.grade ?? UNGRADED),
    ref,
  };
  if (role !== undefined) s.role = role;
  return s;
}

/** Does a set of reports meet the condition: that many independent sources, each graded and filed as it says? */
function holds(c: EvidenceCondition, supports: readonly Support[]): boolean {
  const keys = new Set<string>();
  for (const s of supports) {
    if (c.minGrade !== undefined && !meetsGrade(s.grade, c.minGrade)) continue;
    if (c.role !== undefined && s.role !== c.role) continue;
    keys.add(s.key);
  }
  return keys.size >= c.sources;
}

export function confidenceOf(need: EvidenceNeed, supports: readonly Support[]): Confidence {
  if (need.confirmed.some((c) => holds(c, supports))) return 'confirmed';
  if (need.probable.some((c) => holds(c, supports))) return 'probable';
  return 'unconfirmed';
}

/** Adds `s` unless a report of the same source, grade and role is there already (it would add nothing). */
export function addSupport(list: Support[], s: Support): boolean {
  for (const x of list)
    if (x.key === s.key && x.role === s.role && x.grade.reliability === s.grade.reliability && x.grade.credibility === s.grade.credibility) return false;
  list.push(s);
  return true;
}
