// The Nash bargaining solution: the feasible point maximising (u1 − d1)(u2 − d2).
// When no feasible point is better than d for both parties, the solution is d.
import { type Frontier, curveRational } from './frontier.ts';
import type { Point } from './model.ts';
import { maximise } from './numeric.ts';
import { edges } from './polygon.ts';

export const nashProduct = (u: Point, d: Point) => (u[0] - d[0]) * (u[1] - d[1]);

export function nash(fr: Frontier): Point {
  const d = fr.d;
  let best: Point = d;
  let bestValue = 0;
  const consider = (u: Point) => {
    const v = nashProduct(u, d);
    if (v > bestValue) {
      bestValue = v;
      best = u;
    }
  };
  if (fr.kind === 'polygon') {
    // On an edge p + t(q − p) the product is (A + t·dx)(B + t·dy), a quadratic in t:
    // its maximum is at an end or, when dx·dy < 0 (concave), at t* = −(A·dy + B·dx) / (2·dx·dy).
    for (const [p, q] of edges(fr.region)) {
      consider(p);
      consider(q);
      const dx = q[0] - p[0];
      const dy = q[1] - p[1];
      if (dx * dy < 0) {
        const t = -((p[0] - d[0]) * dy + (p[1] - d[1]) * dx) / (2 * dx * dy);
        if (t > 0 && t < 1) consider([p[0] + t * dx, p[1] + t * dy]);
      }
    }
    return best;
  }
  if (fr.lo > fr.hi) return d;
  const h = (u1: number) => (curveRational(fr, u1) ? (u1 - d[0]) * (fr.f(u1) - d[1]) : Number.NEGATIVE_INFINITY);
  const u1 = maximise(h, fr.lo, fr.hi);
  consider([u1, fr.f(u1)]);
  return best;
}
