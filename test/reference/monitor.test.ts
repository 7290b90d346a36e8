// Tests of the reference itself: its plain geometry, and the hand-worked cases of
// hand-cases.ts (expected transitions written from the spec before the code ran), so
// that the reference is known to be right before it is used to judge the engine.

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { haversineKm, nearestOnSegment, pointInPolygonRings, type Pos } from './geometry.ts';
import { handCases } from './hand-cases.ts';
import { shape } from './compare.ts';
import { referenceAmbiguities, referenceCheck } from './monitor.ts';
import { addDuration, formatTime, parseTime } from './time.ts';

const square = (x0: number, y0: number, x1: number, y1: number): Pos[] => [
  [x0, y0],
  [x1, y0],
  [x1, y1],
  [x0, y1],
  [x0, y0],
];

/** Compares exactly, except numbers under cpa_* (hand arithmetic to about 4 digits). */
function check(actualIn: object[], expectedIn: object[]): void {
  const actual = actualIn.map(shape);
  const expected = expectedIn.map(shape);
  const near = (a: unknown, b: unknown, key: string): boolean =>
    typeof a === 'number' && typeof b === 'number' && key.startsWith('cpa_') && Math.abs(a - b) <= 0.01;
  assert.equal(
    actual.length,
    expected.length,
    `expected ${expected.length} transitions, got ${actual.length}:\n${actual.map((t) => JSON.stringify(t)).join('\n')}`,
  );
  actual.forEach((a, i) => {
    const e = expected[i] as Record<string, unknown>;
    const x = a as Record<string, unknown>;
    assert.deepEqual(Object.keys(x).sort(), Object.keys(e).sort(), `fields of transition ${i}: ${JSON.stringify(a)}`);
    for (const k of Object.keys(e)) {
      if (!near(x[k], e[k], k)) assert.deepEqual(x[k], e[k], `transition ${i} field ${k}: ${JSON.stringify(a)}`);
    }
  });
}

describe('reference geometry', () => {
  test('haversine: a degree of latitude is 111.195 km on the 6371.0088 km sphere', () => {
    assert.ok(Math.abs(haversineKm([35, 33], [35, 34]) - 111.19508) < 1e-4);
    assert.ok(Math.abs(haversineKm([0, 0], [0.5, 0]) - 55.59754) < 1e-4);
  });

  test('nearest point on a segment agrees with dense sampling of the great-circle arc', () => {
    const a: Pos = [35.8, 33.4];
    const b: Pos = [35.95, 32.9];
    let seed = 7;
    const rnd = (): number => (seed = (seed * 16807) % 2147483647) / 2147483647;
    for (let k = 0; k < 50; k++) {
      const p: Pos = [35.5 + rnd() * 0.8, 32.6 + rnd() * 1.1];
      let best = Infinity;
      // The great-circle arc sampled by normalised linear interpolation of unit vectors.
      const v = (q: Pos): number[] => [
        Math.cos((q[1] * Math.PI) / 180) * Math.cos((q[0] * Math.PI) / 180),
        Math.cos((q[1] * Math.PI) / 180) * Math.sin((q[0] * Math.PI) / 180),
        Math.sin((q[1] * Math.PI) / 180),
      ];
      const A = v(a);
      const B = v(b);
      for (let i = 0; i <= 20000; i++) {
        const f = i / 20000;
        const x = A.map((c, j) => c * (1 - f) + B[j] * f);
        const n = Math.hypot(x[0], x[1], x[2]);
        const q: Pos = [(Math.atan2(x[1], x[0]) * 180) / Math.PI, (Math.asin(x[2] / n) * 180) / Math.PI];
        best = Math.min(best, haversineKm(p, q));
      }
      const got = nearestOnSegment(p, a, b).km;
      assert.ok(Math.abs(got - best) < 0.005, `point ${p}: ${got} vs sampled ${best}`);
    }
  });

  test('polygon: vertices and edges (holes too) are inside, the hole is not', () => {
    const rings = [square(0, 0, 1, 1), square(0.4, 0.4, 0.6, 0.6)];
    assert.equal(pointInPolygonRings([0, 0], rings), true);
    assert.equal(pointInPolygonRings([1, 1], rings), true);
    assert.equal(pointInPolygonRings([0.5, 0], rings), true);
    assert.equal(pointInPolygonRings([0.5, 0.5], rings), false);
    assert.equal(pointInPolygonRings([0.4, 0.5], rings), true);
    assert.equal(pointInPolygonRings([0.6, 0.6], rings), true);
    assert.equal(pointInPolygonRings([0.2, 0.7], rings), true);
    assert.equal(pointInPolygonRings([1.0000001, 0.5], rings), false);
    const notes: string[] = [];
    pointInPolygonRings([1.0000001, 0.5], rings, (m) => notes.push(m));
    assert.equal(notes.length, 1, 'a point 1e-7° off an edge is flagged as too close to call');
  });

  test('durations and times', () => {
    assert.equal(addDuration(parseTime('2025-01-31T10:00:00Z'), 'P1M'), parseTime('2025-02-28T10:00:00Z'));
    assert.equal(addDuration(parseTime('2025-01-01T00:00:00Z'), 'P1DT1H30M'), parseTime('2025-01-02T01:30:00Z'));
    assert.equal(addDuration(parseTime('2025-01-01T00:00:00Z'), 'PT1H', -1), parseTime('2024-12-31T23:00:00Z'));
    assert.equal(addDuration(0, 'P2W'), 14 * 86_400_000);
    assert.equal(formatTime(parseTime('2025-12-27T10:00:00Z')), '2025-12-27T10:00:00Z');
    assert.equal(formatTime(parseTime('2025-12-27T10:00:00.250Z')), '2025-12-27T10:00:00.250Z');
  });
});

describe('reference monitor, hand-worked', () => {
  for (const c of handCases) {
    test(c.name, () => {
      const { arrangement, reports, until, expected } = c.build();
      check(referenceCheck(arrangement, reports, parseTime(until)), expected);
    });
  }

  test('the zones case is fair to judge an engine by (no evaluation near a threshold)', () => {
    const zonesCase = handCases.find((c) => c.name.startsWith('zones:'));
    assert.ok(zonesCase);
    const { arrangement, reports, until } = zonesCase.build();
    assert.deepEqual(referenceAmbiguities(arrangement, reports, parseTime(until)), []);
  });
});
