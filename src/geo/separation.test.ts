import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { conflict, type Mover } from './cpa.ts';
import { MoverGrid, conflictingPairs, conflictingPairsBruteForce } from './separation.ts';
import { destination } from './sphere.ts';

const NOW = 1_700_000_000;

const arbMover = (speed: number) =>
  fc.record({
    lon: fc.double({ min: 35, max: 36, noNaN: true }),
    lat: fc.double({ min: 33, max: 33.8, noNaN: true }),
    alt: fc.option(
      fc.oneof(
        fc.integer({ min: 0, max: 10 }).map((k) => 1000 + 300 * k),
        fc.double({ min: 0, max: 4000, noNaN: true }),
      ),
      { nil: null, freq: 4 },
    ),
    ve: fc.double({ min: -speed, max: speed, noNaN: true }),
    vn: fc.double({ min: -speed, max: speed, noNaN: true }),
    vu: fc.oneof(fc.constant(0), fc.double({ min: -30, max: 30, noNaN: true })),
    t: fc.integer({ min: NOW - 120, max: NOW }),
  });

/** Movers placed at a distance near the minimum from another, moving in formation or not. */
const nearPair = fc
  .record({
    base: arbMover(300),
    km: fc.oneof(fc.constant(9.26), fc.double({ min: 9.26 - 1e-6, max: 9.26 + 1e-6, noNaN: true }), fc.double({ min: 5, max: 15, noNaN: true })),
    bearing: fc.double({ min: 0, max: 360, noNaN: true }),
    dz: fc.oneof(fc.constant(300), fc.constant(299.9999999), fc.double({ min: -400, max: 400, noNaN: true })),
    same: fc.boolean(),
  })
  .map(({ base, km, bearing, dz, same }) => {
    const [lon, lat] = destination(base.lon, base.lat, bearing, km);
    const other: Mover = same
      ? { ...base, lon, lat, alt: base.alt === null ? null : base.alt + dz }
      : { ...base, lon, lat, alt: base.alt === null ? null : base.alt + dz, ve: -base.vn, vn: base.ve };
    return [base, other] as [Mover, Mover];
  });

test('conflictingPairs is identical to the all-pairs loop (random skies, high speeds, null altitudes, near-threshold pairs)', () => {
  fc.assert(
    fc.property(
      fc.array(arbMover(300), { maxLength: 40 }),
      fc.array(arbMover(1500), { maxLength: 25 }),
      fc.array(nearPair, { maxLength: 15 }),
      fc.constantFrom(0, 1, 60, 300, 1200),
      fc.constantFrom(9.26, 5, 30),
      fc.constantFrom(300, 150, 0),
      (slow, fast, pairs, H, km, m) => {
        const a = [...slow.slice(0, 20), ...fast.slice(0, 12), ...pairs.map((p) => p[0])];
        const b = [...slow.slice(20), ...fast.slice(12), ...pairs.map((p) => p[1])];
        const want = conflictingPairsBruteForce(a, b, NOW, H, km, m);
        assert.deepEqual(conflictingPairs(a, b, NOW, H, km, m), want);
        // and each result is what conflict() says for that pair
        for (const r of want) {
          const c = conflict(a[r.i], b[r.j], NOW, H, km, m)!;
          assert.deepEqual({ from: r.from, to: r.to, at: r.at }, c);
        }
      },
    ),
    { numRuns: 300 },
  );
});

test('a dense sky: 600 × 600 tracks', () => {
  let s = 9;
  const rnd = () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 4294967296;
  const mk = (n: number): Mover[] =>
    Array.from({ length: n }, () => {
      const v = 100 + 200 * rnd(),
        h = 2 * Math.PI * rnd();
      return {
        lon: 35 + rnd(),
        lat: 33 + rnd(),
        alt: rnd() < 0.1 ? null : 1000 + 300 * Math.floor(20 * rnd()),
        ve: v * Math.sin(h),
        vn: v * Math.cos(h),
        vu: rnd() < 0.3 ? 20 * (rnd() - 0.5) : 0,
        t: NOW - Math.floor(30 * rnd()),
      };
    });
  const a = mk(600),
    b = mk(600);
  const want = conflictingPairsBruteForce(a, b, NOW, 300, 9.26, 300);
  assert.ok(want.length > 50);
  assert.deepEqual(conflictingPairs(a, b, NOW, 300, 9.26, 300), want);
});

test('empty groups and bad windows', () => {
  const m: Mover = { lon: 35, lat: 33, alt: 1000, ve: 0, vn: 0, vu: 0, t: NOW };
  assert.deepEqual(conflictingPairs([], [m], NOW, 300, 9.26, 300), []);
  assert.deepEqual(conflictingPairs([m], [m], NOW, 300, 0, 300), []);
  assert.throws(() => conflictingPairs([m], [m], NOW, -1, 9.26, 300), RangeError);
  assert.equal(conflictingPairs([m], [{ ...m }], NOW, 0, 9.26, 300).length, 1);
});

test('MoverGrid: candidates include every mover that can conflict, after adds, updates and removes', () => {
  fc.assert(
    fc.property(
      fc.array(fc.tuple(fc.integer({ min: 0, max: 30 }), arbMover(400)), { minLength: 1, maxLength: 60 }),
      fc.array(fc.integer({ min: 0, max: 30 }), { maxLength: 10 }),
      arbMover(400),
      fc.constantFrom(9.26, 20),
      (ops, removals, query, km) => {
        const H = 300,
          maxAge = 120;
        const grid = new MoverGrid({ horizonS: H, maxAgeS: maxAge, cellKm: 20 });
        const live = new Map<number, Mover>();
        for (const [id, mv] of ops) {
          grid.update(id, mv);
          live.set(id, mv);
        }
        for (const id of removals) assert.equal(grid.remove(id), live.delete(id));
        assert.equal(grid.size, live.size);
        const found = new Set(grid.candidates(query, km));
        for (const [id, mv] of live) {
          // any evaluation time covered by both fixes' ages
          const lo = Math.max(mv.t, query.t),
            hi = Math.min(mv.t, query.t) + maxAge;
          for (let now = lo; now <= hi; now += 30) {
            if (conflict(query, mv, now, H, km, 0.001) !== null || conflict(query, { ...mv, alt: null }, now, H, km, 300) !== null) {
              assert.ok(found.has(id), `mover ${id} conflicts at now=${now} but is not a candidate`);
            }
          }
        }
      },
    ),
    { numRuns: 300 },
  );
});

test('MoverGrid: ids may be strings; remove of an unknown id is false', () => {
  const grid = new MoverGrid({ horizonS: 300 });
  const m: Mover = { lon: 35, lat: 33, alt: null, ve: 100, vn: 0, vu: 0, t: NOW };
  grid.add('il-1', m);
  grid.add('ru-7', { ...m, lon: 35.05 });
  grid.add('far', { ...m, lon: 40 });
  assert.deepEqual(grid.candidates(m, 9.26).sort(), ['il-1', 'ru-7']);
  assert.equal(grid.remove('nope'), false);
  assert.equal(grid.remove('ru-7'), true);
  assert.deepEqual(grid.candidates(m, 9.26), ['il-1']);
  assert.equal(grid.has('far'), true);
});

test('MoverGrid: movers sweeping huge extents, and far-reaching queries', () => {
  const grid = new MoverGrid({ horizonS: 300, maxAgeS: 60, cellKm: 10 });
  const m: Mover = { lon: 35, lat: 33, alt: null, ve: 0, vn: 0, vu: 0, t: NOW };
  grid.add(1, { ...m, ve: 1e6 }); // sweeps far east: kept in the wide list
  grid.add(2, { ...m, vn: Infinity }); // not finite: can conflict with nothing, but kept and listed where its box reaches
  grid.add(3, { ...m, lon: 36 });
  grid.add(4, { ...m, lon: 20 });
  assert.deepEqual(grid.candidates({ ...m, lon: 40 }, 5).sort(), [1]);
  assert.deepEqual(grid.candidates(m, 5).sort(), [1, 2]);
  assert.deepEqual(grid.candidates(m, 2000).sort(), [1, 2, 3, 4]); // more cells than movers: a linear scan
  assert.equal(grid.remove(1), true);
  assert.deepEqual(grid.candidates({ ...m, lon: 40 }, 5), []);
  assert.deepEqual(grid.candidates({ ...m, ve: NaN }, 5), []);
  assert.throws(() => new MoverGrid({ horizonS: Infinity }), RangeError);
});

test('an unbounded window falls back to the plain loop', () => {
  const a: Mover[] = [{ lon: 35, lat: 33, alt: null, ve: 100, vn: 0, vu: 0, t: NOW }];
  const b: Mover[] = [{ lon: 40, lat: 33, alt: null, ve: -100, vn: 0, vu: 0, t: NOW }];
  assert.deepEqual(conflictingPairs(a, b, NOW, Infinity, 9.26, 300), conflictingPairsBruteForce(a, b, NOW, Infinity, 9.26, 300));
  assert.equal(conflictingPairs(a, b, NOW, Infinity, 9.26, 300).length, 1);
});

test('movers that are not finite conflict with nothing, in both searches (a NaN altitude counts as none)', () => {
  const m: Mover = { lon: 35, lat: 33, alt: 1000, ve: 100, vn: 0, vu: 0, t: NOW };
  const a: Mover[] = [m, { ...m, lon: NaN }, { ...m, ve: Infinity }, { ...m, alt: NaN }];
  const b: Mover[] = [
    { ...m, lon: 35.01 },
    { ...m, lat: -Infinity },
    { ...m, vu: NaN },
    { ...m, t: NaN },
  ];
  const want = conflictingPairsBruteForce(a, b, NOW, 300, 9.26, 300);
  assert.deepEqual(
    want.map((r) => [r.i, r.j]),
    [
      [0, 0],
      [3, 0],
      [3, 2],
    ],
  );
  assert.deepEqual(conflictingPairs(a, b, NOW, 300, 9.26, 300), want);
});

test('identical to the all-pairs loop with some fields NaN or infinite', () => {
  const weird = fc
    .tuple(arbMover(300), fc.constantFrom('lon', 'lat', 'alt', 've', 'vn', 'vu', 't'), fc.constantFrom(NaN, Infinity, -Infinity))
    .map(([m, k, v]) => ({ ...m, [k]: v }) as Mover);
  const any = fc.oneof({ arbitrary: arbMover(300), weight: 4 }, { arbitrary: weird, weight: 1 });
  fc.assert(
    fc.property(fc.array(any, { maxLength: 25 }), fc.array(any, { maxLength: 25 }), (a, b) => {
      assert.deepEqual(conflictingPairs(a, b, NOW, 300, 9.26, 300), conflictingPairsBruteForce(a, b, NOW, 300, 9.26, 300));
    }),
    { numRuns: 200 },
  );
});
