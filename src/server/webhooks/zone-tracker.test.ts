import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ZoneSet } from '../../arrangement/zones.ts';
import type { UnitView } from '../posture-view.ts';
import { ZoneTracker } from './zone-tracker.ts';

const square = (id: string, x0: number, y0: number, d: number) => ({
  id,
  shape: {
    kind: 'polygon' as const,
    coordinates: [
      [
        [
          [x0, y0],
          [x0 + d, y0],
          [x0 + d, y0 + d],
          [x0, y0 + d],
          [x0, y0],
        ] as [number, number][],
      ],
    ],
  },
  minus: [],
});
// a inside big; small is apart.
const zones = new ZoneSet([square('big', 35, 33, 1), square('a', 35.2, 33.2, 0.2), square('apart', 36, 34, 0.1)], []);
const unit = (id: string, lon: number, lat: number): UnitView => ({
  unit: id,
  actor: 'x',
  category: 'army',
  position: [lon, lat],
  holdings: {},
  time: '2025-01-01T00:00:00Z',
  report: 'r',
});
const kinds = (ts: { type: string; zone: string }[]) => ts.map((t) => `${t.type} ${t.zone}`).sort();

test('entries and exits are the differences between postures; a new unit inside has entered, a withdrawn one has left', () => {
  const t = new ZoneTracker(zones);
  assert.deepEqual(kinds(t.apply([unit('u', 35.3, 33.3)], 1000)), ['zone.entered a', 'zone.entered big']);
  assert.deepEqual(kinds(t.apply([unit('u', 35.31, 33.31)], 2000)), [], 'moving within a zone is no event');
  assert.deepEqual(kinds(t.apply([unit('u', 35.7, 33.7)], 3000)), ['zone.exited a']);
  assert.deepEqual(kinds(t.apply([unit('u', 36.05, 34.05)], 4000)), ['zone.entered apart', 'zone.exited big']);
  assert.deepEqual(kinds(t.apply([{ unit: 'u', actor: 'x', withdrawn: true }], 5000)), ['zone.exited apart']);
  assert.deepEqual(kinds(t.apply([{ unit: 'u', actor: 'x', withdrawn: true }], 6000)), []);
});

test('seeded units are where they were: no entry for them, and their stay counts from the seed', () => {
  const t = new ZoneTracker(zones);
  t.seed([unit('u', 35.3, 33.3)], 500);
  assert.deepEqual(kinds(t.apply([unit('u', 35.3, 33.31)], 1000)), []);
  const inside = [...t.occupancy()].map((i) => `${i.zone}@${i.since}`).sort();
  assert.deepEqual(inside, ['a@500', 'big@500']);
  // Two actors may use one unit id: they are different units.
  assert.deepEqual(kinds(t.apply([{ ...unit('u', 35.3, 33.3), actor: 'y' }], 1500)), ['zone.entered a', 'zone.entered big']);
});
