import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { HitGrid } from './hit-grid.ts';

/** The answer without an index: every point within r, nearest first. */
function brute(xs: Float32Array, ys: Float32Array, n: number, w: number, h: number, x: number, y: number, r: number): number[] {
  const out: { i: number; d: number }[] = [];
  for (let i = 0; i < n; i++) {
    if (!(xs[i] >= 0 && ys[i] >= 0 && xs[i] < w && ys[i] < h)) continue;
    const d = Math.hypot(xs[i] - x, ys[i] - y);
    if (d <= r) out.push({ i, d });
  }
  return out.sort((a, b) => a.d - b.d || a.i - b.i).map((o) => o.i);
}

test('the grid finds exactly the points a full scan finds, nearest first', () => {
  fc.assert(
    fc.property(
      fc.array(fc.tuple(fc.float({ min: -50, max: 450, noNaN: true }), fc.float({ min: -50, max: 350, noNaN: true })), { maxLength: 300 }),
      fc.tuple(fc.float({ min: 0, max: 400, noNaN: true }), fc.float({ min: 0, max: 300, noNaN: true }), fc.float({ min: 0, max: 80, noNaN: true })),
      fc.integer({ min: 4, max: 64 }),
      (points, [x, y, r], cell) => {
        const xs = Float32Array.from(points.map((p) => p[0]));
        const ys = Float32Array.from(points.map((p) => p[1]));
        const g = new HitGrid(cell);
        g.build(xs, ys, points.length, 400, 300);
        assert.deepEqual(g.near(x, y, r), brute(xs, ys, points.length, 400, 300, x, y, r));
      },
    ),
  );
});

test('points left out (hidden units) are never hit; an empty spot answers -1', () => {
  const xs = Float32Array.from([10, 12, 200]);
  const ys = Float32Array.from([10, 10, 100]);
  const g = new HitGrid(16);
  g.build(xs, ys, 3, 300, 200, (i) => i === 0);
  assert.equal(g.nearest(10, 10, 5), 1);
  assert.equal(g.nearest(100, 150, 20), -1);
  assert.equal(g.nearest(201, 101, 3), 2);
});
