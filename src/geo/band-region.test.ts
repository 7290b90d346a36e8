import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import fc from 'fast-check';
import { bandContainsInSet, bandContainsReference, bandRegion } from './band-region.ts';
import { LineSet, nearestOnPolylines } from './polyline.ts';
import { destination, distanceKm } from './sphere.ts';
import { linePoints } from './testgen.ts';
import type { Position, Side } from './types.ts';

const SIDES: Side[] = ['east', 'west', 'north', 'south', 'left', 'right', 'both'];

function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 4294967296;
}

/** Points that stress a band: random, on the lines, at exactly kmMin/kmMax from vertices, on grid lines. */
function probes(lines: Position[][], kmMin: number, kmMax: number, region: ReturnType<typeof bandRegion>, rnd: () => number, n: number): Position[] {
  const [x0, y0, x1, y1] = region.bbox;
  const pts: Position[] = linePoints(lines);
  for (let k = 0; k < n; k++) pts.push([x0 + rnd() * (x1 - x0), y0 + rnd() * (y1 - y0)]);
  for (const l of lines) {
    for (const [x, y] of l) {
      for (const d of [kmMin, kmMax, kmMax + 1e-9, Math.max(0, kmMin - 1e-9)]) {
        for (const b of [0, 45, 90, 135, 180, 225, 270, 315, 360 * rnd()]) pts.push(destination(x, y, b, d));
      }
    }
  }
  for (let k = 0; k < 200; k++) pts.push([region.xs[Math.floor(rnd() * region.xs.length)], region.ys[Math.floor(rnd() * region.ys.length)]]);
  return pts;
}

const polyline = fc
  .record({
    x: fc.double({ min: 34, max: 36, noNaN: true }),
    y: fc.double({ min: -60, max: 60, noNaN: true }),
    steps: fc.array(fc.tuple(fc.double({ min: -0.4, max: 0.4, noNaN: true }), fc.double({ min: -0.4, max: 0.4, noNaN: true })), {
      minLength: 1,
      maxLength: 12,
    }),
    closed: fc.boolean(),
  })
  .map(({ x, y, steps, closed }) => {
    const line: Position[] = [[x, y]];
    for (const [dx, dy] of steps) line.push([line[line.length - 1][0] + dx, line[line.length - 1][1] + dy]);
    if (closed && line.length >= 3) line.push([x, y]);
    return line;
  });

test('grid agrees with the plain reference: random open polylines and rings, every side', () => {
  fc.assert(
    fc.property(
      fc.array(polyline, { minLength: 1, maxLength: 2 }),
      fc.double({ min: 0, max: 15, noNaN: true }),
      fc.double({ min: 0, max: 30, noNaN: true }),
      fc.constantFrom(...SIDES),
      fc.integer({ min: 64, max: 40000 }),
      fc.integer(),
      (lines, a, w, side, cells, seed) => {
        const kmMin = a < 3 ? 0 : a;
        const kmMax = kmMin + w;
        const region = bandRegion(lines, kmMin, kmMax, side, { cells });
        const set = new LineSet(lines);
        for (const [x, y] of probes(lines, kmMin, kmMax, region, lcg(seed), 300)) {
          const want = bandContainsInSet(set, kmMin, kmMax, side, x, y);
          if (region.contains(x, y) !== want) assert.fail(`(${x}, ${y}) side ${side} [${kmMin}, ${kmMax}]: grid ${!want}, reference ${want}`);
        }
      },
    ),
    { numRuns: 120 },
  );
});

test('band membership follows its definition (distance and side at the nearest point)', () => {
  const line: Position[] = [
    [35.87, 33.41],
    [35.9, 33.1],
    [35.8, 32.75],
  ];
  const rnd = lcg(5);
  for (let k = 0; k < 3000; k++) {
    const x = 35.6 + rnd() * 0.6,
      y = 32.6 + rnd() * 1.0;
    const n = nearestOnPolylines([line], x, y);
    const inRange = n.km >= 2 && n.km <= 10;
    assert.equal(bandContainsReference([line], 2, 10, 'east', x, y), inRange && x >= n.lon);
    assert.equal(bandContainsReference([line], 2, 10, 'west', x, y), inRange && x <= n.lon);
    assert.equal(bandContainsReference([line], 2, 10, 'north', x, y), inRange && y >= n.lat);
    assert.equal(bandContainsReference([line], 2, 10, 'south', x, y), inRange && y <= n.lat);
    assert.equal(bandContainsReference([line], 2, 10, 'both', x, y), inRange);
    // left and right split the band, overlapping only on the dividing surface
    const l = bandContainsReference([line], 2, 10, 'left', x, y),
      r = bandContainsReference([line], 2, 10, 'right', x, y);
    assert.equal(l || r, inRange);
  }
  // The line runs south: its left is east.
  assert.equal(bandContainsReference([line], 0, 10, 'left', 35.95, 33.1), true);
  assert.equal(bandContainsReference([line], 0, 10, 'right', 35.95, 33.1), false);
});

test('distance 0 counts for every side; thresholds are inclusive', () => {
  const line: Position[] = [
    [35, 33],
    [35.2, 33.1],
  ];
  for (const side of SIDES) {
    assert.equal(bandContainsReference([line], 0, 5, side, 35, 33), true, side);
    assert.equal(bandRegion([line], 0, 5, side).contains(35.2, 33.1), true, side);
  }
  // exactly 10 km due north of the end vertex, which is the nearest point
  const [x, y] = destination(35.2, 33.1, 30, 10);
  const d = nearestOnPolylines([line], x, y).km;
  assert.ok(Math.abs(d - 10) < 1e-9);
  assert.equal(bandContainsReference([line], 0, d, 'both', x, y), true);
  assert.equal(bandContainsReference([line], d, 20, 'both', x, y), true);
});

test('a band along the Area of Separation rings and its eastern edge (real geometry)', () => {
  const g = JSON.parse(readFileSync(new URL('./testdata/osm-golan-undof.geojson', import.meta.url), 'utf8'));
  const rings: Position[][] = g.features[0].geometry.coordinates;
  const rnd = lcg(3);
  for (const [lines, lo, hi, side] of [
    [rings, 0, 2, 'both'],
    [rings, 0, 10, 'east'],
    [rings, 1, 5, 'right'],
    [[rings[0].slice(0, 120)], 0, 10, 'left'],
  ] as [Position[][], number, number, Side][]) {
    const region = bandRegion(lines, lo, hi, side);
    const set = new LineSet(lines);
    for (const [x, y] of probes(lines, lo, hi, region, rnd, 4000)) {
      assert.equal(region.contains(x, y), bandContainsInSet(set, lo, hi, side, x, y), `(${x}, ${y}) ${side}`);
    }
  }
});

test('a band along a 50,000-vertex border', () => {
  const rnd = lcg(13);
  const border: Position[] = [];
  for (let k = 0; k < 50_000; k++) {
    const lat = 32 + (2 * k) / 49_999;
    border.push([35 + 0.15 * Math.sin(lat * 9) + 0.05 * Math.sin(lat * 53) + 0.00002 * (rnd() - 0.5), lat]);
  }
  const t0 = performance.now();
  const region = bandRegion([border], 2, 10, 'both');
  const built = performance.now() - t0;
  assert.ok(built < 10_000, `built in ${built.toFixed(0)} ms`);
  const set = new LineSet([border]);
  const [x0, y0, x1, y1] = region.bbox;
  for (let k = 0; k < 1000; k++) {
    const x = x0 + rnd() * (x1 - x0),
      y = y0 + rnd() * (y1 - y0);
    assert.equal(region.contains(x, y), bandContainsInSet(set, 2, 10, 'both', x, y), `(${x}, ${y})`);
  }
});

test('empty and degenerate bands', () => {
  assert.equal(bandRegion([], 0, 10, 'both').contains(35, 33), false);
  assert.equal(bandRegion([[[35, 33]]], 0, 10, 'both').contains(35.05, 33), true); // a single point: a disk
  assert.equal(
    bandRegion(
      [
        [
          [35, 33],
          [35.1, 33],
        ],
      ],
      5,
      1,
      'both',
    ).contains(35.05, 33),
    false,
  ); // kmMin > kmMax
  assert.throws(
    () =>
      bandRegion(
        [
          [
            [35, 33],
            [35.1, 33],
          ],
        ],
        0,
        1,
        'up' as Side,
      ),
    RangeError,
  );
  // the bbox holds every point within kmMax
  const region = bandRegion(
    [
      [
        [35, 60],
        [36, 60.5],
      ],
    ],
    0,
    50,
    'both',
  );
  const [x0, y0, x1, y1] = region.bbox;
  for (const b of [0, 90, 180, 270]) {
    const [x, y] = destination(36, 60.5, b, 49.99);
    assert.ok(x >= x0 && x <= x1 && y >= y0 && y <= y1, `bearing ${b}`);
    assert.ok(distanceKm(36, 60.5, x, y) < 50);
  }
});

test('the same band asked twice is traced once; another distance, side or line is its own', () => {
  const line: Position[] = [
    [35.8, 32.9],
    [35.85, 33.2],
  ];
  const a = bandRegion([line], 0, 5, 'east');
  assert.equal(bandRegion([line.map((p) => [...p])], 0, 5, 'east'), a, 'equal inputs share one region');
  assert.notEqual(bandRegion([line], 0, 6, 'east'), a);
  assert.notEqual(bandRegion([line], 0, 5, 'west'), a);
  assert.notEqual(bandRegion([[line[0], [35.86, 33.2]]], 0, 5, 'east'), a);
});
