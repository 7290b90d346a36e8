// A window of history answering any moment inside it: where units stood (the last report
// by then, none once withdrawn), their trails, and the findings open then.
// Run: node --import tsx --test web/src/state/history-frame.test.ts
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import type { BookedFindingView } from '../api/types.ts';
import { HistoryFrame, type HistoryPoint } from './history-frame.ts';

const T0 = Date.parse('2026-02-17T18:40:00Z');
const at = (min: number) => new Date(T0 + min * 60_000).toISOString();
const pt = (unit: string, min: number, lon: number, extra: Partial<HistoryPoint> = {}): HistoryPoint => ({
  unit,
  actor: unit.split('-')[0],
  time: at(min),
  position: [lon, 33],
  ...extra,
});
let seq = 0;
const finding = (x: Partial<BookedFindingView>) =>
  ({
    seq: ++seq,
    finding: 'separation',
    state: 'open',
    rule: 'r-air-separation',
    kind: 'separation',
    time: at(0),
    units: ['il-f16-2', 'ru-il20'],
    ...x,
  }) as BookedFindingView;

function frame(tracks: HistoryPoint[], positions: HistoryPoint[] = [], open: BookedFindingView[] = [], transitions: BookedFindingView[] = []) {
  return new HistoryFrame({ from: T0, to: T0 + 5 * 60_000, trail: 10 * 60_000, positions, tracks, open, transitions });
}

test('a unit stands at its last report by the moment asked; before its first, where the window found it', () => {
  const f = frame([pt('ru-il20', -3, 36.0), pt('ru-il20', 1, 36.1), pt('ru-il20', 3, 36.3)], [pt('ru-il20', -3, 36.0, { altitude_m: 6000 })]);
  assert.deepEqual(f.unitsAt(T0 + 30_000).get('ru-il20')?.lon, 36.0);
  assert.equal(f.unitsAt(T0 + 30_000).get('ru-il20')?.altitude_m, 6000);
  assert.equal(f.unitsAt(T0 + 60_000).get('ru-il20')?.lon, 36.1);
  assert.equal(f.unitsAt(T0 + 2.5 * 60_000).get('ru-il20')?.lon, 36.1);
  assert.equal(f.unitsAt(T0 + 4 * 60_000).get('ru-il20')?.lon, 36.3);
  assert.ok(f.covers(T0) && f.covers(T0 + 4 * 60_000) && !f.covers(T0 + 5 * 60_000) && !f.covers(T0 - 1));
});

test('a withdrawal removes the unit from that moment on; its trail goes with it', () => {
  const f = frame([pt('il-f16-1', -2, 35.9), pt('il-f16-1', 1, 36.0), pt('il-f16-1', 2, 35.3, { withdrawn: true })], [pt('il-f16-1', -2, 35.9)]);
  assert.ok(f.unitsAt(T0 + 90_000).has('il-f16-1'));
  assert.equal(f.trailsAt(T0 + 90_000).length, 1);
  assert.equal(f.unitsAt(T0 + 120_000).has('il-f16-1'), false);
  assert.equal(f.trailsAt(T0 + 120_000).length, 0);
});

test('a trail holds the positions over the trail length before the moment, ending where the unit stands', () => {
  const tracks = [pt('il-f16-2', -12, 35.5), pt('il-f16-2', -8, 35.6), pt('il-f16-2', -4, 35.7), pt('il-f16-2', 2, 35.9)];
  const f = frame(tracks, [pt('il-f16-2', -4, 35.7)]);
  const [trail] = f.trailsAt(T0 + 60_000);
  // -12 is older than ten minutes before the moment; 2 is after it.
  assert.deepEqual(
    trail.line.map((p) => p[0]),
    [35.6, 35.7],
  );
  // Two minutes on, -8 has left the ten minutes and 2 has joined.
  const [later] = f.trailsAt(T0 + 3 * 60_000);
  assert.deepEqual(
    later.line.map((p) => p[0]),
    [35.7, 35.9],
  );
});

test('findings open at a moment: those open at the window start, changed by the transitions up to it', () => {
  const open = [finding({ time: at(-1) })];
  const transitions = [
    finding({ state: 'closed', time: at(2) }),
    finding({ finding: 'loss', state: 'open', time: at(2) }),
    finding({ finding: 'loss', state: 'closed', time: at(4) }),
  ];
  const f = frame([], [], open, transitions);
  assert.deepEqual(
    f.findingsAt(T0 + 60_000).map((b) => b.finding),
    ['separation'],
  );
  assert.deepEqual(
    f.findingsAt(T0 + 3 * 60_000).map((b) => b.finding),
    ['loss'],
  );
  assert.deepEqual(f.findingsAt(T0 + 4.5 * 60_000), []);
});

test('property: units at t are, per unit, its latest point at or before t (or the window start)', () => {
  fc.assert(
    fc.property(
      fc.array(fc.record({ unit: fc.constantFrom('a-1', 'a-2', 'b-1'), min: fc.integer({ min: -9, max: 4 }), lon: fc.integer({ min: 0, max: 99 }) }), {
        maxLength: 30,
      }),
      fc.integer({ min: 0, max: 299 }),
      (raw, s) => {
        const tracks = raw.map((r) => pt(r.unit, r.min, r.lon));
        // The window start's positions: what the server would say, the latest point at or before it.
        const latest = (until: number) => {
          const m = new Map<string, HistoryPoint>();
          for (const p of [...tracks].sort((x, y) => Date.parse(x.time) - Date.parse(y.time))) if (Date.parse(p.time) <= until) m.set(p.unit, p);
          return m;
        };
        const t = T0 + s * 1000;
        const got = frame(tracks, [...latest(T0).values()]).unitsAt(t);
        const want = latest(t);
        assert.deepEqual([...got.keys()].sort(), [...want.keys()].sort());
        for (const [u, p] of want) assert.equal(got.get(u)?.lon, p.position[0]);
      },
    ),
  );
});
