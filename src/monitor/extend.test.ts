// Rules brought into force in a running engine (an announced text): they judge the
// posture as it stands, their clocks start then, and the rules already in force go
// on exactly as if nothing had been added.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { Monitor } from './engine.ts';
import type { Finding } from './findings.ts';
import { toReport } from './reports.ts';
import { testArrangement } from './testdoc.ts';

const IN: [number, number] = [35.85, 33.05];
const OUT: [number, number] = [35.6, 33.05];
const arrangement = testArrangement;

const T0 = Date.UTC(2025, 11, 27, 10);
const at = (min: number) => new Date(T0 + min * 60000).toISOString().replace('.000Z', 'Z');
let n = 0;
const obs = (min: number, unit: string, actor: string, position: [number, number], holdings: Record<string, number> = {}, more: object = {}) =>
  toReport({ type: 'observation', id: `o${++n}`, time: at(min), unit, actor, position, holdings, ...more });

const BASE = [{ id: 'r-base', kind: 'limit', zone: 'z1', actor: 'a', asset: 'troops', max: 100 }];

test('an added limit and presence rule judge the units already there, at the announcement, naming no report', () => {
  const added = [
    { id: 'r-tanks', kind: 'limit', zone: 'z1', actor: 'a', asset: 'tanks', max: 2 },
    { id: 'r-no-b', kind: 'presence', zone: 'z1', forbid: ['b'] },
  ];
  const m = new Monitor(arrangement(BASE));
  m.push(obs(0, 'a1', 'a', IN, { tanks: 3 }));
  m.push(obs(1, 'b1', 'b', IN));
  m.push(obs(2, 'b2', 'b', OUT));
  const fs = m.extend(arrangement([...BASE, ...added]), T0 + 10 * 60000);
  assert.deepEqual(
    fs.map((f) => [f.rule, f.state, f.time, f.report, f.units?.join()]),
    [
      ['r-tanks', 'open', at(10), undefined, 'a1'],
      ['r-no-b', 'open', at(10), undefined, 'b1'],
    ],
  );
  const later = m.push(obs(20, 'b1', 'b', OUT));
  assert.deepEqual(
    later.map((f) => [f.rule, f.state]),
    [['r-no-b', 'closed']],
  );
  assert.deepEqual(
    m.push(obs(21, 'b2', 'b', IN)).map((f) => [f.rule, f.state, f.units?.join()]),
    [['r-no-b', 'open', 'b2']],
  );
  assert.deepEqual(m.push(obs(22, 'a2', 'a', IN, { tanks: 0, troops: 5 })), []);
  assert.deepEqual(
    m.push(obs(23, 'a1', 'a', OUT, { tanks: 3 })).map((f) => [f.rule, f.state]),
    [['r-tanks', 'closed']],
  );
});

test('added commitments start at the announcement, or when what they wait on is fulfilled; inspections too', () => {
  const base = [...BASE, { id: 'c-first', kind: 'commitment', actor: 'm', due: at(24 * 60), present: { zone: 'z2', asset: 'troops', min: 10 } }];
  const added = [
    { id: 'c-then', kind: 'commitment', actor: 'a', after: 'c-first', within: 'PT1H', absent: { zone: 'z1' } },
    { id: 'c-now', kind: 'commitment', actor: 'b', within: 'PT2H', present: { zone: 'z2', min: 1 } },
    { id: 'i-z1', kind: 'inspection', actor: 'o', zones: ['z1'], every: 'PT3H' },
  ];
  const m = new Monitor(arrangement(base));
  m.push(obs(0, 'a1', 'a', IN, { troops: 5 }));
  m.push(obs(5, 'm1', 'm', OUT, { troops: 20 })); // fulfils c-first
  const fs = m.extend(arrangement([...base, ...added]), T0 + 30 * 60000);
  assert.deepEqual(
    fs.map((f) => [f.rule, f.state, f.time, f.deadline]),
    [
      ['c-then', 'due', at(30), at(90)],
      ['c-now', 'due', at(30), at(150)],
    ],
  );
  const next = [...m.push(obs(60, 'a1', 'a', OUT)), ...m.finish(T0 + 4 * 3600000)];
  assert.deepEqual(
    next.map((f) => [f.rule, f.state, f.time]),
    [
      ['c-then', 'fulfilled', at(60)],
      ['c-now', 'overdue', at(150)],
      ['i-z1', 'open', at(210)],
    ],
  );
});

test('an engine extended before any report starts evaluation at the announcement, for every rule', () => {
  const base = [{ id: 'c-x', kind: 'commitment', actor: 'a', within: 'PT1H', absent: { zone: 'z1' } }];
  const m = new Monitor(arrangement(base));
  const fs = m.extend(arrangement([...base, { id: 'r-no-b', kind: 'presence', zone: 'z1', forbid: ['b'] }]), T0);
  // Nothing is in z1: the commitment holds the moment it starts.
  assert.deepEqual(
    fs.map((f) => [f.rule, f.state, f.time]),
    [
      ['c-x', 'due', at(0)],
      ['c-x', 'fulfilled', at(0)],
    ],
  );
  // Its deadline can no longer change anything: there is nothing to wait for.
  assert.equal(m.nextDeadline(), undefined);
});

test('an added separation rule pairs the moving units already known', () => {
  const m = new Monitor(arrangement(BASE));
  const track = (min: number, unit: string, actor: string, lon: number, ve: number) =>
    toReport({
      type: 'track',
      id: `t${++n}`,
      time: at(min),
      unit,
      actor,
      position: [lon, 33.05],
      altitude_m: 5000,
      velocity: { east_mps: ve, north_mps: 0 },
      holdings: {},
    });
  m.push(track(0, 'a-jet', 'a', 35.6, 200));
  m.push(track(0, 'm-jet', 'm', 35.8, -200));
  const fs = m.extend(arrangement([...BASE, { id: 's', kind: 'separation', between: ['a', 'm'], km: 5, m: 300, lookahead: 'PT5M' }]), T0);
  assert.deepEqual(
    fs.map((f) => [f.rule, f.finding, f.state, f.units?.join()]),
    [['s', 'separation', 'open', 'a-jet,m-jet']],
  );
});

test('extend refuses an arrangement whose zones or present rules differ', () => {
  const m = new Monitor(arrangement(BASE));
  assert.throws(() => m.extend(arrangement([{ ...BASE[0], id: 'other' }]), T0), /present rules first/);
});

test('the rules in force before go on exactly as without the extension (random streams)', () => {
  const base = [
    ...BASE,
    { id: 'r-only-a', kind: 'presence', zone: 'z2', only: ['a', 'o'] },
    { id: 'c-b', kind: 'commitment', actor: 'b', within: 'PT3H', present: { zone: 'z2', asset: 'tanks', min: 4 } },
    { id: 'n-a', kind: 'notice', actor: 'a', zone: 'z1', lead: 'PT30M' },
  ];
  const added = [
    { id: 'x-tanks', kind: 'limit', zone: 'z2', actor: 'b', asset: 'tanks', max: 1 },
    { id: 'x-no-m', kind: 'presence', zone: 'z1', forbid: ['m'] },
    { id: 'x-c', kind: 'commitment', actor: 'a', after: 'c-b', within: 'PT1H', absent: { zone: 'z2' } },
  ];
  const plain = arrangement(base);
  const amended = arrangement([...base, ...added]);
  const report = fc.record({
    min: fc.integer({ min: 0, max: 600 }),
    unit: fc.constantFrom('u1', 'u2', 'u3', 'u4', 'u5'),
    actor: fc.constantFrom('a', 'b', 'm', 'o'),
    where: fc.constantFrom(IN, OUT, [35.65, 33.05] as [number, number], [35.95, 33.5] as [number, number]),
    troops: fc.integer({ min: 0, max: 80 }),
    tanks: fc.integer({ min: 0, max: 5 }),
    withdrawn: fc.boolean(),
  });
  fc.assert(
    fc.property(fc.array(report, { maxLength: 40 }), fc.nat(40), fc.integer({ min: 0, max: 600 }), (rs, split, extendAt) => {
      const reports = rs
        .sort((x, y) => x.min - y.min)
        .map((r, i) =>
          toReport({
            type: 'observation',
            id: `r${i}`,
            time: at(r.min),
            unit: r.unit,
            actor: r.actor,
            position: r.where,
            holdings: { troops: r.troops, tanks: r.tanks },
            ...(r.withdrawn && i % 3 === 0 ? { status: 'withdrawn' } : {}),
          }),
        );
      // Extended before any report, evaluation would start at the extension: not this property.
      const k = Math.min(Math.max(1, split), reports.length);
      if (k === 0) return;
      const when = Math.max(T0 + extendAt * 60000, k > 0 ? reports[k - 1].time : -Infinity);
      const a = new Monitor(plain);
      const b = new Monitor(plain);
      const fa: Finding[] = [];
      const fb: Finding[] = [];
      reports.slice(0, k).forEach((r) => {
        fa.push(...a.push(r));
        fb.push(...b.push(r));
      });
      fa.push(...a.finish(when));
      fb.push(...b.extend(amended, when));
      reports.slice(k).forEach((r) => {
        fa.push(...a.push(r));
        fb.push(...b.push(r));
      });
      fa.push(...a.finish(T0 + 24 * 3600000));
      fb.push(...b.finish(T0 + 24 * 3600000));
      const baseIds = new Set(base.map((r) => r.id));
      assert.deepEqual(
        fb.filter((f) => baseIds.has(f.rule)),
        fa,
      );
    }),
    { numRuns: 300 },
  );
});

test('a deadline falling exactly at the announcement passes then, naming no report, as the end of a stream would pass it', () => {
  const rules = [{ id: 'c-b', kind: 'commitment', actor: 'b', within: 'PT3H', present: { zone: 'z2', asset: 'tanks', min: 4 } }];
  const m = new Monitor(arrangement(rules));
  m.push(obs(21, 'u1', 'a', IN, { tanks: 3 }));
  const fs = m.extend(arrangement([...rules, { id: 'x-no-m', kind: 'presence', zone: 'z1', forbid: ['m'] }]), T0 + 201 * 60000);
  assert.deepEqual(
    fs.map((f) => [f.rule, f.state, f.time, f.report]),
    [['c-b', 'overdue', at(201), undefined]],
  );
  assert.deepEqual(m.push(obs(21, 'u1', 'a', IN)), []);
});
