// The engine's switch to an amended arrangement: findings under a changed rule close as
// superseded, the changed rule judges the posture as it stands, kept rules go on as if
// nothing happened (their state kept), and changed zones are judged on the new geometry.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { compileArrangement } from '../arrangement/compile.ts';
import { Monitor } from './engine.ts';
import { toReport } from './reports.ts';
import { switchArrangement } from './switch.ts';
import { testArrangement, testDoc } from './testdoc.ts';
import { IssueList } from '../arrangement/issues.ts';
import { validateDocument } from '../arrangement/validate.ts';

const IN: [number, number] = [35.85, 33.05];
const OUT: [number, number] = [35.6, 33.05];
const T0 = Date.UTC(2026, 0, 10, 10);
const at = (min: number) => new Date(T0 + min * 60000).toISOString().replace('.000Z', 'Z');
let n = 0;
const obs = (min: number, unit: string, actor: string, position: [number, number], holdings: Record<string, number> = {}) =>
  toReport({ type: 'observation', id: `o${++n}`, time: at(min), unit, actor, position, holdings });

const TANKS = (max: number) => ({ id: 'r-tanks', kind: 'limit', zone: 'z1', actor: 'a', asset: 'tanks', max });
const TROOPS = { id: 'r-troops', kind: 'limit', zone: 'z1', actor: 'b', asset: 'troops', max: 10 };
const REASON = 'superseded by draft 3 of round 2';

test('a finding open under a changed limit closes as superseded; a violation of the new limit opens; the kept rule stays open', () => {
  const m = new Monitor(testArrangement([TANKS(5), TROOPS]));
  m.push(obs(0, 'a1', 'a', IN, { tanks: 6 }));
  m.push(obs(1, 'b1', 'b', IN, { troops: 20 }));
  assert.deepEqual(
    m.openNow().map((f) => f.rule),
    ['r-tanks', 'r-troops'],
  );
  const s = switchArrangement(m, testArrangement([TANKS(4), TROOPS]), T0 + 10 * 60000, REASON);
  assert.deepEqual(
    s.findings.map((f) => [f.rule, f.state, f.time, f.reason, f.observed, f.max]),
    [
      ['r-tanks', 'closed', at(10), REASON, 6, 5],
      ['r-tanks', 'open', at(10), undefined, 6, 4],
    ],
  );
  // the kept rule's finding is still the one that opened before the switch: not opened again
  assert.deepEqual(
    s.monitor.openNow().map((f) => [f.rule, f.max]),
    [
      ['r-troops', 10],
      ['r-tanks', 4],
    ],
  );
  // both go on: within the new limit closes it; the kept rule closes as before
  assert.deepEqual(
    s.monitor.push(obs(20, 'a1', 'a', IN, { tanks: 4 })).map((f) => [f.rule, f.state]),
    [['r-tanks', 'closed']],
  );
  assert.deepEqual(
    s.monitor.push(obs(21, 'b1', 'b', OUT, { troops: 20 })).map((f) => [f.rule, f.state]),
    [['r-troops', 'closed']],
  );
});

test('a raised limit under which the posture is within bounds only closes the old finding', () => {
  const m = new Monitor(testArrangement([TANKS(5)]));
  m.push(obs(0, 'a1', 'a', IN, { tanks: 6 }));
  const s = switchArrangement(m, testArrangement([TANKS(8)]), T0 + 5 * 60000, REASON);
  assert.deepEqual(
    s.findings.map((f) => [f.rule, f.state]),
    [['r-tanks', 'closed']],
  );
  assert.deepEqual(s.monitor.openNow(), []);
});

test('a retired rule closes its findings; a kept commitment keeps its progress (not restarted)', () => {
  const deploy = { id: 'c-deploy', kind: 'commitment', actor: 'm', due: at(600), present: { zone: 'z2', asset: 'troops', min: 10 } };
  const m = new Monitor(testArrangement([TANKS(5), deploy]));
  m.push(obs(0, 'a1', 'a', IN, { tanks: 6 }));
  const fulfilled = m.push(obs(1, 'm1', 'm', OUT, { troops: 12 }));
  assert.deepEqual(
    fulfilled.map((f) => [f.rule, f.state]),
    [['c-deploy', 'fulfilled']],
  );
  const s = switchArrangement(m, testArrangement([deploy]), T0 + 10 * 60000, REASON);
  assert.deepEqual(
    s.findings.map((f) => [f.rule, f.state, f.reason]),
    [['r-tanks', 'closed', REASON]],
  );
  // fulfilled stays fulfilled: leaving the zone later is no new "due"
  assert.deepEqual(s.monitor.push(obs(30, 'm1', 'm', IN, { troops: 12 })), []);
  assert.equal(s.monitor.nextDeadline(), undefined);
});

test('the switch is the same from a restored engine (what a restart from a snapshot does)', () => {
  const run = (restore: boolean) => {
    n = 100;
    let m = new Monitor(testArrangement([TANKS(5), TROOPS]));
    m.push(obs(0, 'a1', 'a', IN, { tanks: 6 }));
    m.push(obs(1, 'b1', 'b', IN, { troops: 20 }));
    if (restore) m = Monitor.restore(m.arrangement, JSON.parse(JSON.stringify(m.snapshot())));
    const s = switchArrangement(m, testArrangement([TROOPS, TANKS(4)]), T0 + 10 * 60000, REASON);
    const later = s.monitor.push(obs(30, 'a1', 'a', IN, { tanks: 5 }));
    return { switched: s.findings, later, rules: s.arrangement.rules.map((r) => r.id), snap: s.monitor.snapshot() };
  };
  const live = run(false);
  assert.deepEqual(live.rules, ['r-troops', 'r-tanks']);
  assert.deepEqual(run(true), live);
});

test('changed zones: units are judged on the new geometry', () => {
  const m = new Monitor(testArrangement([TANKS(5)]));
  const first = obs(0, 'a1', 'a', [35.95, 33.05], { tanks: 6 });
  m.push(first);
  assert.deepEqual(m.openNow(), []);
  // z1 grows east to 36.0 E: the unit is now inside it, over the limit
  const doc = testDoc([TANKS(5)]);
  const wider = [
    [
      [35.8, 33.0],
      [36.0, 33.0],
      [36.0, 33.1],
      [35.8, 33.1],
      [35.8, 33.0],
    ],
  ];
  doc.zones[0] = { id: 'z1', geometry: { type: 'Polygon', coordinates: wider } };
  const out = new IssueList('(test)');
  const checked = validateDocument(doc, out, () => ({ error: 'no files', name: '(none)' }));
  assert.ok(checked, JSON.stringify(out.issues));
  const s = switchArrangement(m, compileArrangement(checked), T0 + 10 * 60000, REASON);
  assert.deepEqual(
    s.findings.map((f) => [f.rule, f.state, f.observed]),
    [['r-tanks', 'open', 6]],
  );
  // the report ids seen before the switch are still known
  assert.throws(() => s.monitor.push({ ...obs(12, 'a1', 'a', IN), id: first.id }), /duplicate report id/);
  assert.deepEqual(
    s.monitor.push(obs(13, 'a1', 'a', [36.05, 33.05], { tanks: 6 })).map((f) => [f.rule, f.state]),
    [['r-tanks', 'closed']],
  );
});
