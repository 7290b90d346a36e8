import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import fc from 'fast-check';
import { evenOddContains, polygonRegion } from './polygon-region.ts';
import { ringSelfIntersection } from './ring-check.ts';
import { edgePoints, multiPolygon, snap } from './testgen.ts';
import type { MultiPolygonCoords, Position, Ring } from './types.ts';

/** Every given point answered the same by the grid and by the plain loop. */
function agree(mp: MultiPolygonCoords, region: ReturnType<typeof polygonRegion>, pts: Position[]): void {
  for (const [x, y] of pts) {
    const want = evenOddContains(mp, x, y);
    if (region.contains(x, y) !== want) assert.fail(`(${x}, ${y}): grid says ${!want}, plain even-odd says ${want}`);
  }
}

/** Points on the region's grid lines: cell corners, and grid lines crossed with vertex coordinates. */
function gridPoints(region: ReturnType<typeof polygonRegion>, mp: MultiPolygonCoords, rnd: () => number): Position[] {
  const pts: Position[] = [];
  const { xs, ys } = region;
  for (let k = 0; k < 200; k++) pts.push([xs[Math.floor(rnd() * xs.length)], ys[Math.floor(rnd() * ys.length)]]);
  for (const poly of mp)
    for (const ring of poly)
      for (const [x, y] of ring) {
        pts.push([x, ys[Math.floor(rnd() * ys.length)]], [xs[Math.floor(rnd() * xs.length)], y]);
      }
  return pts;
}

function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 4294967296;
}

test('grid agrees with the plain even-odd test: random multipolygons with holes, edges, vertices, grid lines', () => {
  fc.assert(
    fc.property(multiPolygon, fc.integer({ min: 1, max: 20000 }), fc.boolean(), fc.integer(), (mp, cells, pad, seed) => {
      const region = polygonRegion(mp, { cells, pad });
      const [x0, y0, x1, y1] = region.bbox;
      const rnd = lcg(seed);
      const pts: Position[] = edgePoints(mp);
      for (let k = 0; k < 300; k++) pts.push([x0 - 0.1 + rnd() * (x1 - x0 + 0.2), y0 - 0.1 + rnd() * (y1 - y0 + 0.2)]);
      pts.push(...gridPoints(region, mp, rnd));
      agree(mp, region, pts);
    }),
    { numRuns: 150 },
  );
});

test('grid lines through vertices and along edges (lattice polygons, unpadded grid)', () => {
  // Vertices on a 1/8° lattice, grid of 1/8° or 1/16° cells: grid lines run through vertices and along edges.
  const lattice = fc.array(fc.tuple(fc.integer({ min: 0, max: 16 }), fc.integer({ min: 0, max: 16 })), { minLength: 3, maxLength: 12 });
  fc.assert(
    fc.property(lattice, fc.constantFrom(1, 2), (cornersRaw, sub) => {
      // A rectilinear-ish star: sort lattice points by angle about their centroid, then frame them in the 16×16 box.
      const frame: Position[] = [
        [0, 0],
        [16, 0],
        [16, 16],
        [0, 16],
      ];
      const pts = [...cornersRaw.map(([a, b]) => [a, b] as Position), ...frame];
      const cx = 8.01,
        cy = 7.99;
      pts.sort((p, q) => Math.atan2(p[1] - cy, p[0] - cx) - Math.atan2(q[1] - cy, q[0] - cx));
      const ring: Ring = pts.map(([a, b]) => [35 + a / 8, 33 + b / 8]);
      ring.push([ring[0][0], ring[0][1]]);
      const mp: MultiPolygonCoords = [[ring]];
      const region = polygonRegion(mp, { dims: [16 * sub, 16 * sub], pad: false });
      assert.equal(region.xs[1] - region.xs[0], 1 / 8 / sub);
      const probe: Position[] = [];
      for (let a = -1; a <= 33; a++) for (let b = -1; b <= 33; b++) probe.push([35 + a / 16, 33 + b / 16]);
      probe.push(...edgePoints(mp));
      agree(mp, region, probe);
    }),
    { numRuns: 100 },
  );
});

const golan = JSON.parse(readFileSync(new URL('./testdata/osm-golan-undof.geojson', import.meta.url), 'utf8'));

test('the OpenStreetMap Area of Separation and Golan Heights: random points, vertices, edge points', () => {
  for (const f of golan.features) {
    const mp: MultiPolygonCoords = [f.geometry.coordinates];
    assert.equal(ringSelfIntersection(mp[0][0]), null, 'the OSM rings are simple');
    const region = polygonRegion(mp);
    const [x0, y0, x1, y1] = region.bbox;
    const rnd = lcg(7);
    const pts: Position[] = edgePoints(mp);
    for (let k = 0; k < 20000; k++) pts.push([x0 - 0.02 + rnd() * (x1 - x0 + 0.04), y0 - 0.02 + rnd() * (y1 - y0 + 0.04)]);
    pts.push(...gridPoints(region, mp, rnd));
    agree(mp, region, pts);
  }
});

test('a 50,000-vertex border polygon', () => {
  const rnd = lcg(11);
  const border: Position[] = [];
  for (let k = 0; k < 50_000; k++) {
    const lat = 32 + (2 * k) / 49_999;
    border.push([snap(35 + 0.15 * Math.sin(lat * 9) + 0.05 * Math.sin(lat * 53) + 0.004 * (rnd() - 0.5)), lat]);
  }
  const ring: Ring = [...border, [34, 34], [34, 32], border[0]];
  const mp: MultiPolygonCoords = [[ring]];
  const t0 = performance.now();
  const region = polygonRegion(mp);
  const built = performance.now() - t0;
  assert.ok(built < 5000, `built in ${built.toFixed(0)} ms`);
  const pts: Position[] = [];
  for (let k = 0; k < 3000; k++) pts.push([34 + rnd() * 2, 32 + rnd() * 2]);
  for (let k = 0; k < 1500; k++) {
    const [x, y] = border[Math.floor(rnd() * border.length)];
    pts.push([x, y], [x + 1e-9, y], [x - 1e-9, y]);
  }
  agree(mp, region, pts);
});

test('points outside the bbox, NaN and empty input', () => {
  const region = polygonRegion([
    [
      [
        [0, 0],
        [1, 0],
        [0, 1],
        [0, 0],
      ],
    ],
  ]);
  assert.equal(region.contains(2, 0.5), false);
  assert.equal(region.contains(NaN, 0.5), false);
  assert.equal(region.contains(0.25, 0.25), true);
  const empty = polygonRegion([]);
  assert.equal(empty.contains(0, 0), false);
  assert.equal(evenOddContains([], 0, 0), false);
});

test('an unclosed ring gets its closing edge', () => {
  const open: MultiPolygonCoords = [
    [
      [
        [0, 0],
        [2, 0],
        [2, 2],
        [0, 2],
      ],
    ],
  ];
  assert.equal(evenOddContains(open, 1, 1), true);
  assert.equal(evenOddContains(open, 0, 1), true); // on the implicit closing edge
  assert.equal(polygonRegion(open).contains(0, 1), true);
});
