import assert from 'node:assert/strict';
import { test } from 'node:test';
import { coarsen } from './coarsen.ts';

const team = {
  type: 'observation',
  id: 'o-1',
  time: '2025-12-27T10:47:31Z',
  source: 'undof-hq',
  unit: 'undof-team-3',
  actor: 'undof',
  position: [35.87654321, 33.12345678],
  altitude_m: 912,
  velocity: { east_mps: 3, north_mps: 1 },
  holdings: { troops: 12 },
};

test('a coarse report keeps what it is about and loses what locates it finely', () => {
  const c = coarsen(team, { position_m: 5000, time_s: 3600 });
  assert.equal(c.time, '2025-12-27T10:00:00Z');
  assert.equal(c.unit, 'undof-team-3');
  assert.deepEqual(c.holdings, { troops: 12 });
  assert.equal('velocity' in c, false);
  assert.equal('altitude_m' in c, false);
  assert.equal('source' in c, false, 'free-text sensor fields may name a place');
  assert.deepEqual(c.coarse, { position_m: 5000, time_s: 3600 });
  const [lon, lat] = c.position as number[];
  // within half a cell of the truth, and not the truth
  assert.ok(Math.abs(lat - 33.12345678) <= 2500 / 111320 + 1e-9);
  assert.ok(Math.abs(lon - 35.87654321) <= 2500 / (111320 * Math.cos((lat * Math.PI) / 180)) + 1e-9);
  assert.notEqual(lat, 33.12345678);
});

test('two positions in one cell coarsen alike, so a coarse view cannot tell them apart', () => {
  const a = coarsen({ ...team, position: [35.9, 33.1] }, { position_m: 5000, time_s: 60 });
  const b = coarsen({ ...team, position: [35.9001, 33.1001] }, { position_m: 5000, time_s: 60 });
  assert.deepEqual(a.position, b.position);
});

test("a notification's window is floored like its time", () => {
  const n = coarsen(
    {
      type: 'notification',
      id: 'n-1',
      time: '2025-12-27T08:10:00Z',
      actor: 'il',
      zone: 'aos',
      window: { from: '2025-12-27T09:31:00Z', to: '2025-12-27T12:05:00Z' },
    },
    { position_m: 1000, time_s: 3600 },
  );
  assert.deepEqual(n.window, { from: '2025-12-27T09:00:00Z', to: '2025-12-27T12:00:00Z' });
  assert.equal(n.zone, 'aos');
});
