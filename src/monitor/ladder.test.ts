// The escalation ladder of an unacknowledged notice (docs/escalation.md), given-when-then:
// each rung comes due in order while the notice stays unacknowledged, an acknowledgement
// stops the climb, and an engine restored from a snapshot mid-ladder climbs the same.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Monitor } from './engine.ts';
import type { Finding } from './findings.ts';
import { toReport } from './reports.ts';
import { testArrangement } from './testdoc.ts';

const T0 = Date.UTC(2025, 11, 27, 10);
const at = (min: number) => new Date(T0 + min * 60000).toISOString().replace('.000Z', 'Z');
const ms = (min: number) => T0 + min * 60000;

const LADDER = [
  { to: 'notified', after: 'PT5M' },
  { to: 'mediator', after: 'PT15M' },
  { to: 'guarantor', after: 'PT1H' },
];
const RULE = { id: 'nt', kind: 'notice', actor: 'a', zone: 'z1', lead: 'PT1H', ack: 'PT10M', escalation: LADDER };
const note = (id: string, min: number) =>
  toReport({ type: 'notification', id, time: at(min), actor: 'a', zone: 'z1', window: { from: at(min + 120), to: at(min + 180) } });
const ack = (id: string, min: number, actor: string, notification = 'n1') => toReport({ type: 'ack', id, time: at(min), actor, notification });
const rungs = (fs: Finding[]) =>
  fs.map((f) => `${f.state}@${f.time.slice(11, 16)}${f.escalation ? ` ${f.escalation.step}:${f.escalation.to}→${f.escalation.actors.join(',')}` : ''}`);

test('given a notice left unacknowledged, when time passes, then each rung comes due in order, to its role', () => {
  const m = new Monitor(testArrangement([RULE]));
  const fs = [...m.push(note('n1', 0)), ...m.tick(ms(200))];
  assert.deepEqual(rungs(fs), ['open@10:10', 'open@10:15 1:notified→b,m', 'open@10:25 2:mediator→m', 'open@11:10 3:guarantor→g']);
  for (const f of fs) assert.equal(f.finding, 'unacknowledged');
  assert.deepEqual(fs[1].missing, ['b', 'm'], 'a rung says who is still to acknowledge');
  assert.equal(m.nextDeadline(), undefined, 'the top of the ladder is the end of it');
});

test('given a ladder climbing, when the last missing ack arrives between rungs, then the finding closes and no rung follows', () => {
  const m = new Monitor(testArrangement([RULE]));
  const fs = [...m.push(note('n1', 0)), ...m.push(ack('k1', 12, 'b')), ...m.tick(ms(16)), ...m.push(ack('k2', 20, 'm')), ...m.tick(ms(300))];
  assert.deepEqual(rungs(fs), ['open@10:10', 'open@10:15 1:notified→m', 'closed@10:20']);
});

test('given a notice acknowledged in time, when the rungs would have come due, then nothing escalates', () => {
  const m = new Monitor(testArrangement([RULE]));
  const fs = [...m.push(note('n1', 0)), ...m.push(ack('k1', 2, 'b')), ...m.push(ack('k2', 9, 'm')), ...m.tick(ms(300))];
  assert.deepEqual(fs, []);
});

test('given a rung and a report at the same minute, then the rung is judged first and names that report', () => {
  const m = new Monitor(testArrangement([RULE]));
  m.push(note('n1', 0));
  m.tick(ms(11));
  const fs = m.push(ack('k1', 15, 'b'));
  // Deadlines at a report's time pass after it is applied: b's ack counts, m is still missing.
  assert.deepEqual(rungs(fs), ['open@10:15 1:notified→m']);
  assert.equal(fs[0].report, 'k1');
});

test('given an engine restored from a snapshot mid-ladder, then it climbs exactly as the one it was taken from', () => {
  const arr = testArrangement([RULE]);
  const a = new Monitor(arr);
  a.push(note('n1', 0), 1);
  a.tick(ms(16), 2);
  const b = Monitor.restore(arr, JSON.parse(JSON.stringify(a.snapshot())));
  const rest = (m: Monitor) => [...m.push(ack('k1', 30, 'b'), 3), ...m.tick(ms(300), 4)];
  const fa = rest(a);
  assert.deepEqual(rest(b), fa);
  // Rung 2 (10:25) passes before the ack at 10:30 is applied, and names it; rung 3 after it.
  assert.deepEqual(rungs(fa), ['open@10:25 2:mediator→m', 'open@11:10 3:guarantor→g']);
  assert.equal(fa[0].report, 'k1');
  assert.deepEqual(fa[1].missing, ['m'], 'b acknowledged between the rungs; m is still missing');
});
