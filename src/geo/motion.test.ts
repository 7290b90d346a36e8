import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { PairMotion, pairConflict } from './cpa.ts';
import { EXTENT, positionAt, reachMargins, sweptExtent, track } from './motion.ts';

const RAD = Math.PI / 180;
const T = 1_700_000_000;

const arbMover = fc.record({
  lon: fc.double({ min: 30, max: 40, noNaN: true }),
  lat: fc.double({ min: -80, max: 80, noNaN: true }),
  alt: fc.option(fc.double({ min: 0, max: 12_000, noNaN: true }), { nil: null }),
  ve: fc.double({ min: -600, max: 600, noNaN: true }),
  vn: fc.double({ min: -600, max: 600, noNaN: true }),
  vu: fc.oneof(fc.constant(0), fc.constant(Number.NaN), fc.double({ min: -30, max: 30, noNaN: true })),
  t: fc.integer({ min: T - 600, max: T }),
});

test('a track stays inside the extent it sweeps over a window', () => {
  fc.assert(
    fc.property(
      arbMover,
      fc.integer({ min: T - 300, max: T + 300 }),
      fc.integer({ min: 0, max: 900 }),
      fc.double({ min: 0, max: 1, noNaN: true }),
      (m, from, len, f) => {
        const k = track(m);
        const box = new Float64Array(EXTENT);
        sweptExtent(k, from, from + len, box, 0);
        const p = positionAt(k, from + f * len);
        const eps = 1e-12;
        assert.ok(p.lon * RAD >= box[0] - eps && p.lon * RAD <= box[1] + eps);
        assert.ok(p.lat * RAD >= box[2] - eps && p.lat * RAD <= box[3] + eps);
        if (p.alt === null) assert.ok(Number.isNaN(box[4]) && Number.isNaN(box[5]));
        else assert.ok(p.alt >= box[4] - 1e-6 && p.alt <= box[5] + 1e-6);
      },
    ),
    { numRuns: 500 },
  );
});

test('altitude is known only with a finite altitude and climb rate; a track that is not finite sweeps nothing', () => {
  const m = { lon: 35, lat: 33, alt: 1000, ve: 100, vn: 0, vu: 5, t: T };
  assert.equal(positionAt(track(m), T + 10).alt, 1050);
  assert.equal(positionAt(track({ ...m, vu: Number.NaN }), T + 10).alt, null);
  assert.equal(positionAt(track({ ...m, alt: null }), T + 10).alt, null);
  const box = new Float64Array(EXTENT);
  sweptExtent(track({ ...m, ve: Number.POSITIVE_INFINITY }), T, T + 60, box, 0);
  assert.ok(box.every((x) => Number.isNaN(x)));
});

test('the reach margins hold every conflicting pair: at any instant inside the conflict, positions are within them', () => {
  fc.assert(
    fc.property(
      arbMover,
      fc.double({ min: -0.2, max: 0.2, noNaN: true }),
      fc.double({ min: -0.2, max: 0.2, noNaN: true }),
      arbMover,
      fc.constantFrom(5, 9.26, 30),
      fc.double({ min: 0, max: 1, noNaN: true }),
      (a, dlon, dlat, b0, km, f) => {
        // b near a so that conflicts are common
        const b = { ...b0, lon: a.lon + dlon, lat: Math.max(-85, Math.min(85, a.lat + dlat)) };
        const ka = track(a),
          kb = track(b);
        const p = new PairMotion();
        if (!pairConflict(ka, kb, km * 1000, 300, p)) return;
        const lo = Math.max(p.from, T - 3600),
          hi = Math.min(p.to, T + 3600);
        if (!(lo < hi)) return;
        const t = lo + f * (hi - lo);
        const pa = positionAt(ka, t),
          pb = positionAt(kb, t);
        const r = reachMargins(km, Math.max(Math.abs(ka.lat), Math.abs(kb.lat)));
        assert.ok(Math.abs(pa.lat - pb.lat) * RAD <= r.lat, 'latitude');
        assert.ok(Math.abs(pa.lon - pb.lon) * RAD <= r.lon, 'longitude');
      },
    ),
    { numRuns: 1000 },
  );
});
