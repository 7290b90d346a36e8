import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compileCurve } from './expr.ts';
import { makeFrontier } from './frontier.ts';
import type { Point } from './model.ts';
import { nash } from './nash.ts';

const near = (got: Point, want: Point, what: string) =>
  assert.ok(Math.abs(got[0] - want[0]) < 1e-6 && Math.abs(got[1] - want[1]) < 1e-6, `${what}: got ${got}, want ${want}`);
const onCurve = (curve: string, d: Point) => nash(makeFrontier({ disagreement: d, curve, f: compileCurve(curve) }));
const onPoints = (points: Point[], d: Point) => nash(makeFrontier({ disagreement: d, points }));

test('Nash on u2 = 1 − u1 with d off the origin', () => {
  // max (u1 − d1)(1 − u1 − d2): derivative (1 − u1 − d2) − (u1 − d1) = 0, so
  // u1 = (1 + d1 − d2) / 2 and u2 = (1 − d1 + d2) / 2. With d = (0.1, 0.3): (0.4, 0.6).
  near(onCurve('1 - u1', [0.1, 0.3]), [0.4, 0.6], 'linear');
});

test('Nash on u2 = sqrt(1 − u1) with d = (d1, 0)', () => {
  // max (u1 − d1)·sqrt(1 − u1): derivative sqrt(1 − u1) − (u1 − d1) / (2·sqrt(1 − u1)) = 0,
  // so 2(1 − u1) = u1 − d1 and u1 = (2 + d1) / 3. With d1 = 0.1: u1 = 0.7, u2 = sqrt(0.3).
  near(onCurve('sqrt(1 - u1)', [0.1, 0]), [0.7, Math.sqrt(0.3)], 'square root');
  // At the origin the classic 2/3.
  near(onCurve('sqrt(1 - u1)', [0, 0]), [2 / 3, Math.sqrt(1 / 3)], 'square root at the origin');
});

test('Nash on u2 = 1 − u1² with d off the origin', () => {
  // max (u1 − d1)(1 − u1² − d2): derivative (1 − u1² − d2) − 2u1(u1 − d1) = 0, i.e.
  // 3u1² − 2d1·u1 − (1 − d2) = 0, so u1 = (d1 + sqrt(d1² + 3(1 − d2))) / 3.
  const [d1, d2] = [0.2, 0.1];
  const u1 = (d1 + Math.sqrt(d1 * d1 + 3 * (1 - d2))) / 3;
  near(onCurve('1 - u1^2', [d1, d2]), [u1, 1 - u1 * u1], 'quadratic');
});

test('Nash on polygons: inside an edge, and at a kink', () => {
  // The hull of (0, 3), (3, 0) and d has the edge u1 + u2 = 3: as for the line above,
  // u1 = (3 + d1 − d2) / 2. With d = (1, 0.5): (1.75, 1.25).
  near(
    onPoints(
      [
        [0, 3],
        [3, 0],
      ],
      [1, 0.5],
    ),
    [1.75, 1.25],
    'edge',
  );
  // (0, 1), (0.8, 0.8), (1, 0) with d = (0.2, 0.1). On the upper edge u2 = 1 − u1/4 the
  // product's stationary point is u1 = 1.9, on the lower one u2 = 4 − 4u1 it is 0.5875:
  // both outside their edges, so the maximum is the vertex between them.
  near(
    onPoints(
      [
        [0, 1],
        [0.8, 0.8],
        [1, 0],
      ],
      [0.2, 0.1],
    ),
    [0.8, 0.8],
    'kink',
  );
  // Points dominated by others change nothing.
  near(
    onPoints(
      [
        [0, 1],
        [0.8, 0.8],
        [1, 0],
        [0.5, 0.5],
        [0.1, 0.1],
      ],
      [0.2, 0.1],
    ),
    [0.8, 0.8],
    'kink with dominated points',
  );
});

test('no outcome better for both than disagreement: the solution is d', () => {
  near(
    onPoints(
      [
        [1, 0],
        [0, 1],
      ],
      [0.6, 0.6],
    ),
    [0.6, 0.6],
    'polygon below d',
  );
  near(onCurve('0.5 - u1', [0.1, 0.5]), [0.1, 0.5], 'curve below d');
});
