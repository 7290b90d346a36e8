// The feasible set of two parties' utilities: a polygon (the convex hull of the outcome
// points and the disagreement point) or the region under a curve u2 = f(u1), u1 in [0, 1].
// Both solutions only look at its individually rational part, u ≥ d.
import type { FrontierInput, Point } from './model.ts';
import { lastTrue, maximise } from './numeric.ts';
import { rationalPolygon } from './polygon.ts';

export type Frontier = { kind: 'polygon'; d: Point; region: Point[] } | { kind: 'curve'; d: Point; f: (u1: number) => number; lo: number; hi: number };

export function makeFrontier(input: FrontierInput): Frontier {
  const d = input.disagreement;
  if ('points' in input) return { kind: 'polygon', d, region: rationalPolygon(input.points, d) };
  return { kind: 'curve', d, f: input.f, lo: Math.max(0, d[0]), hi: 1 };
}

/** Whether the curve gives at least d2 at u1 (NaN, where it is undefined, does not). */
export function curveRational(fr: Extract<Frontier, { kind: 'curve' }>, u1: number): boolean {
  const v = fr.f(u1);
  return v >= fr.d[1];
}

/**
 * The ideal point: each party's best utility in the individually rational part.
 * Undefined when that part is empty (a curve entirely below d, or d past u1 = 1).
 */
export function idealPoint(fr: Frontier): Point | undefined {
  if (fr.kind === 'polygon') {
    if (fr.region.length === 0) return undefined;
    return [Math.max(...fr.region.map((p) => p[0])), Math.max(...fr.region.map((p) => p[1]))];
  }
  if (fr.lo > fr.hi) return undefined;
  const a1 = lastTrue((u) => curveRational(fr, u), fr.lo, fr.hi);
  if (a1 === undefined) return undefined;
  const best = maximise((u) => (curveRational(fr, u) ? fr.f(u) : Number.NEGATIVE_INFINITY), fr.lo, a1);
  return [a1, fr.f(best)];
}
