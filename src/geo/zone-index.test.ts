import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { bandRegion } from './band-region.ts';
import { polygonRegion } from './polygon-region.ts';
import { multiPolygon } from './testgen.ts';
import type { BBox, Region } from './types.ts';
import { RegionIndex } from './zone-index.ts';

/** A region without classify(): a disk in lon/lat degrees. */
class Disk implements Region {
  readonly bbox: BBox;
  constructor(
    private readonly x: number,
    private readonly y: number,
    private readonly r: number,
  ) {
    this.bbox = [x - r, y - r, x + r, y + r];
  }
  contains(lon: number, lat: number): boolean {
    return (lon - this.x) ** 2 + (lat - this.y) ** 2 <= this.r ** 2;
  }
}

function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 4294967296;
}

test('query returns exactly the regions whose contains() is true, ascending', () => {
  fc.assert(
    fc.property(fc.array(multiPolygon, { minLength: 1, maxLength: 4 }), fc.integer({ min: 1, max: 5000 }), fc.integer(), (mps, cells, seed) => {
      const rnd = lcg(seed);
      const regions: Region[] = mps.map((mp) => polygonRegion(mp));
      regions.push(
        bandRegion(
          [
            [
              [34.5 + rnd(), 32.5 + rnd()],
              [35 + rnd(), 33 + rnd()],
            ],
          ],
          rnd() * 5,
          5 + rnd() * 20,
          'east',
        ),
      );
      regions.push(new Disk(35, 33, 0.5 * rnd()));
      regions.push(polygonRegion([])); // empty
      const index = new RegionIndex(regions, { cells });
      const out = new Int32Array(regions.length);
      const arr: number[] = [];
      const pts: [number, number][] = [];
      for (let k = 0; k < 500; k++) pts.push([33.5 + rnd() * 3.5, 31.5 + rnd() * 3.5]);
      for (const mp of mps) for (const poly of mp) for (const ring of poly) for (const p of ring) pts.push(p);
      for (const [x, y] of pts) {
        const want = regions.map((r, k) => (r.contains(x, y) ? k : -1)).filter((k) => k >= 0);
        const n = index.query(x, y, out);
        assert.deepEqual([...out.subarray(0, n)], want, `(${x}, ${y})`);
        arr.length = 0;
        assert.equal(index.query(x, y, arr), n);
        assert.deepEqual(arr, want);
      }
    }),
    { numRuns: 60 },
  );
});

test('no regions, and points far away', () => {
  assert.equal(new RegionIndex([]).query(0, 0, []), 0);
  const index = new RegionIndex([
    polygonRegion([
      [
        [
          [0, 0],
          [1, 0],
          [0, 1],
          [0, 0],
        ],
      ],
    ]),
  ]);
  assert.equal(index.query(5, 5, []), 0);
  assert.equal(index.query(NaN, 0.1, []), 0);
  const out: number[] = [];
  assert.equal(index.query(0.1, 0.1, out), 1);
  assert.deepEqual(out, [0]);
});
