import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { PairMotion, pairConflict } from './cpa.ts';
import { type Mover, track } from './motion.ts';
import { MoverGrid } from './separation.ts';

const NOW = 1_700_000_000;

const arbMover = (speed: number) =>
  fc.record({
    lon: fc.double({ min: 35, max: 36, noNaN: true }),
    lat: fc.double({ min: -70, max: 75, noNaN: true }).chain((far) => fc.oneof(fc.constant(far), fc.double({ min: 33, max: 33.8, noNaN: true }))),
    alt: fc.option(
      fc.oneof(
        fc.integer({ min: 0, max: 10 }).map((k) => 1000 + 300 * k),
        fc.double({ min: 0, max: 4000, noNaN: true }),
      ),
      { nil: null, freq: 4 },
    ),
    ve: fc.double({ min: -speed, max: speed, noNaN: true }),
    vn: fc.double({ min: -speed, max: speed, noNaN: true }),
    vu: fc.oneof(fc.constant(0), fc.constant(Number.NaN), fc.double({ min: -30, max: 30, noNaN: true })),
    t: fc.integer({ min: NOW - 600, max: NOW }),
  });

const arbWindow = fc.tuple(fc.integer({ min: NOW - 300, max: NOW + 300 }), fc.integer({ min: 0, max: 900 })).map(([from, len]) => [from, from + len] as const);

test('MoverGrid: candidates include every track that conflicts within both windows, after updates and removes', () => {
  fc.assert(
    fc.property(
      fc.array(fc.tuple(fc.integer({ min: 0, max: 30 }), arbMover(400), arbWindow), { minLength: 1, maxLength: 60 }),
      fc.array(fc.integer({ min: 0, max: 30 }), { maxLength: 10 }),
      arbMover(400),
      arbWindow,
      fc.constantFrom(9.26, 20, 100),
      fc.constantFrom(300, 150, 0),
      (ops, removals, query, [qFrom, qTo], km, m) => {
        const grid = new MoverGrid({ cellKm: 20 });
        const live = new Map<number, { mv: Mover; from: number; to: number }>();
        for (const [id, mv, [from, to]] of ops) {
          grid.update(id, track(mv), from, to);
          live.set(id, { mv, from, to });
        }
        for (const id of removals) assert.equal(grid.remove(id), live.delete(id));
        assert.equal(grid.size, live.size);
        const q = track(query);
        const found = new Set(grid.candidates(q, qFrom, qTo, km, m));
        const p = new PairMotion();
        for (const [id, { mv, from, to }] of live) {
          const lo = Math.max(from, qFrom),
            hi = Math.min(to, qTo);
          // a conflict at an instant both windows cover (the open interval meets [lo, hi])
          if (lo <= hi && pairConflict(q, track(mv), km * 1000, m, p) && p.from < hi && p.to > lo) {
            assert.ok(found.has(id), `track ${id} conflicts in (${p.from}, ${p.to}) within [${lo}, ${hi}] but is not a candidate`);
          }
        }
      },
    ),
    { numRuns: 400 },
  );
});

test('MoverGrid: ids may be strings; remove of an unknown id is false; altitudes far apart are no candidates', () => {
  const grid = new MoverGrid();
  const m: Mover = { lon: 35, lat: 33, alt: null, ve: 100, vn: 0, vu: 0, t: NOW };
  const put = (id: string, mv: Mover) => grid.update(id, track(mv), NOW, NOW + 300);
  const ask = (mv: Mover, km: number, mm = 300) => grid.candidates(track(mv), NOW, NOW + 300, km, mm).sort();
  put('il-1', m);
  put('ru-7', { ...m, lon: 35.05 });
  put('far', { ...m, lon: 40 });
  put('high', { ...m, alt: 9000 });
  assert.deepEqual(ask(m, 9.26), ['high', 'il-1', 'ru-7']);
  // from 1,000 m, the one at 9,000 m is out of reach; without altitude it is not
  assert.deepEqual(ask({ ...m, alt: 1000 }, 9.26), ['il-1', 'ru-7']);
  assert.deepEqual(ask({ ...m, alt: 1000, vu: 30 }, 9.26), ['high', 'il-1', 'ru-7']); // climbs 9,000 m in 300 s
  assert.deepEqual(ask({ ...m, alt: 1000, vu: Number.NaN }, 9.26), ['high', 'il-1', 'ru-7']); // climb rate unknown: altitude unknown
  assert.equal(grid.remove('nope'), false);
  assert.equal(grid.remove('ru-7'), true);
  assert.equal(grid.remove('high'), true);
  assert.deepEqual(ask(m, 9.26), ['il-1']);
  assert.equal(grid.has('far'), true);
});

test('MoverGrid: tracks sweeping huge extents, tracks that are not finite, and far-reaching queries', () => {
  const grid = new MoverGrid({ cellKm: 10 });
  const m: Mover = { lon: 35, lat: 33, alt: null, ve: 0, vn: 0, vu: 0, t: NOW };
  const put = (id: number, mv: Mover) => grid.update(id, track(mv), NOW, NOW + 360);
  const ask = (mv: Mover, km: number) => grid.candidates(track(mv), NOW, NOW + 360, km, 300).sort();
  put(1, { ...m, ve: 1e6 }); // sweeps far east: kept in the wide list
  put(2, { ...m, vn: Number.POSITIVE_INFINITY }); // not finite: can conflict with nothing
  put(3, { ...m, lon: 36 });
  put(4, { ...m, lon: 20 });
  assert.deepEqual(ask({ ...m, lon: 40 }, 5), [1]);
  assert.deepEqual(ask(m, 5), [1]);
  assert.deepEqual(ask(m, 2000), [1, 3, 4]); // more cells than tracks: a linear scan
  assert.equal(grid.remove(1), true);
  assert.deepEqual(ask({ ...m, lon: 40 }, 5), []);
  assert.deepEqual(ask({ ...m, ve: Number.NaN }, 5), []);
  assert.throws(() => new MoverGrid({ cellKm: 0 }), RangeError);
});
