// The zone of possible agreement on a numeric issue: the values every party would
// rather take than walk away. A party that wants more accepts anything at or above its
// reservation value; one that wants less, anything at or below. The zone is the
// intersection; when it is empty, the gap is how far apart the nearest walk-away points are.
import type { IssueInput } from './model.ts';

export type Zopa = { issue: string; from: number | null; to: number | null } | { issue: string; empty: true; gap: number };

export function zopa(issue: IssueInput): Zopa {
  const parties = Object.values(issue.parties);
  const more = parties.filter((p) => p.direction === 'more').map((p) => p.reservation);
  const less = parties.filter((p) => p.direction === 'less').map((p) => p.reservation);
  // null: no party bounds the zone on that side (every party wants more, or every party less).
  const from = more.length ? Math.max(...more) : null;
  const to = less.length ? Math.min(...less) : null;
  if (from !== null && to !== null && from > to) return { issue: issue.id, empty: true, gap: from - to };
  return { issue: issue.id, from, to };
}
