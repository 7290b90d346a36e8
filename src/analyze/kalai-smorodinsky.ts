// The Kalai–Smorodinsky solution: the furthest feasible point on the segment from the
// disagreement point d to the ideal point a (each party's best rational utility), so
// that each party gets the same share of its largest possible gain.
import { type Frontier, curveRational, idealPoint } from './frontier.ts';
import type { Point } from './model.ts';
import { lastTrue } from './numeric.ts';

const cross = (a: Point, b: Point) => a[0] * b[1] - a[1] * b[0];

export function kalaiSmorodinsky(fr: Frontier): Point {
  const d = fr.d;
  const a = idealPoint(fr);
  if (!a || a[0] <= d[0] || a[1] <= d[1]) return d;
  const v: Point = [a[0] - d[0], a[1] - d[1]];
  if (fr.kind === 'polygon') {
    const poly = fr.region;
    if (poly.length < 3) return poly.some((p) => p[0] === a[0] && p[1] === a[1]) ? a : d;
    // The polygon is convex and counter-clockwise: x is inside when it is left of every
    // edge p→q, i.e. (q − p) × (x − p) ≥ 0. For x = d + t·v that bounds t on each edge
    // where (q − p) × v < 0; the largest feasible t is the least of those bounds.
    let t = 1;
    for (let i = 0; i < poly.length; i++) {
      const p = poly[i];
      const q = poly[(i + 1) % poly.length];
      const e: Point = [q[0] - p[0], q[1] - p[1]];
      const ev = cross(e, v);
      if (ev < 0) t = Math.min(t, cross(e, [d[0] - p[0], d[1] - p[1]]) / -ev);
    }
    return [d[0] + t * v[0], d[1] + t * v[1]];
  }
  // On a curve: the largest u1 in [d1, a1] where the curve is still on or above the line.
  const line = (u1: number) => d[1] + ((u1 - d[0]) * v[1]) / v[0];
  const u1 = lastTrue((u) => curveRational(fr, u) && fr.f(u) >= line(u), fr.lo, a[0]);
  return u1 === undefined ? d : [u1, fr.f(u1)];
}
