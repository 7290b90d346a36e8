import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { parseTime } from '../arrangement/time.ts';
import { Monitor } from './engine.ts';
import type { Finding } from './findings.ts';
import { recheck } from './recheck.ts';
import { toReport, type Report } from './reports.ts';
import { testArrangement } from './testdoc.ts';

const T0 = Date.UTC(2025, 11, 27, 10);
const at = (min: number) => new Date(T0 + min * 60000).toISOString().replace('.000Z', 'Z');
const IN: [number, number] = [35.85, 33.05];
const OUT: [number, number] = [35.5, 33.05];
const obs = (id: string, min: number, unit: string, actor: string, pos: [number, number], more: object = {}) => ({
  type: 'observation',
  id,
  time: at(min),
  unit,
  actor,
  position: pos,
  ...more,
});

/** The i-th report's ref: not its position, so that a test tells them apart. */
const refOf = (i: number) => 1000 + 7 * i;

/** Runs the reports (each with its ref) and the deadlines up to `until`; returns every transition. */
function run(rules: object[], reports: object[], until?: string, refs = true): Finding[] {
  const m = new Monitor(testArrangement(rules));
  const out: Finding[] = [];
  reports.forEach((r, i) => out.push(...m.push(toReport(r), refs ? refOf(i) : undefined)));
  if (until) out.push(...m.finish(parseTime(until)));
  return out;
}

/** The refs of the reports with these ids, ascending. */
function refsOf(reports: { id: string }[], ...ids: string[]): number[] {
  return ids.map((id) => refOf(reports.findIndex((r) => r.id === id))).sort((a, b) => a - b);
}

const pick = (fs: Finding[], finding: string, state: string) => {
  const f = fs.find((x) => x.finding === finding && x.state === state);
  assert.ok(f, `no ${finding}:${state} in ${JSON.stringify(fs)}`);
  return f;
};

test('basis: presence rests on the unit report that moved it in (and out)', () => {
  const rs = [obs('o1', 0, 'u1', 'a', OUT), obs('o2', 1, 'u2', 'b', IN), obs('o3', 2, 'u1', 'a', IN), obs('o4', 3, 'u2', 'b', OUT)];
  const fs = run([{ id: 'p', kind: 'presence', zone: 'z1', forbid: ['b'] }], rs);
  assert.deepEqual(pick(fs, 'violation', 'open').basis, refsOf(rs, 'o2'));
  assert.deepEqual(pick(fs, 'violation', 'closed').basis, refsOf(rs, 'o4'));
});

test('basis: a limit rests on the reports behind every unit counted, not on the others', () => {
  const rs = [
    obs('o1', 0, 'u1', 'a', IN, { holdings: { tanks: 40 } }),
    obs('o2', 1, 'u9', 'a', OUT, { holdings: { tanks: 90 } }),
    obs('o3', 2, 'u1', 'a', IN, { holdings: { tanks: 45 } }),
    obs('o4', 3, 'u2', 'a', IN, { holdings: { tanks: 35 } }),
    obs('o5', 4, 'u3', 'a', IN, { holdings: { tanks: 1 } }),
    obs('o6', 5, 'u2', 'a', OUT, { holdings: { tanks: 35 } }),
  ];
  const fs = run([{ id: 'l', kind: 'limit', zone: 'z1', actor: 'a', asset: 'tanks', max: 75 }], rs);
  // u1's posture is o3 (o1 is behind it); u9 is outside; u3 comes after the opening.
  assert.deepEqual(pick(fs, 'violation', 'open').basis, refsOf(rs, 'o3', 'o4'));
  // Closed by u2 leaving: the trigger and the units still counted.
  assert.deepEqual(pick(fs, 'violation', 'closed').basis, refsOf(rs, 'o3', 'o5', 'o6'));
});

test('basis: separation rests on the two tracks and the report whose time judged them', () => {
  const dlon = 60 / (111.195 * Math.cos((33 * Math.PI) / 180));
  const trk = (id: string, min: number, unit: string, actor: string, lon: number, ve: number) => ({
    type: 'track',
    id,
    time: at(min),
    unit,
    actor,
    position: [lon, 33.0],
    altitude_m: 6000,
    velocity: { east_mps: ve, north_mps: 0 },
  });
  const rs = [
    trk('t1', 0, 'f1', 'a', 35.5, 200),
    obs('x1', 0, 'x', 'b', OUT),
    trk('t2', 0, 'r1', 'm', 35.5 + dlon, -200),
    obs('x2', 0.5, 'x', 'b', OUT),
    obs('x3', 2.5, 'x', 'b', OUT),
  ];
  const fs = run([{ id: 's', kind: 'separation', between: ['a', 'm'], km: 9.26, m: 300, lookahead: 'PT5M' }], rs);
  assert.deepEqual(pick(fs, 'separation', 'open').basis, refsOf(rs, 't1', 't2'));
  assert.deepEqual(pick(fs, 'loss', 'open').basis, refsOf(rs, 't1', 't2', 'x3'));
});

test('basis: unnotified rests on the entry, late-notice on the entry and the late notification', () => {
  const note = (id: string, sent: number, from: number, to: number) => ({
    type: 'notification',
    id,
    time: at(sent),
    actor: 'a',
    zone: 'z1',
    window: { from: at(from), to: at(to) },
  });
  const rs = [note('n1', 0, 300, 400), obs('o1', 71, 'u2', 'a', IN), note('n2', 149, 150, 200), note('n3', 155, 156, 200), obs('o2', 160, 'u3', 'a', IN)];
  const fs = run([{ id: 'nt', kind: 'notice', actor: 'a', zone: 'z1', lead: 'PT1H' }], rs);
  assert.deepEqual(pick(fs, 'unnotified', 'open').basis, refsOf(rs, 'o1'));
  const late = pick(fs, 'late-notice', 'open');
  assert.equal(late.notification, 'n2');
  assert.deepEqual(late.basis, refsOf(rs, 'n2', 'o2'));
});

test('basis: unacknowledged rests on the notification, the acks received and the report that passed the deadline', () => {
  const w = { from: at(120), to: at(180) };
  const rs = [
    { type: 'notification', id: 'n1', time: at(0), actor: 'a', zone: 'z1', window: w },
    { type: 'ack', id: 'k1', time: at(3), actor: 'b', notification: 'n1' },
    obs('o1', 15, 'x', 'b', OUT),
    { type: 'ack', id: 'k2', time: at(20), actor: 'm', notification: 'n1' },
  ];
  const fs = run([{ id: 'nt', kind: 'notice', actor: 'a', zone: 'z1', lead: 'PT1H', ack: 'PT10M' }], rs);
  const open = pick(fs, 'unacknowledged', 'open');
  assert.deepEqual(open.missing, ['m']);
  assert.deepEqual(open.basis, refsOf(rs, 'n1', 'k1', 'o1'));
  assert.deepEqual(pick(fs, 'unacknowledged', 'closed').basis, refsOf(rs, 'n1', 'k1', 'k2'));
  // Passed at the end of the stream, no report caused it: the notification alone.
  const atEnd = run([{ id: 'nt', kind: 'notice', actor: 'a', zone: 'z1', lead: 'PT1H', ack: 'PT10M' }], rs.slice(0, 1), at(60));
  assert.deepEqual(pick(atEnd, 'unacknowledged', 'open').basis, refsOf(rs, 'n1'));
});

test('basis: a commitment is due on the report that started it, fulfilled on the units counted, overdue on being due', () => {
  const rs = [
    obs('o1', 0, 'x', 'b', OUT),
    obs('o2', 10, 'r1', 'm', IN, { holdings: { troops: 600 } }),
    obs('o3', 20, 'y', 'b', OUT),
    obs('o4', 30, 'r2', 'm', IN, { holdings: { troops: 500 } }),
    obs('o5', 100, 'y', 'b', OUT),
  ];
  const fs = run(
    [
      { id: 'c1', kind: 'commitment', actor: 'm', due: at(60), present: { zone: 'z1', asset: 'troops', min: 1000 } },
      { id: 'c2', kind: 'commitment', actor: 'a', after: 'c1', within: 'PT30M', present: { zone: 'z1' } },
    ],
    rs,
  );
  const due = fs.filter((f) => f.state === 'due');
  assert.deepEqual(
    due.map((f) => [f.rule, f.basis]),
    [
      ['c1', refsOf(rs, 'o1')],
      ['c2', refsOf(rs, 'o4')],
    ],
  );
  assert.deepEqual(pick(fs, 'commitment', 'fulfilled').basis, refsOf(rs, 'o2', 'o4'));
  assert.deepEqual(pick(fs, 'commitment', 'overdue').basis, refsOf(rs, 'o4', 'o5'));
});

test('basis: inspection-overdue rests on what began the period and the report that passed its end', () => {
  const day = 24 * 60;
  const rs = [
    obs('o1', 0, 'x', 'b', OUT),
    { type: 'inspection', id: 'i1', time: at(day), source: 'o', zones: ['z1', 'b1'] },
    { type: 'inspection', id: 'i2', time: at(2 * day + 60), source: 'o', zones: ['z1'] },
  ];
  const fs = run([{ id: 'i', kind: 'inspection', actor: 'o', zones: ['z1', 'b1'], every: 'P1D' }], rs);
  assert.deepEqual(
    fs.map((f) => `${f.state}:${f.zone}:${f.basis}`),
    [`open:b1:${refsOf(rs, 'i1', 'i2')}`, `open:z1:${refsOf(rs, 'i1', 'i2')}`, `closed:z1:${refsOf(rs, 'i2')}`],
  );
});

test('basis: absent when no report came with a ref, so plain output is unchanged', () => {
  const rs = [obs('o1', 0, 'u2', 'b', IN), obs('o2', 1, 'u2', 'b', OUT)];
  const fs = run([{ id: 'p', kind: 'presence', zone: 'z1', forbid: ['b'] }], rs, at(60), false);
  assert.equal(fs.length, 2);
  for (const f of fs) assert.equal('basis' in f, false);
});

// ---- random streams: every open transition re-checks from its basis alone ---------

const RULES = [
  { id: 'p', kind: 'presence', zone: 'z1', forbid: ['b'] },
  { id: 'l', kind: 'limit', zone: 'z1', actor: 'a', asset: 'tanks', max: 50 },
  { id: 'nt', kind: 'notice', actor: 'a', zone: 'z1', lead: 'PT30M', ack: 'PT10M' },
  { id: 's', kind: 'separation', between: ['a', 'b'], km: 9.26, m: 300, lookahead: 'PT5M' },
  { id: 'c', kind: 'commitment', actor: 'b', within: 'PT2H', absent: { zone: 'z1' } },
  { id: 'i', kind: 'inspection', actor: 'o', zones: ['z1'], every: 'PT3H' },
];

type Step =
  | { k: 'unit'; dt: number; unit: number; lon: number; lat: number; tanks: number; v: [number, number] | null; alt: number; z1: boolean }
  | { k: 'note'; dt: number; from: number; len: number; only: boolean }
  | { k: 'ack'; dt: number; by: number; of: number }
  | { k: 'insp'; dt: number };

const step: fc.Arbitrary<Step> = fc.oneof(
  {
    weight: 6,
    arbitrary: fc.record({
      k: fc.constant('unit' as const),
      dt: fc.integer({ min: -30, max: 20 }),
      unit: fc.integer({ min: 0, max: 3 }),
      lon: fc.double({ min: 35.7, max: 36.05, noNaN: true }),
      lat: fc.double({ min: 32.95, max: 33.15, noNaN: true }),
      tanks: fc.integer({ min: 0, max: 40 }),
      v: fc.option(fc.tuple(fc.integer({ min: -250, max: 250 }), fc.integer({ min: -250, max: 250 }))),
      alt: fc.integer({ min: 5950, max: 6150 }),
      z1: fc.boolean(),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      k: fc.constant('note' as const),
      dt: fc.integer({ min: -30, max: 20 }),
      from: fc.integer({ min: 0, max: 60 }),
      len: fc.integer({ min: 10, max: 120 }),
      only: fc.boolean(),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({ k: fc.constant('ack' as const), dt: fc.integer({ min: -30, max: 20 }), by: fc.integer({ min: 0, max: 1 }), of: fc.nat() }),
  },
  { weight: 1, arbitrary: fc.record({ k: fc.constant('insp' as const), dt: fc.integer({ min: 0, max: 240 }) }) },
);

const UNITS: [string, string][] = [
  ['a1', 'a'],
  ['a2', 'a'],
  ['b1', 'b'],
  ['b2', 'b'],
];

/** Steps as reports; times may go back (a report older than the clock), as reports from several sources do. */
function reportsOf(steps: Step[]): Report[] {
  let t = 0;
  const notes: string[] = [];
  return steps.map((s, i): Report => {
    t += s.dt;
    const id = `r${i}`;
    switch (s.k) {
      case 'unit': {
        const [unit, actor] = UNITS[s.unit];
        // Half of them squeezed into z1, where presence, limit and notice rules look.
        const pos = s.z1 ? [35.8 + ((s.lon - 35.7) / 0.35) * 0.1, 33.0 + ((s.lat - 32.95) / 0.2) * 0.1] : [s.lon, s.lat];
        const base = { id, time: at(t), unit, actor, position: pos, altitude_m: s.alt, holdings: { tanks: s.tanks } };
        return toReport(s.v ? { ...base, type: 'track', velocity: { east_mps: s.v[0], north_mps: s.v[1] } } : { ...base, type: 'observation' });
      }
      case 'note':
        notes.push(id);
        return toReport({
          type: 'notification',
          id,
          time: at(t),
          actor: 'a',
          zone: 'z1',
          window: { from: at(t + s.from), to: at(t + s.from + s.len) },
          ...(s.only ? { units: ['a1'] } : {}),
        });
      case 'ack':
        return toReport({ type: 'ack', id, time: at(t), actor: s.by ? 'm' : 'b', notification: notes.length ? notes[s.of % notes.length] : 'none' });
      case 'insp':
        return toReport({ type: 'inspection', id, time: at(t), source: 'o', zones: ['z1'] });
    }
  });
}

const same = (f: Finding) => JSON.stringify([f.finding, f.state, f.rule, f.units ?? null, f.time, f.report ?? null]);

test('property: every open transition is given again by a fresh engine over its basis alone', () => {
  const arr = testArrangement(RULES);
  const seen = new Set<string>();
  fc.assert(
    fc.property(fc.array(step, { minLength: 1, maxLength: 60 }), fc.integer({ min: 0, max: 600 }), (steps, tail) => {
      const reports = reportsOf(steps);
      const m = new Monitor(arr);
      const all: Finding[] = [];
      reports.forEach((r, i) => all.push(...m.push(r, refOf(i))));
      const until = reports[reports.length - 1].time + tail * 60000;
      all.push(...m.finish(until));
      const byRef = new Map(reports.map((r, i) => [refOf(i), r]));
      for (const f of all) {
        if (f.state !== 'open' && f.state !== 'due' && f.state !== 'overdue') continue;
        assert.ok(f.basis, 'every transition has a basis');
        const given = f.basis.map((ref) => ({ ref, report: byRef.get(ref)! }));
        // A transition no report caused came at the end of the stream: so must the re-check's.
        const again = recheck(arr, given, f.report === undefined ? until : undefined);
        assert.ok(
          again.some((g) => same(g) === same(f) && JSON.stringify(g.basis) === JSON.stringify(f.basis)),
          `${same(f)} basis ${f.basis} not reproduced: ${JSON.stringify(again.map(same))}`,
        );
        seen.add(`${f.finding}:${f.state}`);
      }
    }),
    {
      numRuns: 400,
      // Random streams rarely set two parties' tracks on courses to close inside 9.26 km and 300 m within five minutes (CI once drew none in 400
      // runs), so streams that surely do are always among the cases; the random ones still add to it.
      examples: [
        [
          [
            { k: 'unit', dt: 0, unit: 0, lon: 35.7, lat: 33.05, tanks: 0, v: [200, 0], alt: 6000, z1: false },
            { k: 'unit', dt: 0, unit: 2, lon: 36.05, lat: 33.05, tanks: 0, v: [-200, 0], alt: 6050, z1: false },
          ],
          0,
        ],
        // A notice one minute ahead of a window the party then enters (late-notice drew 2 to 7 of 400 runs).
        [
          [
            { k: 'note', dt: 0, from: 1, len: 60, only: false },
            { k: 'unit', dt: 5, unit: 0, lon: 35.9, lat: 33.05, tanks: 0, v: null, alt: 6000, z1: true },
          ],
          0,
        ],
      ],
    },
  );
  // The streams must actually exercise the kinds the property is about.
  for (const k of [
    'violation:open',
    'unnotified:open',
    'late-notice:open',
    'unacknowledged:open',
    'separation:open',
    'loss:open',
    'commitment:due',
    'commitment:overdue',
    'inspection-overdue:open',
  ])
    assert.ok(seen.has(k), `no ${k} in the random streams: ${[...seen]}`);
});

test('basis survives a snapshot: a restored engine gives the same basis as one that ran through', () => {
  const arr = testArrangement(RULES);
  fc.assert(
    fc.property(fc.array(step, { minLength: 2, maxLength: 40 }), fc.nat(), (steps, cut) => {
      const reports = reportsOf(steps);
      const k = 1 + (cut % (reports.length - 1));
      const whole = new Monitor(arr);
      const a: Finding[] = [];
      reports.forEach((r, i) => a.push(...whole.push(r, refOf(i))));
      const first = new Monitor(arr);
      const b: Finding[] = [];
      reports.slice(0, k).forEach((r, i) => b.push(...first.push(r, refOf(i))));
      const restored = Monitor.restore(arr, JSON.parse(JSON.stringify(first.snapshot())));
      reports.slice(k).forEach((r, i) => b.push(...restored.push(r, refOf(k + i))));
      assert.deepEqual(b, a);
    }),
    { numRuns: 150 },
  );
});

test('basis: rules an announced text adds rest on the postures they judge, with no trigger', () => {
  const base = [{ id: 'l0', kind: 'limit', zone: 'z1', actor: 'a', asset: 'troops', max: 100 }];
  const added = [
    { id: 'l1', kind: 'limit', zone: 'z1', actor: 'a', asset: 'tanks', max: 2 },
    { id: 'p1', kind: 'presence', zone: 'z1', forbid: ['b'] },
  ];
  const rs = [
    obs('o1', 0, 'a1', 'a', IN, { holdings: { tanks: 2 } }),
    obs('o2', 1, 'b1', 'b', IN),
    obs('o3', 2, 'a2', 'a', IN, { holdings: { tanks: 1 } }),
    obs('o4', 3, 'b2', 'b', OUT),
  ];
  const m = new Monitor(testArrangement(base));
  rs.forEach((r, i) => m.push(toReport(r), refOf(i)));
  const fs = m.extend(testArrangement([...base, ...added]), T0 + 10 * 60000);
  assert.deepEqual(
    fs.map((f) => [f.rule, f.state, f.basis]),
    [
      ['l1', 'open', refsOf(rs, 'o1', 'o3')],
      ['p1', 'open', refsOf(rs, 'o2')],
    ],
  );
});
