// Saying what a check of the stored record found, for a refusal to serve it.
import type { StoredRecordProblem } from '../../record/check-stored.ts';

export function describeProblem(p: StoredRecordProblem): string {
  const where =
    p.index !== undefined ? `entry ${p.index}` : p.tile !== undefined ? `tile ${p.tile}` : p.sealed !== undefined ? `sealed content ${p.sealed}` : 'the record';
  return `${where}: ${p.reason}`;
}
