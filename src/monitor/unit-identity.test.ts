// A unit is named by its actor and its id together: a report by one actor with
// another actor's unit id is about a unit of its own, never the other's.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Monitor } from './engine.ts';
import type { Finding } from './findings.ts';
import { toReport } from './reports.ts';
import { testArrangement } from './testdoc.ts';

const IN: [number, number] = [35.85, 33.05];
const OUT: [number, number] = [35.5, 33.05];
const T0 = Date.UTC(2025, 11, 27, 10);
const at = (min: number) => new Date(T0 + min * 60000).toISOString().replace('.000Z', 'Z');
let n = 0;
const obs = (min: number, unit: string, actor: string, more: object = {}) =>
  toReport({ type: 'observation', id: `o${++n}`, time: at(min), unit, actor, position: IN, ...more });
const brief = (fs: Finding[]) => fs.map((f) => `${f.finding}:${f.state}:${f.rule}:${f.actor}:${f.units?.join()}`);

test("one actor's withdrawal of another actor's unit id neither closes the other's violation nor empties its posture", () => {
  const m = new Monitor(testArrangement([{ id: 'p', kind: 'presence', zone: 'z1', forbid: ['b'] }]));
  const opened = m.push(obs(0, 'sy-61-bde', 'b'));
  assert.deepEqual(brief(opened), ['violation:open:p:b:sy-61-bde']);
  const after = m.push(toReport({ type: 'observation', id: 'x1', time: at(5), unit: 'sy-61-bde', actor: 'a', status: 'withdrawn' }));
  assert.deepEqual(after, []);
  assert.deepEqual(brief(m.openNow()), ['violation:open:p:b:sy-61-bde']);
  assert.deepEqual(
    [...m.posture()].map((r) => [r.actor, r.unit]),
    [['b', 'sy-61-bde']],
  );
  assert.equal(m.unitOf('b', 'sy-61-bde')?.actor, 'b');
  assert.equal(m.unitOf('a', 'sy-61-bde'), undefined);
});

test('two actors using the same unit id are two units, in posture, limits and presence', () => {
  const m = new Monitor(
    testArrangement([
      { id: 'p', kind: 'presence', zone: 'z1', forbid: ['b'] },
      { id: 'l', kind: 'limit', zone: 'z1', actor: 'a', asset: 'tanks', max: 10 },
    ]),
  );
  const fs: Finding[] = [];
  fs.push(...m.push(obs(0, 'u1', 'a', { holdings: { tanks: 8 } })));
  fs.push(...m.push(obs(1, 'u1', 'b', { holdings: { tanks: 8 } })));
  // Each is where its own reports put it: b's u1 leaving does not move a's.
  assert.deepEqual(
    [...m.posture()].map((r) => `${r.actor}/${r.unit}`),
    ['a/u1', 'b/u1'],
  );
  fs.push(...m.push(obs(2, 'u2', 'a', { holdings: { tanks: 3 } })));
  fs.push(...m.push(obs(3, 'u1', 'b', { position: OUT })));
  assert.deepEqual(brief(fs), [
    'violation:open:p:b:u1',
    'violation:open:l:a:u1,u2', // a's 8 + 3; b's 8 never counted for a
    'violation:closed:p:b:u1',
  ]);
  assert.equal(m.unitOf('a', 'u1')?.lon, IN[0]);
  assert.equal(m.unitOf('b', 'u1')?.lon, OUT[0]);
});

test("two actors' units with one id in the same forbidden zone are two subjects, opened and closed apart", () => {
  const m = new Monitor(testArrangement([{ id: 'p', kind: 'presence', zone: 'z1', only: ['o'] }]));
  m.push(obs(0, 'u1', 'a'));
  m.push(obs(1, 'u1', 'b'));
  assert.deepEqual(brief(m.openNow()), ['violation:open:p:a:u1', 'violation:open:p:b:u1']);
  const closed = m.push(obs(2, 'u1', 'a', { position: OUT }));
  assert.deepEqual(brief(closed), ['violation:closed:p:a:u1']);
  assert.deepEqual(brief(m.openNow()), ['violation:open:p:b:u1']);
});

test('a separation pair of two actors may share one unit id', () => {
  const m = new Monitor(testArrangement([{ id: 's', kind: 'separation', between: ['a', 'b'], km: 5, lookahead: 'PT5M' }]));
  const track = (unit: string, actor: string) =>
    toReport({ type: 'track', id: `t${++n}`, time: at(0), unit, actor, position: IN, velocity: { east_mps: 0, north_mps: 0 } });
  const fs = [...m.push(track('x', 'a')), ...m.push(track('x', 'b'))];
  assert.deepEqual(brief(fs), ['loss:open:s:undefined:x,x']);
});
