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

// Zones changed elsewhere: a rule whose own zones are untouched goes on as it was.
const WIDER = [
  [
    [35.8, 33.0],
    [36.0, 33.0],
    [36.0, 33.1],
    [35.8, 33.1],
    [35.8, 33.0],
  ],
];
const Z2_IN: [number, number] = [35.6, 33.05];
// b's deployment in z2 starts both withdrawals (as the example's Russian deployment starts Israel's).
const DEPLOY = { id: 'c-deploy', kind: 'commitment', actor: 'b', within: 'PT1H', present: { zone: 'z2', asset: 'troops', min: 10 } };
const OUT_Z2 = { id: 'c-out-z2', kind: 'commitment', actor: 'b', after: 'c-deploy', within: 'PT2H', absent: { zone: 'z2', asset: 'troops' } };
const OUT_Z1 = { id: 'c-out-z1', kind: 'commitment', actor: 'a', after: 'c-deploy', within: 'PT2H', absent: { zone: 'z1' } };
const Z2_TROOPS = { id: 'r-z2-troops', kind: 'limit', zone: 'z2', actor: 'b', asset: 'troops', max: 10 };

/** The test arrangement with these rules and z1 grown east to 36.0 E (and the extra zones given). */
function widened(rules: object[], extraZones: object[] = []) {
  const doc = testDoc(rules);
  doc.zones[0] = { id: 'z1', geometry: { type: 'Polygon', coordinates: WIDER } };
  doc.zones.push(...(extraZones as typeof doc.zones));
  const out = new IssueList('(test)');
  const checked = validateDocument(doc, out, () => ({ error: 'no files', name: '(none)' }));
  assert.ok(checked, JSON.stringify(out.issues));
  return compileArrangement(checked);
}

const progressRun = (restore: boolean) => {
  n = 200;
  const rules = [TANKS(5), Z2_TROOPS, DEPLOY, OUT_Z2, OUT_Z1];
  let m = new Monitor(testArrangement(rules));
  m.push(obs(0, 'a1', 'a', IN, { tanks: 6 }));
  m.push(obs(1, 'b1', 'b', Z2_IN, { troops: 20 }));
  if (restore) m = Monitor.restore(m.arrangement, JSON.parse(JSON.stringify(m.snapshot())));
  const s = switchArrangement(m, widened(rules), T0 + 30 * 60000, REASON);
  return { m: s.monitor, findings: s.findings, snap: s.monitor.snapshot() };
};

test('changed zones elsewhere: a withdrawal on an unchanged zone keeps its due time; its limit keeps its open finding; rules on the changed zone start again, saying why', () => {
  const { m, findings } = progressRun(false);
  const zoneReason = `${REASON} (zone z1 changed: it starts again)`;
  assert.deepEqual(
    findings.map((f) => [f.rule, f.state, f.time, f.reason, f.deadline]),
    [
      ['r-tanks', 'closed', at(30), zoneReason, undefined],
      ['c-out-z1', 'closed', at(30), zoneReason, at(121)],
      ['r-tanks', 'open', at(30), undefined, undefined],
      ['c-out-z1', 'due', at(30), undefined, at(150)],
    ],
  );
  // Nothing said of the z2 rules: the limit's finding is the one opened before, the withdrawal still due at 120.
  const open = m.openNow();
  assert.deepEqual(
    open.filter((f) => f.rule.includes('z2')).map((f) => [f.rule, f.state, f.time, f.deadline]),
    [
      ['r-z2-troops', 'open', at(1), undefined],
      ['c-out-z2', 'due', at(1), at(121)],
    ],
  );
  // The kept withdrawal falls due at its old time, not two hours after the switch.
  const overdue = m.finish(T0 + 122 * 60000);
  assert.deepEqual(
    overdue.map((f) => [f.rule, f.state, f.time]),
    [['c-out-z2', 'overdue', at(121)]],
  );
  // The restarted one falls due two hours after the switch.
  assert.deepEqual(
    m.finish(T0 + 151 * 60000).map((f) => [f.rule, f.state, f.time]),
    [['c-out-z1', 'overdue', at(150)]],
  );
  // The kept limit goes on: the troops leave, it closes (and the overdue withdrawal is met late).
  assert.deepEqual(
    m
      .push(obs(160, 'b1', 'b', [35.3, 33.05], { troops: 20 }))
      .filter((f) => f.rule === 'r-z2-troops')
      .map((f) => [f.rule, f.state]),
    [['r-z2-troops', 'closed']],
  );
});

test('changed zones elsewhere: the switch is the same from a restored engine', () => {
  const seen = ({ findings, snap }: ReturnType<typeof progressRun>) => ({ findings, snap });
  assert.deepEqual(seen(progressRun(true)), seen(progressRun(false)));
});

test('a zone added: every rule is kept, no finding closes; a rule on the new zone judges the posture', () => {
  const rules = [TANKS(5), Z2_TROOPS, DEPLOY, OUT_Z2];
  const m = new Monitor(testArrangement(rules));
  m.push(obs(0, 'a1', 'a', IN, { tanks: 6 }));
  m.push(obs(1, 'b1', 'b', Z2_IN, { troops: 20 }));
  const doc = testDoc([...rules, { id: 'r-z3', kind: 'limit', zone: 'z3', actor: 'b', asset: 'troops', max: 5 }]);
  doc.zones.push({ id: 'z3', geometry: { type: 'Polygon', coordinates: WIDER } } as (typeof doc.zones)[number]);
  doc.zones.push({ id: 'z4', band: { of: 'z3', km: [0, 5], side: 'both' } } as unknown as (typeof doc.zones)[number]);
  const out = new IssueList('(test)');
  const checked = validateDocument(doc, out, () => ({ error: 'no files', name: '(none)' }));
  assert.ok(checked, JSON.stringify(out.issues));
  const s = switchArrangement(m, compileArrangement(checked), T0 + 30 * 60000, REASON);
  assert.deepEqual(s.findings, []);
  assert.deepEqual(
    s.monitor.openNow().map((f) => [f.rule, f.state, f.time]),
    [
      ['r-tanks', 'open', at(0)],
      ['r-z2-troops', 'open', at(1)],
      ['c-out-z2', 'due', at(1)],
    ],
  );
  // the new zone holds no one yet; a unit moving in is judged there
  assert.deepEqual(
    s.monitor.push(obs(40, 'b2', 'b', [35.95, 33.05], { troops: 9 })).map((f) => [f.rule, f.state]),
    [['r-z3', 'open']],
  );
});

test('a line moved: a rule on the band drawn from it starts again; one on another zone is kept', () => {
  const BAND = { id: 'r-band', kind: 'limit', zone: 'b1', actor: 'a', asset: 'tanks', max: 5 };
  const rules = [BAND, Z2_TROOPS];
  const m = new Monitor(testArrangement(rules));
  m.push(obs(0, 'a1', 'a', IN, { tanks: 6 }));
  m.push(obs(1, 'b1', 'b', Z2_IN, { troops: 20 }));
  const doc = testDoc(rules);
  doc.lines[0] = {
    id: 'l1',
    geometry: {
      type: 'LineString',
      coordinates: [
        [35.95, 32.5],
        [35.95, 33.5],
      ],
    },
  };
  const out = new IssueList('(test)');
  const checked = validateDocument(doc, out, () => ({ error: 'no files', name: '(none)' }));
  assert.ok(checked, JSON.stringify(out.issues));
  const s = switchArrangement(m, compileArrangement(checked), T0 + 30 * 60000, REASON);
  // the line moved east of the unit: it is out of the band now
  assert.deepEqual(
    s.findings.map((f) => [f.rule, f.state, f.reason]),
    [['r-band', 'closed', `${REASON} (zone b1 changed: it starts again)`]],
  );
  assert.deepEqual(
    s.monitor.openNow().map((f) => [f.rule, f.time]),
    [['r-z2-troops', at(1)]],
  );
});
