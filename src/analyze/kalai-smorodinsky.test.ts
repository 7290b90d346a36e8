import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compileCurve } from './expr.ts';
import { makeFrontier } from './frontier.ts';
import { kalaiSmorodinsky } from './kalai-smorodinsky.ts';
import type { Point } from './model.ts';

const near = (got: Point, want: Point, what: string) =>
  assert.ok(Math.abs(got[0] - want[0]) < 1e-6 && Math.abs(got[1] - want[1]) < 1e-6, `${what}: got ${got}, want ${want}`);
const onCurve = (curve: string, d: Point) => kalaiSmorodinsky(makeFrontier({ disagreement: d, curve, f: compileCurve(curve) }));
const onPoints = (points: Point[], d: Point) => kalaiSmorodinsky(makeFrontier({ disagreement: d, points }));

test('KS on u2 = 1 − u1 with d off the origin', () => {
  // Ideal point a = (1 − d2, 1 − d1): both gains a − d equal 1 − d1 − d2, so the line from d
  // has slope 1: u1 − d1 = u2 − d2 with u1 + u2 = 1 gives u1 = (1 + d1 − d2) / 2.
  near(onCurve('1 - u1', [0.1, 0.3]), [0.4, 0.6], 'linear');
});

test('KS on u2 = sqrt(1 − u1)', () => {
  // d = 0: a = (1, 1), so u2 = u1 = sqrt(1 − u1): u1² + u1 − 1 = 0, u1 = (√5 − 1) / 2.
  const g = (Math.sqrt(5) - 1) / 2;
  near(onCurve('sqrt(1 - u1)', [0, 0]), [g, g], 'at the origin');
  // d = (0.1, 0.2): a1 = 1 − 0.2² = 0.96 (where the curve falls to d2), a2 = sqrt(0.9).
  // The line u2 = m + k·u1 with k = (a2 − d2) / (a1 − d1), m = d2 − k·d1 meets the curve where
  // (m + k·u1)² = 1 − u1: k²u1² + (2mk + 1)u1 + m² − 1 = 0, the positive root.
  const [d1, d2] = [0.1, 0.2];
  const k = (Math.sqrt(0.9) - d2) / (0.96 - d1);
  const m = d2 - k * d1;
  const b = 2 * m * k + 1;
  const u1 = (-b + Math.sqrt(b * b - 4 * k * k * (m * m - 1))) / (2 * k * k);
  near(onCurve('sqrt(1 - u1)', [d1, d2]), [u1, Math.sqrt(1 - u1)], 'off the origin');
});

test('KS on u2 = 1 − u1² with d off the origin', () => {
  // d = (0.2, 0.1): a1 = sqrt(0.9) (where 1 − u1² = 0.1), a2 = 1 − 0.04 = 0.96. With
  // k = (a2 − d2) / (a1 − d1): 1 − u1² = d2 + k(u1 − d1), i.e. u1² + k·u1 + (d2 − k·d1 − 1) = 0.
  const [d1, d2] = [0.2, 0.1];
  const k = (0.96 - d2) / (Math.sqrt(0.9) - d1);
  const c = d2 - k * d1 - 1;
  const u1 = (-k + Math.sqrt(k * k - 4 * c)) / 2;
  near(onCurve('1 - u1^2', [d1, d2]), [u1, 1 - u1 * u1], 'quadratic');
});

test('KS on polygons, with d off the origin', () => {
  // (0, 1), (0.8, 0.8), (1, 0), d = 0: a = (1, 1), the diagonal meets the kink (0.8, 0.8).
  near(
    onPoints(
      [
        [0, 1],
        [0.8, 0.8],
        [1, 0],
      ],
      [0, 0],
    ),
    [0.8, 0.8],
    'at the origin',
  );
  // d = (0.2, 0.1): a1 is where the lower edge u2 = 4 − 4u1 falls to 0.1 (0.975); a2 is the
  // upper edge u2 = 1 − u1/4 at u1 = 0.2 (0.95). Along d + t(0.775, 0.85) the lower edge is
  // met where 0.1 + 0.85t = 4 − 4(0.2 + 0.775t): t = 3.1 / 3.95 (at u1 ≥ 0.8, so on that edge).
  const t = 3.1 / 3.95;
  near(
    onPoints(
      [
        [0, 1],
        [0.8, 0.8],
        [1, 0],
      ],
      [0.2, 0.1],
    ),
    [0.2 + 0.775 * t, 0.1 + 0.85 * t],
    'off the origin',
  );
});

test('KS when d is a vertex of the hull (the clipped polygon repeats it)', () => {
  // The hull of (1, 0), (0, 1), (0.6, 0.6) and d = (0.2, 0.1) has d as a vertex; clipping at
  // u ≥ d meets it twice. Region: d, (14/15, 0.1), (0.6, 0.6), (0.2, 13/15); a = (14/15, 13/15).
  // The line d + t(11/15, 23/30) meets the edge u2 = 1.5(1 − u1) where
  // 0.1 + 23t/30 = 1.5(0.8 − 11t/15), i.e. t = 1.1 / (23/30 + 1.1).
  const t = 1.1 / (23 / 30 + 1.1);
  near(
    onPoints(
      [
        [1, 0],
        [0, 1],
        [0.6, 0.6],
      ],
      [0.2, 0.1],
    ),
    [0.2 + (11 / 15) * t, 0.1 + (23 / 30) * t],
    'd on the hull',
  );
});
