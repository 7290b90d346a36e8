// Plane geometry for polygonal feasible sets: the convex hull of outcome points and
// its clipping to the individually rational quadrant (u ≥ d).
import type { Point } from './model.ts';

const cross = (o: Point, a: Point, b: Point) => (a[0] - o[0]) * (b[1] - o[1]) - (a[1] - o[1]) * (b[0] - o[0]);

/** Convex hull, counter-clockwise, without collinear points (Andrew's monotone chain). */
export function convexHull(points: Point[]): Point[] {
  const ps = [...points].sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  if (ps.length <= 2) return ps.filter((p, i) => i === 0 || p[0] !== ps[0][0] || p[1] !== ps[0][1]);
  const chain = (list: Point[]) => {
    const out: Point[] = [];
    for (const p of list) {
      while (out.length >= 2 && cross(out[out.length - 2], out[out.length - 1], p) <= 0) out.pop();
      out.push(p);
    }
    out.pop();
    return out;
  };
  return [...chain(ps), ...chain([...ps].reverse())];
}

/** Keeps the part of a convex polygon where a·u ≥ c (Sutherland–Hodgman, one edge). */
function clip(poly: Point[], a: Point, c: number): Point[] {
  const out: Point[] = [];
  const inside = (p: Point) => a[0] * p[0] + a[1] * p[1] >= c;
  for (let i = 0; i < poly.length; i++) {
    const p = poly[i];
    const q = poly[(i + 1) % poly.length];
    if (inside(p)) out.push(p);
    if (inside(p) !== inside(q)) {
      const fp = a[0] * p[0] + a[1] * p[1] - c;
      const fq = a[0] * q[0] + a[1] * q[1] - c;
      const t = fp / (fp - fq);
      const x: Point = [p[0] + t * (q[0] - p[0]), p[1] + t * (q[1] - p[1])];
      // The clip lines are u1 = d1 and u2 = d2: put the crossing exactly on the line, so
      // that rounding cannot leave a sliver of an edge just outside it.
      if (a[1] === 0) x[0] = c / a[0];
      if (a[0] === 0) x[1] = c / a[1];
      out.push(x);
    }
  }
  return out;
}

/** The feasible set's individually rational part: hull(points ∪ {d}) ∩ {u ≥ d}. */
export function rationalPolygon(points: Point[], d: Point): Point[] {
  const hull = convexHull([...points, d]);
  if (hull.length < 3) return hull.filter((p) => p[0] >= d[0] && p[1] >= d[1]);
  return dedupe(clip(clip(hull, [1, 0], d[0]), [0, 1], d[1]));
}

/** Drops vertices that repeat their predecessor (clipping at a vertex yields it twice). */
function dedupe(poly: Point[]): Point[] {
  const same = (p: Point, q: Point) => Math.abs(p[0] - q[0]) <= 1e-12 && Math.abs(p[1] - q[1]) <= 1e-12;
  const out = poly.filter((p, i) => i === 0 || !same(p, poly[i - 1]));
  while (out.length > 1 && same(out[0], out[out.length - 1])) out.pop();
  return out;
}

/** The polygon's edges as segments (a single point or a segment when degenerate). */
export function edges(poly: Point[]): [Point, Point][] {
  if (poly.length === 1) return [[poly[0], poly[0]]];
  if (poly.length === 2) return [[poly[0], poly[1]]];
  return poly.map((p, i) => [p, poly[(i + 1) % poly.length]]);
}
