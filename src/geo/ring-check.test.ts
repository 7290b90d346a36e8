import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import fc from 'fast-check';
import { segmentsIntersect } from './predicates.ts';
import { ringSelfIntersection } from './ring-check.ts';
import { starRing } from './testgen.ts';
import type { Ring } from './types.ts';

/** Plain O(n²) reference with the same rules (after collapsing repeated positions). */
function bruteForce(ring: Ring): { i: number; j: number } | null {
  const v: [number, number][] = [],
    orig: number[] = [];
  ring.forEach((p, k) => {
    const q = v[v.length - 1];
    if (q && q[0] === p[0] && q[1] === p[1]) return;
    if (q) orig.push(k - 1);
    v.push([p[0], p[1]]);
  });
  if (v[0][0] !== v[v.length - 1][0] || v[0][1] !== v[v.length - 1][1]) {
    orig.push(ring.length - 1);
    v.push(v[0]);
  }
  const m = v.length - 1;
  let best: { i: number; j: number } | null = null;
  const take = (a: number, b: number) => {
    const i = Math.min(orig[a], orig[b]),
      j = Math.max(orig[a], orig[b]);
    if (!best || i < best.i || (i === best.i && j < best.j)) best = { i, j };
  };
  for (let a = 0; a < m; a++) {
    for (let b = a + 1; b < m; b++) {
      const adjacent = b === a + 1 || (a === 0 && b === m - 1);
      const [p, q, r, s] = [v[a], v[a + 1], v[b], v[b + 1]];
      if (!adjacent) {
        if (segmentsIntersect(p[0], p[1], q[0], q[1], r[0], r[1], s[0], s[1])) take(a, b);
      } else {
        // neighbours: only a fold-back counts (they share one vertex anyway)
        const [x, y, z] = b === a + 1 ? [p, q, s] : [r, s, q]; // x→y→z with y shared
        const cross = (y[0] - x[0]) * (z[1] - x[1]) - (y[1] - x[1]) * (z[0] - x[0]);
        const dot = (y[0] - x[0]) * (z[0] - y[0]) + (y[1] - x[1]) * (z[1] - y[1]);
        if (cross === 0 && dot < 0) take(a, b);
      }
    }
  }
  return best;
}

test('valid rings: squares, star-shaped rings, the OSM rings', () => {
  assert.equal(
    ringSelfIntersection([
      [0, 0],
      [1, 0],
      [1, 1],
      [0, 1],
      [0, 0],
    ]),
    null,
  );
  fc.assert(
    fc.property(fc.array(fc.double({ min: 0.2, max: 1, noNaN: true }), { minLength: 3, maxLength: 200 }), (radii) => {
      assert.equal(ringSelfIntersection(starRing(35, 33, radii)), null);
    }),
    { numRuns: 200 },
  );
  const g = JSON.parse(readFileSync(new URL('./testdata/osm-golan-undof.geojson', import.meta.url), 'utf8'));
  for (const f of g.features) assert.equal(ringSelfIntersection(f.geometry.coordinates[0]), null);
});

test('agrees with the all-pairs reference on random small rings (many self-intersect)', () => {
  const pt = fc.tuple(fc.integer({ min: 0, max: 6 }), fc.integer({ min: 0, max: 6 }));
  fc.assert(
    fc.property(fc.array(pt, { minLength: 3, maxLength: 14 }), fc.boolean(), (pts, close) => {
      const ring: Ring = pts.map(([x, y]) => [35 + x / 4, 33 + y / 4]);
      if (close) ring.push([ring[0][0], ring[0][1]]);
      assert.deepEqual(ringSelfIntersection(ring), bruteForce(ring));
    }),
    { numRuns: 2000 },
  );
});

test('50,000-vertex rings: valid in well under a second, and one crossing found', () => {
  const n = 50_000;
  const radii: number[] = [];
  // a border-like outline: a few broad lobes and metre-scale jitter
  for (let k = 0; k < n; k++) radii.push(0.5 + 0.05 * Math.sin((18 * Math.PI * k) / n) + 0.00002 * Math.sin(k * 1.7));
  const ring = starRing(35, 33, radii);
  let t = performance.now();
  assert.equal(ringSelfIntersection(ring), null);
  const ms = performance.now() - t;
  assert.ok(ms < 1000, `${ms.toFixed(0)} ms`);
  // swap two neighbouring vertices far along: segments k-1 and k+1 now cross
  const bad = ring.map((p) => [p[0], p[1]] as [number, number]);
  const k = 31_337;
  [bad[k], bad[k + 1]] = [bad[k + 1], bad[k]];
  t = performance.now();
  assert.deepEqual(ringSelfIntersection(bad), { i: k - 1, j: k + 1 });
  assert.ok(performance.now() - t < 1000);
});
