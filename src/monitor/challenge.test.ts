// Challenge inspections (docs/inspections.md), given-when-then: a party's request is
// inspected on time (no violation), late (a violation of the observer's duty), or the
// observer is refused access (a finding against the refusing party).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Monitor } from './engine.ts';
import { type Finding, isBreach } from './findings.ts';
import { ReportError, toReport } from './reports.ts';
import { testArrangement } from './testdoc.ts';

const T0 = Date.UTC(2025, 11, 27, 10);
const h = (hours: number) => T0 + hours * 3600000;
const iso = (hours: number) => new Date(h(hours)).toISOString().replace('.000Z', 'Z');
const RULES = [{ id: 'insp', kind: 'inspection', actor: 'o', zones: ['z1'], every: 'P15D', challenge: { within: 'PT24H' } }];
const inspect = (id: string, hours: number, zone = 'z1', source = 'o') => toReport({ type: 'inspection', id, time: iso(hours), source, zones: [zone] });
const brief = (fs: Finding[]) => fs.map((f) => `${f.finding}:${f.state}:${f.actor}`);
const breaches = (m: Monitor) => m.openNow().filter((f) => isBreach(f));

test('given a challenge, when the observer inspects the zone within the time, then the request closes and nothing is a breach', () => {
  const m = new Monitor(testArrangement(RULES));
  const fs = [...m.challenge({ id: 'c1', time: h(0), by: 'b', zone: 'z1' }), ...m.push(inspect('i1', 23)), ...m.finish(h(100))];
  assert.deepEqual(brief(fs), ['challenge:open:o', 'challenge:closed:o']);
  assert.equal(fs[0].requested_by, 'b');
  assert.equal(fs[0].deadline, iso(24));
  assert.deepEqual(breaches(m), []);
});

test('given a challenge, when the time passes without an inspection, then the late inspection is a violation of the observer', () => {
  const m = new Monitor(testArrangement(RULES));
  const fs = [...m.challenge({ id: 'c1', time: h(0), by: 'b', zone: 'z1' }), ...m.push(inspect('i0', 10, 'z2')), ...m.tick(h(30))];
  assert.deepEqual(brief(fs), ['challenge:open:o', 'late-inspection:open:o'], 'an inspection of another zone does not answer it');
  assert.equal(fs[1].time, iso(24));
  assert.deepEqual(brief(breaches(m)), ['late-inspection:open:o']);
  const later = m.push(inspect('i1', 40));
  assert.deepEqual(brief(later), ['challenge:closed:o', 'late-inspection:closed:o']);
});

test('given a challenge, when the observer records a refusal of access, then it is a finding against the refusing party and the observer is not late', () => {
  const m = new Monitor(testArrangement(RULES));
  m.challenge({ id: 'c1', time: h(0), by: 'b', zone: 'z1' });
  const fs = [...m.refusal({ id: 'x1', time: h(2), source: 'o', challenge: 'c1', by: 'a' }), ...m.tick(h(48))];
  assert.deepEqual(brief(fs), ['access-refused:open:a', 'challenge:closed:o']);
  assert.deepEqual(brief(breaches(m)), ['access-refused:open:a']);
  assert.deepEqual(brief(m.push(inspect('i1', 50))), ['access-refused:closed:a'], 'access granted at last closes it');
});

test('given a bad request or refusal, then the engine refuses it naming the field and changes nothing', () => {
  const m = new Monitor(testArrangement(RULES));
  assert.throws(
    () => m.challenge({ id: 'c1', time: h(0), by: 'b', zone: 'z2' }),
    (e: unknown) => e instanceof ReportError && e.field === 'zone',
  );
  assert.throws(
    () => m.refusal({ id: 'x', time: h(0), source: 'o', challenge: 'c1', by: 'a' }),
    (e: unknown) => e instanceof ReportError && e.field === 'challenge',
  );
  m.challenge({ id: 'c1', time: h(0), by: 'b', zone: 'z1' });
  assert.throws(
    () => m.challenge({ id: 'c1', time: h(1), by: 'b', zone: 'z1' }),
    (e: unknown) => e instanceof ReportError && e.field === 'id',
  );
  assert.throws(
    () => m.refusal({ id: 'x', time: h(1), source: 'o2', challenge: 'c1', by: 'a' }),
    (e: unknown) => e instanceof ReportError && e.field === 'source',
  );
  assert.deepEqual(brief(m.openNow()), ['challenge:open:o']);
});

test('given an engine restored from a snapshot with a challenge pending, then it judges it as the one it was taken from', () => {
  const arr = testArrangement(RULES);
  const a = new Monitor(arr);
  a.challenge({ id: 'c1', time: h(0), by: 'b', zone: 'z1' }, 1);
  a.challenge({ id: 'c2', time: h(1), by: 'a', zone: 'z1' }, 2);
  a.refusal({ id: 'x1', time: h(2), source: 'o', challenge: 'c2', by: 'b' }, 3);
  const b = Monitor.restore(arr, JSON.parse(JSON.stringify(a.snapshot())));
  const rest = (m: Monitor) => [...m.tick(h(30), 4), ...m.push(inspect('i1', 31), 5)];
  const fa = rest(a);
  assert.deepEqual(rest(b), fa);
  assert.deepEqual(brief(fa), ['late-inspection:open:o', 'challenge:closed:o', 'late-inspection:closed:o', 'access-refused:closed:b']);
});
