import assert from 'node:assert/strict';
import { test } from 'node:test';
import { EARTH_RADIUS_KM, bearingDeg, destination, distanceKm } from './sphere.ts';

const close = (a: number, b: number, rel: number) => assert.ok(Math.abs(a - b) <= rel * Math.abs(b), `${a} vs ${b}`);

test('distanceKm: known distances on the 6,371.0088 km sphere', () => {
  assert.equal(EARTH_RADIUS_KM, 6371.0088);
  close(distanceKm(0, 0, 0, 1), (Math.PI / 180) * 6371.0088, 1e-12); // one degree of latitude
  close(distanceKm(0, 0, 180, 0), Math.PI * 6371.0088, 1e-12);
  close(distanceKm(36.2913, 33.5138, 35.2137, 31.7683), 218.4, 2e-3); // Damascus – Jerusalem
  assert.equal(distanceKm(35.8, 33.1, 35.8, 33.1), 0);
  const dl = 35.8 + 1e-9 - 35.8; // the double actually added
  close(distanceKm(35.8, 33.1, 35.8 + 1e-9, 33.1), dl * (Math.PI / 180) * 6371.0088 * Math.cos((33.1 * Math.PI) / 180), 1e-9);
});

test('destination and bearing invert distance', () => {
  for (const b of [0, 33, 90, 145, 180, 260, 359]) {
    const [x, y] = destination(35.8, 33.1, b, 42.5);
    close(distanceKm(35.8, 33.1, x, y), 42.5, 1e-12);
    assert.ok(Math.abs(((bearingDeg(35.8, 33.1, x, y) - b + 540) % 360) - 180) < 1e-9);
  }
});
