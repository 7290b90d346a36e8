// Tracks mark a report that withdrew its unit, so a replay can take the unit off the map
// there; positions at a time still leave a withdrawn unit out.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { RecordReport } from '../core/record-reports.ts';
import { positionsAt, tracksBetween } from './points.ts';

let n = 0;
const rep = (report: Record<string, unknown>): RecordReport => ({ report, entry: ++n, n: 0 }) as unknown as RecordReport;
const track = (id: string, time: string, lon: number) => rep({ type: 'track', id, time, unit: 'il-f16-1', actor: 'il', position: [lon, 33], altitude_m: 3500 });
const reports = [
  track('a', '2026-02-17T18:40:00Z', 35.8),
  track('b', '2026-02-17T18:41:00Z', 35.9),
  rep({ type: 'observation', id: 'gone', time: '2026-02-17T18:55:00Z', unit: 'il-f16-1', actor: 'il', position: [35.3, 32.9], status: 'withdrawn' }),
];
async function* each() {
  yield* reports;
}

test('a withdrawal in a window of tracks is marked withdrawn; the reports before it are not', async () => {
  const got = [];
  for await (const p of tracksBetween(each(), Date.parse('2026-02-17T18:00:00Z'), Date.parse('2026-02-17T19:00:00Z'))) got.push(p);
  assert.deepEqual(
    got.map((p) => [p.report, p.withdrawn ?? false]),
    [
      ['a', false],
      ['b', false],
      ['gone', true],
    ],
  );
  assert.deepEqual(await positionsAt(each(), Date.parse('2026-02-17T19:00:00Z')), []);
  assert.equal((await positionsAt(each(), Date.parse('2026-02-17T18:50:00Z')))[0].report, 'b');
});
