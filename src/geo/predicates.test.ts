import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { onSegment, orient, orientExact, segmentsIntersect } from './predicates.ts';

test('orient: the filtered sign always equals the exact sign', () => {
  const coord = fc.oneof(
    fc.double({ min: -180, max: 180, noNaN: true }),
    fc.integer({ min: -4, max: 4 }).map((k) => 35 + k / 8),
  );
  fc.assert(
    fc.property(coord, coord, coord, coord, fc.double({ min: 0, max: 1, noNaN: true }), fc.integer({ min: -3, max: 3 }), (ax, ay, bx, by, t, ulps) => {
      // c near the line a–b: on it (as far as doubles allow) and nudged by a few ulps
      let cx = ax + t * (bx - ax),
        cy = ay + t * (by - ay);
      cx += ulps * Number.EPSILON * Math.max(1, Math.abs(cx));
      const s = Math.sign(orient(ax, ay, bx, by, cx, cy));
      assert.equal(s, orientExact(ax, ay, bx, by, cx, cy));
      cy = ay; // also exercise axis-parallel cases
      assert.equal(Math.sign(orient(ax, ay, bx, ay, cx, cy)), orientExact(ax, ay, bx, ay, cx, cy));
      assert.equal(Math.sign(orient(ax, ay, ax, by, ax, cy)), orientExact(ax, ay, ax, by, ax, cy));
    }),
    { numRuns: 3000 },
  );
});

test('orient: near-degenerate cases where the plain determinant gets the sign wrong', () => {
  // Points a few ulps around the line through (12, 12) and (24, 24) (Kettner et al.'s classroom example).
  let naiveWrong = 0;
  for (let i = 0; i < 64; i++) {
    for (let j = 0; j < 64; j++) {
      const px = 0.5 + i * 2 ** -53,
        py = 0.5 + j * 2 ** -53;
      const exact = orientExact(px, py, 12, 12, 24, 24);
      const naive = Math.sign((12 - px) * (24 - py) - (12 - py) * (24 - px));
      if (naive !== exact) naiveWrong++;
      assert.equal(Math.sign(orient(px, py, 12, 12, 24, 24)), exact);
    }
  }
  assert.ok(naiveWrong > 0, 'the example should defeat the plain determinant');
  assert.equal(orient(0, 0, 1, 0, 0.5, 1e-300) > 0, true);
  assert.equal(orient(0, 0, 1, 0, 0.5, -1e-300) < 0, true);
  assert.equal(onSegment(35.25, 33.5, 35.75, 33.25, 35.5, 33.375), true);
  assert.equal(onSegment(35.25, 33.5, 35.75, 33.25, 35.5, 33.375 + 2 ** -40), false);
});

test('segmentsIntersect: crossing, touching, collinear, apart', () => {
  assert.equal(segmentsIntersect(0, 0, 2, 2, 0, 2, 2, 0), true);
  assert.equal(segmentsIntersect(0, 0, 2, 0, 1, 0, 1, 1), true); // T
  assert.equal(segmentsIntersect(0, 0, 2, 0, 2, 0, 3, 1), true); // shared end
  assert.equal(segmentsIntersect(0, 0, 2, 0, 1, 0, 3, 0), true); // collinear overlap
  assert.equal(segmentsIntersect(0, 0, 1, 0, 2, 0, 3, 0), false); // collinear apart
  assert.equal(segmentsIntersect(0, 0, 1, 1, 0, 1, 0.4, 0.6000001), false);
  assert.equal(segmentsIntersect(0, 0, 1, 0, 0.5, 1e-300, 0.5, 1), false);
});
