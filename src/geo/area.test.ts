import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { areaKm2, ringAreaKm2 } from './area.ts';
import { EARTH_RADIUS_KM } from './sphere.ts';
import type { Position, Ring } from './types.ts';

const RAD = Math.PI / 180;

/** Independent check: fan triangulation with L'Huilier's theorem (great-circle edges). */
function lhuilier(ring: Ring): number {
  const d = (p: Position, q: Position) => {
    const s1 = Math.sin(((q[1] - p[1]) * RAD) / 2),
      s2 = Math.sin(((q[0] - p[0]) * RAD) / 2);
    return 2 * Math.asin(Math.sqrt(s1 * s1 + Math.cos(p[1] * RAD) * Math.cos(q[1] * RAD) * s2 * s2));
  };
  let total = 0;
  const o = ring[0];
  for (let k = 1; k + 2 < ring.length; k++) {
    const a = d(o, ring[k]),
      b = d(ring[k], ring[k + 1]),
      c = d(ring[k + 1], o);
    const s = (a + b + c) / 2;
    const e = 4 * Math.atan(Math.sqrt(Math.max(0, Math.tan(s / 2) * Math.tan((s - a) / 2) * Math.tan((s - b) / 2) * Math.tan((s - c) / 2))));
    // sign by orientation in lon/lat (fine for small convex rings)
    const cross = (ring[k][0] - o[0]) * (ring[k + 1][1] - o[1]) - (ring[k][1] - o[1]) * (ring[k + 1][0] - o[0]);
    total += Math.sign(cross) * e;
  }
  return Math.abs(total) * EARTH_RADIUS_KM * EARTH_RADIUS_KM;
}

test('a 1° × 1° cell at the equator and at 33°N', () => {
  for (const lat of [0, 33]) {
    const ring: Ring = [
      [35, lat],
      [36, lat],
      [36, lat + 1],
      [35, lat + 1],
      [35, lat],
    ];
    const a = ringAreaKm2(ring);
    assert.ok(Math.abs(a - lhuilier(ring)) < 1e-6 * a, `${a} vs ${lhuilier(ring)}`);
    // close to the lat/lon cell area R²·Δλ·(sin φ2 − sin φ1)
    const cell = EARTH_RADIUS_KM ** 2 * RAD * (Math.sin((lat + 1) * RAD) - Math.sin(lat * RAD));
    assert.ok(Math.abs(a - cell) < 1e-3 * cell);
  }
});

test('holes are subtracted, orientation is ignored, parts add up', () => {
  const outer: Ring = [
    [35, 33],
    [35.4, 33],
    [35.4, 33.4],
    [35, 33.4],
    [35, 33],
  ];
  const hole: Ring = [
    [35.1, 33.1],
    [35.1, 33.3],
    [35.3, 33.3],
    [35.3, 33.1],
    [35.1, 33.1],
  ];
  const a = areaKm2([[outer]]),
    h = areaKm2([[hole]]);
  assert.ok(Math.abs(areaKm2([[outer, hole]]) - (a - h)) < 1e-9);
  assert.ok(Math.abs(areaKm2([[[...outer].reverse()]]) - a) < 1e-9);
  assert.ok(Math.abs(areaKm2([[outer], [hole]]) - (a + h)) < 1e-9);
  assert.equal(areaKm2([]), 0);
});

test('the OpenStreetMap polygons: Area of Separation about 232 km², Golan Heights about 1,157 km²', () => {
  const g = JSON.parse(readFileSync(new URL('./testdata/osm-golan-undof.geojson', import.meta.url), 'utf8'));
  const aos = areaKm2([g.features[0].geometry.coordinates]);
  const golan = areaKm2([g.features[1].geometry.coordinates]);
  assert.ok(Math.abs(aos - 232.3) < 0.5, String(aos));
  assert.ok(Math.abs(golan - 1157.1) < 1, String(golan));
  assert.ok(Math.abs(aos - lhuilier(g.features[0].geometry.coordinates[0])) < 0.001 * aos);
});
