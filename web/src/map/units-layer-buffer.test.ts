import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { ALERT, HIDDEN, STRIDE, UnitsBuffer, mercator } from './units-layer-buffer.ts';

test('mercator agrees with the known corners and centre of the world', () => {
  assert.deepEqual(mercator(0, 0), [0.5, 0.5]);
  assert.ok(Math.abs(mercator(-180, 85.05112878)[1]) < 1e-9);
  assert.ok(Math.abs(mercator(180, -85.05112878)[1] - 1) < 1e-9);
});

test('a unit keeps its slot; only the units that moved are marked for upload', () => {
  const b = new UnitsBuffer(mercator(35.8, 33.1));
  b.begin();
  for (let i = 0; i < 1000; i++) b.put(`u-${i}`, 35 + i / 1000, 33, 0, 0);
  assert.equal(b.end(), 1000);
  assert.deepEqual(b.takeDirty(), { from: 0, to: 1000 * STRIDE });
  b.begin();
  for (let i = 0; i < 1000; i++) b.put(`u-${i}`, 35 + i / 1000 + (i === 500 || i === 700 ? 0.01 : 0), 33, 0, 0);
  b.end();
  assert.deepEqual(b.takeDirty(), { from: 500 * STRIDE, to: 701 * STRIDE });
  assert.equal(b.slot('u-700'), 700);
  b.begin();
  for (let i = 0; i < 1000; i++) b.put(`u-${i}`, 35 + i / 1000 + (i === 500 || i === 700 ? 0.01 : 0), 33, 0, 0);
  b.end();
  assert.equal(b.takeDirty(), undefined, 'nothing moved, nothing to upload');
});

test('a unit absent from an update is hidden, and shown again when it comes back', () => {
  const b = new UnitsBuffer();
  b.begin();
  b.put('a', 35, 33, 1, ALERT);
  b.put('b', 36, 33, 2, 0);
  b.end();
  b.takeDirty();
  b.begin();
  b.put('b', 36, 33, 2, 0);
  assert.equal(b.end(), 1);
  assert.ok(b.flags(b.slot('a')!) & HIDDEN);
  assert.deepEqual(b.takeDirty(), { from: 0, to: STRIDE });
  b.begin();
  b.put('a', 35, 33, 1, ALERT);
  b.put('b', 36, 33, 2, 0);
  assert.equal(b.end(), 2);
  assert.equal(b.flags(b.slot('a')!), ALERT);
});

test('positions survive the trip through the relative float32 store to within centimetres', () => {
  fc.assert(
    fc.property(
      fc.array(fc.tuple(fc.double({ min: 34, max: 38, noNaN: true }), fc.double({ min: 31, max: 35, noNaN: true })), { minLength: 1, maxLength: 600 }),
      (pts) => {
        const origin = mercator(35.8, 33.1);
        const b = new UnitsBuffer(origin);
        b.begin();
        pts.forEach(([lon, lat], i) => b.put(`u${i}`, lon, lat, 0, 0));
        b.end();
        assert.ok(b.grew || pts.length <= 256);
        pts.forEach(([lon, lat], i) => {
          const [x, y] = mercator(lon, lat);
          const [wx, wy] = b.world(i);
          // one world unit is ~40,000 km at the equator: 1e-9 of it is 4 cm
          assert.ok(Math.abs(wx - x) < 1e-9 && Math.abs(wy - y) < 1e-9, `unit ${i}`);
        });
      },
    ),
  );
});
