// Generators shared by the geometry tests (not part of the API).
import fc from 'fast-check';
import type { MultiPolygonCoords, Position, Ring } from './types.ts';

/** Snap to multiples of 2^-20 degrees, so edge midpoints and quarter points are exact doubles on the edge. */
export const snap = (x: number): number => Math.round(x * 2 ** 20) / 2 ** 20;

/** A star-shaped ring around (cx, cy): vertex k at angle 2πk/n and radius r[k]; closed; counter-clockwise unless reversed. */
export function starRing(cx: number, cy: number, radii: number[], reverse = false): Ring {
  const n = radii.length;
  const ring: Ring = [];
  for (let k = 0; k < n; k++) {
    const a = (2 * Math.PI * k) / n;
    ring.push([snap(cx + radii[k] * Math.cos(a)), snap(cy + radii[k] * Math.sin(a))]);
  }
  if (reverse) ring.reverse();
  ring.push([ring[0][0], ring[0][1]]);
  return ring;
}

/**
 * A star-shaped polygon with up to two star-shaped holes: the outer ring's
 * vertices are at radius >= 0.5·scale, so it contains the disk of radius
 * rIn = 0.5·scale·cos(π/n). One hole sits at the centre within 0.3·rIn, the
 * other at 0.65·rIn from it within 0.25·rIn: inside the disk and apart.
 */
export const starPolygon = (cx: number, cy: number, scale: number) =>
  fc
    .record({
      outer: fc.array(fc.double({ min: 0.5, max: 1, noNaN: true }), { minLength: 3, maxLength: 40 }),
      holes: fc.array(
        fc.record({
          radii: fc.array(fc.double({ min: 0.1, max: 1, noNaN: true }), { minLength: 3, maxLength: 12 }),
          angle: fc.double({ min: 0, max: 2 * Math.PI, noNaN: true }),
        }),
        { maxLength: 2 },
      ),
    })
    .map(({ outer, holes }) => {
      const rIn = 0.5 * scale * Math.cos(Math.PI / outer.length);
      const rings: Ring[] = [
        starRing(
          cx,
          cy,
          outer.map((r) => r * scale),
        ),
      ];
      holes.forEach((h, k) => {
        if (k === 0)
          rings.push(
            starRing(
              cx,
              cy,
              h.radii.map((r) => r * 0.3 * rIn),
              true,
            ),
          );
        else {
          const hx = cx + 0.65 * rIn * Math.cos(h.angle),
            hy = cy + 0.65 * rIn * Math.sin(h.angle);
          rings.push(
            starRing(
              hx,
              hy,
              h.radii.map((r) => r * 0.25 * rIn),
              true,
            ),
          );
        }
      });
      return rings;
    });

/** 1–3 star polygons with holes at random centres (they may overlap: even-odd still applies). */
export const multiPolygon = fc
  .array(
    fc.record({
      cx: fc.double({ min: 34, max: 36, noNaN: true }),
      cy: fc.double({ min: 32, max: 34, noNaN: true }),
      scale: fc.double({ min: 0.01, max: 1, noNaN: true }),
    }),
    { minLength: 1, maxLength: 3 },
  )
  .chain((cs) => fc.tuple(...cs.map((c) => starPolygon(c.cx, c.cy, c.scale))))
  .map((polys) => polys as MultiPolygonCoords);

/** Points that stress a polygon test: vertices, exact edge points, points 1e-9 off edges. */
export function edgePoints(mp: MultiPolygonCoords): Position[] {
  const pts: Position[] = [];
  for (const poly of mp) {
    for (const ring of poly) {
      for (let k = 0; k + 1 < ring.length; k++) {
        const [ax, ay] = ring[k],
          [bx, by] = ring[k + 1];
        const mx = (ax + bx) / 2,
          my = (ay + by) / 2;
        pts.push([ax, ay], [mx, my], [(3 * ax + bx) / 4, (3 * ay + by) / 4]);
        pts.push([mx + 1e-9, my], [mx - 1e-9, my], [mx, my + 1e-9], [mx, my - 1e-9]);
        pts.push([ax, ay + 1e-9], [ax - 1e-9, ay], [ax, my], [mx, ay]);
      }
    }
  }
  return pts;
}

/** Every vertex and edge midpoint of some polylines, for band tests. */
export function linePoints(lines: Position[][]): Position[] {
  const pts: Position[] = [];
  for (const l of lines) {
    for (let k = 0; k < l.length; k++) {
      pts.push(l[k]);
      if (k + 1 < l.length) pts.push([(l[k][0] + l[k + 1][0]) / 2, (l[k][1] + l[k + 1][1]) / 2]);
    }
  }
  return pts;
}
