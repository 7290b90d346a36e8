import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { conflict, conflictInterval, type Mover } from './cpa.ts';
import { EARTH_RADIUS_KM, distanceKm } from './sphere.ts';

const RAD = Math.PI / 180;
const R = EARTH_RADIUS_KM * 1000;

/** The motion model of cpa.ts, evaluated directly at time t. */
function at(m: Mover, t: number): { lon: number; lat: number; alt: number | null } {
  const dt = t - m.t;
  return {
    lon: m.lon + (m.ve * dt) / (R * Math.cos(m.lat * RAD)) / RAD,
    lat: m.lat + (m.vn * dt) / R / RAD,
    alt: m.alt === null ? null : m.alt + m.vu * dt,
  };
}

/** Horizontal distance (km) of the model's metric: equirectangular about the mean fix latitude. */
function planarKm(a: Mover, b: Mover, t: number): number {
  const p = at(a, t),
    q = at(b, t);
  const c = Math.cos(((a.lat + b.lat) / 2) * RAD);
  return Math.hypot(R * c * (q.lon - p.lon) * RAD, R * (q.lat - p.lat) * RAD) / 1000;
}

const mover = (lon: number, lat: number, alt: number | null, ve: number, vn: number, vu: number, t: number): Mover => ({ lon, lat, alt, ve, vn, vu, t });

test('head-on on a parallel: the interval and the approach', () => {
  const a = mover(35, 33, 10_000, 200, 0, 0, 100);
  const b = mover(35.5, 33, 10_100, -200, 0, 0, 100);
  const gap = 0.5 * RAD * R * Math.cos(33 * RAD); // metres at t = 100
  const c = conflict(a, b, 100, 300, 9.26, 300)!;
  assert.ok(Math.abs(c.from - (100 + (gap - 9260) / 400)) < 1e-6);
  assert.ok(Math.abs(c.to - (100 + (gap + 9260) / 400)) < 1e-6);
  assert.ok(Math.abs(c.at.t - (100 + gap / 400)) < 1e-6);
  assert.ok(c.at.km < 1e-6);
  assert.equal(c.at.m, 100);
  // 300 m apart vertically: never closer than 300 m
  assert.equal(conflict(a, { ...b, alt: 10_300 }, 100, 300, 9.26, 300), null);
  // without altitude on one side only the horizontal minimum applies
  assert.ok(conflict(a, { ...b, alt: null }, 100, 300, 9.26, 300));
  // the window: starting after they part, or ending before they meet
  assert.equal(conflict(a, b, c.to + 1, 300, 9.26, 300), null);
  assert.equal(conflict(a, b, 100, c.from - 100 - 1, 9.26, 300), null);
  // already in conflict and never parting (same velocity)
  const d = conflict(a, { ...a, lon: 35.01, alt: 10_050 }, 500, 300, 9.26, 300)!;
  assert.deepEqual([d.from, d.to], [500, 800]);
  assert.deepEqual(conflictInterval(a, { ...a, lon: 35.01, alt: 10_050 }, 9.26, 300), { from: -Infinity, to: Infinity });
});

const arbMover = fc.record({
  lon: fc.double({ min: 35, max: 35.3, noNaN: true }),
  lat: fc.double({ min: 33, max: 33.3, noNaN: true }),
  alt: fc.option(fc.double({ min: 0, max: 3000, noNaN: true }), { nil: null }),
  ve: fc.double({ min: -300, max: 300, noNaN: true }),
  vn: fc.double({ min: -300, max: 300, noNaN: true }),
  vu: fc.oneof(fc.constant(0), fc.double({ min: -20, max: 20, noNaN: true })),
  t: fc.integer({ min: 1_700_000_000, max: 1_700_000_060 }),
});

test('matches sampling of the motion model; interval and window agree', () => {
  fc.assert(
    fc.property(arbMover, arbMover, fc.integer({ min: 1_700_000_000, max: 1_700_000_200 }), (a, b, now) => {
      const H = 300,
        km = 9.26,
        m = 300;
      const c = conflict(a, b, now, H, km, m);
      const iv = conflictInterval(a, b, km, m);
      assert.equal(c !== null, iv !== null && iv.from < now + H && iv.to > now);
      const breaks = (t: number) => {
        const p = at(a, t),
          q = at(b, t);
        return planarKm(a, b, t) < km && (p.alt === null || q.alt === null || Math.abs(p.alt - q.alt) < m);
      };
      for (let t = now; t <= now + H; t += 1.5) {
        // clear of the interval's ends by a margin, samples must agree with it
        if (c === null) assert.ok(!breaks(t) || (iv !== null && (Math.abs(t - iv.from) < 1e-6 || Math.abs(t - iv.to) < 1e-6)), `t=${t}`);
        else if (t > c.from + 1e-6 && t < c.to - 1e-6) assert.ok(breaks(t), `t=${t} inside [${c.from}, ${c.to}]`);
        else if (t < c.from - 1e-6 || t > c.to + 1e-6) assert.ok(!breaks(t), `t=${t} outside [${c.from}, ${c.to}]`);
      }
      if (c !== null) {
        assert.ok(c.from >= now && c.to <= now + H && c.from <= c.to);
        assert.ok(c.at.t >= c.from && c.at.t <= c.to);
        assert.ok(Math.abs(c.at.km - planarKm(a, b, c.at.t)) < 1e-6);
        for (let t = c.from; t <= c.to; t += (c.to - c.from) / 20 + 1e-9) assert.ok(planarKm(a, b, t) >= c.at.km - 1e-6);
        // symmetric
        const d = conflict(b, a, now, H, km, m)!;
        assert.deepEqual([d.from, d.to], [c.from, c.to]);
      }
    }),
    { numRuns: 400 },
  );
});

test('the planar metric against great-circle distance: within 0.1%, plus the documented drift term', () => {
  fc.assert(
    fc.property(arbMover, arbMover, (a, b) => {
      const t = Math.max(a.t, b.t) + 60;
      const p = at(a, t),
        q = at(b, t);
      const gc = distanceKm(p.lon, p.lat, q.lon, q.lat);
      if (gc < 0.5) return;
      // east-west scale is taken at the mean latitude of the fixes; drift = how far the pair's mean latitude has moved since
      const drift = Math.abs((p.lat + q.lat) / 2 - (a.lat + b.lat) / 2) * RAD;
      const bound = 1e-3 + Math.tan(33.5 * RAD) * drift;
      assert.ok(Math.abs(planarKm(a, b, t) - gc) <= bound * gc, `${planarKm(a, b, t)} vs ${gc}`);
      if (drift < 1e-4) assert.ok(Math.abs(planarKm(a, b, t) - gc) <= 1e-3 * gc);
    }),
    { numRuns: 1000 },
  );
});
