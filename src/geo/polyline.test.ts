import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { nearestOnPolylines } from './polyline.ts';
import { EARTH_RADIUS_KM, distanceKm } from './sphere.ts';
import type { Position } from './types.ts';

const RAD = Math.PI / 180;

/** Points along the great-circle arc a→b (slerp), n + 1 of them. */
function arc(a: Position, b: Position, n: number): Position[] {
  const v = (p: Position) => [Math.cos(p[1] * RAD) * Math.cos(p[0] * RAD), Math.cos(p[1] * RAD) * Math.sin(p[0] * RAD), Math.sin(p[1] * RAD)];
  const A = v(a),
    B = v(b);
  const om = Math.acos(Math.min(1, A[0] * B[0] + A[1] * B[1] + A[2] * B[2]));
  const out: Position[] = [];
  for (let k = 0; k <= n; k++) {
    const t = k / n;
    const wa = om < 1e-12 ? 1 - t : Math.sin((1 - t) * om) / Math.sin(om),
      wb = om < 1e-12 ? t : Math.sin(t * om) / Math.sin(om);
    const x = wa * A[0] + wb * B[0],
      y = wa * A[1] + wb * B[1],
      z = wa * A[2] + wb * B[2];
    out.push([Math.atan2(y, x) / RAD, Math.atan2(z, Math.hypot(x, y)) / RAD]);
  }
  return out;
}

test('distance to a meridian segment', () => {
  const n = nearestOnPolylines(
    [
      [
        [35, 32],
        [35, 34],
      ],
    ],
    35.1,
    33,
  );
  const want = Math.asin(Math.cos(33 * RAD) * Math.sin(0.1 * RAD)) * EARTH_RADIUS_KM;
  assert.ok(Math.abs(n.km - want) < 1e-9, `${n.km} vs ${want}`);
  assert.equal(n.lon, 35);
  assert.ok(Math.abs(n.lat - 33) < 1e-3);
  assert.ok(Math.abs(distanceKm(35.1, 33, n.lon, n.lat) - n.km) < 1e-9);
});

test('vertices, ends, single points, empty input', () => {
  const line: Position[] = [
    [35.87, 33.41],
    [35.9, 33.1],
    [35.8, 32.75],
  ];
  const n = nearestOnPolylines([line], 35.87, 33.5); // beyond the start: the start vertex
  assert.deepEqual([n.lon, n.lat], [35.87, 33.41]);
  assert.ok(Math.abs(n.km - distanceKm(35.87, 33.5, 35.87, 33.41)) < 1e-9);
  assert.equal(nearestOnPolylines([line], 35.9, 33.1).km, 0);
  const p = nearestOnPolylines([[[36, 33]]], 36.1, 33);
  assert.ok(Math.abs(p.km - distanceKm(36, 33, 36.1, 33)) < 1e-9);
  const e = nearestOnPolylines([], 0, 0);
  assert.equal(e.km, Infinity);
  assert.ok(Number.isNaN(e.lon));
  // a closed ring: the closing segment counts
  const ring: Position[] = [
    [35, 33],
    [35.2, 33],
    [35.2, 33.2],
    [35, 33.2],
    [35, 33],
  ];
  const r = nearestOnPolylines([ring], 34.99, 33.1);
  assert.equal(r.lon, 35);
});

test('matches a dense sampling of the arcs (great-circle correct)', () => {
  const pos = fc.tuple(fc.double({ min: 30, max: 40, noNaN: true }), fc.double({ min: -70, max: 70, noNaN: true }));
  fc.assert(
    fc.property(
      fc.array(pos, { minLength: 2, maxLength: 5 }),
      fc.tuple(fc.double({ min: -1, max: 1, noNaN: true }), fc.double({ min: -1, max: 1, noNaN: true })),
      (pts, [dx, dy]) => {
        // keep segments short (< 3°) so 600 samples per arc resolve the nearest point finely
        const line: Position[] = [pts[0]];
        for (const p of pts.slice(1)) {
          const q = line[line.length - 1];
          line.push([q[0] + Math.max(-3, Math.min(3, p[0] - q[0])), Math.max(-75, Math.min(75, q[1] + Math.max(-3, Math.min(3, p[1] - q[1]))))]);
        }
        const x = line[0][0] + dx * 2,
          y = Math.max(-80, Math.min(80, line[0][1] + dy * 2));
        const n = nearestOnPolylines([line], x, y);
        let best = Infinity;
        for (let k = 0; k + 1 < line.length; k++) for (const [sx, sy] of arc(line[k], line[k + 1], 600)) best = Math.min(best, distanceKm(x, y, sx, sy));
        // sampling overestimates the true minimum by at most ~(step/2)²/(2d); ours must never exceed it
        assert.ok(n.km <= best + 1e-9, `${n.km} > sampled ${best}`);
        assert.ok(best - n.km <= Math.max(1e-3 * n.km, 0.3), `${n.km} vs sampled ${best}`);
        // and the nearest point it reports is that far away
        assert.ok(Math.abs(distanceKm(x, y, n.lon, n.lat) - n.km) <= 1e-6 + 1e-9 * n.km);
      },
    ),
    { numRuns: 300 },
  );
});
