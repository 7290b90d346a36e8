// The Admiralty (NATO) grading of intelligence: the source's reliability, A
// (completely reliable) to F (cannot be judged), and the information's
// credibility, 1 (confirmed by other sources) to 6 (cannot be judged); AJP-2.1,
// STANAG 2511. Both the arrangement (a rule's `min_grade`) and reports (their
// `grade`) use it, so it lives here, below the monitor.

export const RELIABILITIES = ['A', 'B', 'C', 'D', 'E', 'F'] as const;
export type Reliability = (typeof RELIABILITIES)[number];

export interface Grade {
  reliability: Reliability;
  credibility: 1 | 2 | 3 | 4 | 5 | 6;
}

/** What an ungraded report that is not an admission counts as: nothing can be judged of it. */
export const UNGRADED: Grade = { reliability: 'F', credibility: 6 };

/** "C3" → { reliability: "C", credibility: 3 }; undefined for anything else. */
export function parseGradeCode(s: string): Grade | undefined {
  const m = /^([A-F])([1-6])$/.exec(s);
  if (m === null) return undefined;
  return { reliability: m[1] as Reliability, credibility: Number(m[2]) as Grade['credibility'] };
}

export function gradeCode(g: Grade): string {
  return `${g.reliability}${g.credibility}`;
}

/**
 * Is `g` at least as good as `min`, on both scales? B2 meets C3; C2 does not meet
 * B3 (a less reliable source), nor does B4 meet B3 (less credible information): the
 * two scales say different things and neither makes up for the other.
 */
export function meetsGrade(g: Grade, min: Grade): boolean {
  return g.reliability <= min.reliability && g.credibility <= min.credibility;
}
