// Re-checking findings: a fresh engine over the reports a finding rests on (its basis),
// fed in the order they were pushed, so that anyone entitled to those reports can see
// whether they give the same finding. The same function serves a party's replica, which
// runs it over the slice of the record it may read.
import type { Arrangement } from '../arrangement/compile.ts';
import { Monitor } from './engine.ts';
import type { Finding } from './findings.ts';
import type { Report } from './reports.ts';

export interface RefReport {
  ref: number;
  report: Report;
}

/**
 * The transitions a fresh engine gives for these reports, pushed in ref order (each
 * with its ref, so every transition carries its basis), then deadlines passed up to
 * `until` (epoch ms) when given.
 */
export function recheck(arrangement: Arrangement, reports: readonly RefReport[], until?: number): Finding[] {
  const m = new Monitor(arrangement);
  const out: Finding[] = [];
  for (const { ref, report } of [...reports].sort((a, b) => a.ref - b.ref)) out.push(...m.push(report, ref));
  if (until !== undefined) out.push(...m.finish(until));
  return out;
}
