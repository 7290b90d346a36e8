// A zone's area, integrated block by block (blocks the regions call wholly in or out are
// counted without sampling), equals the point-by-point sum over the same grid: checked
// here against that plain walk on every zone of the worked example.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { EARTH_RADIUS_KM } from '../geo/sphere.ts';
import { loadArrangementSource } from './load.ts';

const EXAMPLE = new URL('../../examples/southern-syria/arrangement.yaml', import.meta.url).pathname;

test('areas by blocks equal the point-by-point grid sum, zone by zone', () => {
  const zs = loadArrangementSource(EXAMPLE).arrangement.zoneSet;
  const inside = new Uint8Array(zs.zones.length);
  const kmPerDeg = (Math.PI / 180) * EARTH_RADIUS_KM;
  let checked = 0;
  for (let z = 0; z < zs.zones.length; z++) {
    const zone = zs.zones[z];
    // Plain polygons have a closed form; the grid is for bands and zones with holes.
    if (zone.shape.kind === 'polygon' && zone.minus.length === 0) continue;
    const [x0, y0, x1, y1] = zs.regions[z].bbox;
    const N = 600;
    const dx = (x1 - x0) / N;
    const dy = (y1 - y0) / N;
    const alt = zone.altitude ? zone.altitude[0] : null;
    let plain = 0;
    for (let j = 0; j < N; j++) {
      const lat = y0 + (j + 0.5) * dy;
      const cell = dx * kmPerDeg * Math.cos((lat * Math.PI) / 180) * dy * kmPerDeg;
      for (let i = 0; i < N; i++) {
        zs.locate(x0 + (i + 0.5) * dx, lat, alt, inside);
        if (inside[z]) plain += cell;
      }
    }
    assert.ok(Math.abs(zs.areaKm2(z) - plain) <= 1e-9 * Math.max(1, plain), `${zone.id}: ${zs.areaKm2(z)} against ${plain}`);
    checked++;
  }
  assert.ok(checked >= 5, `bands and holed zones checked: ${checked}`);
});
