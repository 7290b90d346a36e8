// The property of issue 11: for random report streams, the findings a reader derives
// from the slice the disclosure policy gives it equal the server's findings that rest
// only on reports it may read; every other finding it may see names the reports it
// cannot open (their addresses), so someone entitled to them can check it.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { compileArrangement } from '../arrangement/compile.ts';
import { IssueList } from '../arrangement/issues.ts';
import { validateDocument } from '../arrangement/validate.ts';
import type { Actor } from '../policy/policy.ts';
import { comparable, compareDerived, derivable, type Filed, sliceFor } from './derive.ts';
import { Monitor } from './engine.ts';
import type { Finding } from './findings.ts';
import { toReport } from './reports.ts';
import { testDoc } from './testdoc.ts';

const RULES = [
  { id: 'lim-a', kind: 'limit', actor: 'a', zone: 'z1', asset: 'tanks', max: 1 },
  { id: 'lim-b', kind: 'limit', actor: 'b', zone: 'b1', asset: 'troops', max: 150 },
  { id: 'pres-z2', kind: 'presence', zone: 'z2', forbid: ['a', 'b'] },
  { id: 'notice-a', kind: 'notice', actor: 'a', zone: 'b1', lead: 'PT1H', ack: 'PT30M' },
  { id: 'notice-b', kind: 'notice', actor: 'b', zone: 'z1', lead: 'PT30M', ack: 'PT20M' },
  { id: 'sep-ab', kind: 'separation', between: ['a', 'b'], km: 5, m: 300, lookahead: 'PT5M' },
  { id: 'c-b-out', kind: 'commitment', actor: 'b', within: 'PT6H', absent: { zone: 'z1' } },
  { id: 'c-a-in', kind: 'commitment', actor: 'a', after: 'c-b-out', within: 'PT3H', present: { zone: 'z2', asset: 'troops', min: 100 } },
];

function arrangement(extra: object = {}) {
  const out = new IssueList('(test)');
  const doc = validateDocument(testDoc(RULES, extra), out, () => ({ error: 'no files', name: '(none)' }));
  assert.ok(doc && out.issues.length === 0, JSON.stringify(out.issues));
  return compileArrangement(doc);
}
/** The default policy: each party reads all about itself only; the guarantor reads no report. */
const ARRANGEMENT = arrangement();
/** The guarantor added to every report kind (as the southern-Syria example does): it re-derives everything. */
const WITH_GUARANTOR = arrangement({
  disclosure: {
    'party-reports': { full: ['author', 'subject', 'mediator', 'guarantor'] },
    'mediator-reports': { full: ['author', 'subject', 'guarantor'] },
    'observer-reports': { full: ['author', 'subject', 'mediator', 'guarantor'], coarse: { to: ['party'], position_m: 5000, time_s: 3600 } },
    notifications: { full: ['author', 'subject', 'party', 'mediator', 'guarantor'] },
    acks: { full: ['author', 'subject', 'notifier', 'mediator', 'guarantor'] },
  },
});

const ACTORS = new Map(ARRANGEMENT.actors.map((a) => [a.id, { id: a.id, role: a.role } as Actor]));
const T0 = Date.parse('2026-01-01T00:00:00Z');
const iso = (ms: number) => new Date(ms).toISOString();

/** One step of a random stream: who files what about whom. */
const step = fc.oneof(
  {
    weight: 6,
    arbitrary: fc.record({
      k: fc.constant('unit' as const),
      author: fc.constantFrom('a', 'b', 'm', 'o'),
      subject: fc.constantFrom('a', 'b'),
      unit: fc.integer({ min: 0, max: 3 }),
      cell: fc.integer({ min: 0, max: 3 }),
      troops: fc.integer({ min: 0, max: 120 }),
      tanks: fc.integer({ min: 0, max: 2 }),
      dt: fc.integer({ min: 0, max: 3600 }),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      k: fc.constant('notice' as const),
      actor: fc.constantFrom('a', 'b'),
      zone: fc.constantFrom('b1', 'z1'),
      lead: fc.integer({ min: 0, max: 7200 }),
      dt: fc.integer({ min: 0, max: 3600 }),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({ k: fc.constant('ack' as const), author: fc.constantFrom('a', 'b', 'm'), which: fc.nat(), dt: fc.integer({ min: 0, max: 3600 }) }),
  },
);

// Four places: in z1, in b1 only, in z2, nowhere.
const CELLS: [number, number][] = [
  [35.85, 33.05],
  [35.95, 33.3],
  [35.6, 33.05],
  [35.3, 32.8],
];

type Step = typeof step extends fc.Arbitrary<infer T> ? T : never;

function build(steps: Step[]): Filed[] {
  const filed: Filed[] = [];
  const notices: { id: string; actor: string }[] = [];
  let t = T0;
  steps.forEach((s, i) => {
    t += s.dt * 1000;
    const ref = i * 65536;
    if (s.k === 'unit') {
      // A party files only its own units; the mediator and the observer file anyone's.
      const subject = s.author === 'a' || s.author === 'b' ? s.author : s.subject;
      const [lon, lat] = CELLS[s.cell];
      const report = toReport({
        type: 'track',
        id: `r${i}`,
        time: iso(t),
        unit: `${subject}-${s.unit}`,
        actor: subject,
        position: [lon + s.unit * 0.001, lat],
        altitude_m: 5000,
        velocity: { east_mps: 0, north_mps: 0 },
        holdings: { troops: s.troops, tanks: s.tanks },
      });
      filed.push({ ref, author: ACTORS.get(s.author)!, report });
    } else if (s.k === 'notice') {
      const id = `n${i}`;
      notices.push({ id, actor: s.actor });
      const report = toReport({
        type: 'notification',
        id,
        time: iso(t),
        actor: s.actor,
        zone: s.zone,
        window: { from: iso(t + s.lead * 1000), to: iso(t + s.lead * 1000 + 4 * 3600_000) },
        units: [`${s.actor}-0`, `${s.actor}-1`],
      });
      filed.push({ ref, author: ACTORS.get(s.actor)!, report });
    } else if (notices.length) {
      const n = notices[s.which % notices.length];
      if (n.actor === s.author) return;
      const report = toReport({ type: 'ack', id: `k${i}`, time: iso(t), actor: s.author, notification: n.id });
      filed.push({ ref, author: ACTORS.get(s.author)!, report, notifier: n.actor });
    }
  });
  return filed;
}

/** The engine over every report, or over a reader's slice with the others' times only (they pass the clock, as in the record). */
function run(filed: readonly Filed[], readable?: ReadonlySet<number>): Finding[] {
  const m = new Monitor(ARRANGEMENT); // both arrangements have the same rules: only who reads what differs
  const out: Finding[] = [];
  let last = T0;
  for (const f of filed) {
    last = Math.max(last, f.report.time);
    out.push(...(readable && !readable.has(f.ref) ? m.tick(f.report.time, f.ref) : m.push(f.report, f.ref)));
  }
  out.push(...m.finish(last + 24 * 3600_000));
  return out;
}

test('a reader re-derives exactly the findings that rest on what it reads; the rest name what it cannot open', () => {
  // How much each reader could check across all runs: the property must not hold vacuously.
  const checked = new Map<string, number>();
  const unchecked = new Map<string, number>();
  const count = (m: Map<string, number>, k: string, n: number) => m.set(k, (m.get(k) ?? 0) + n);
  fc.assert(
    fc.property(fc.array(step, { minLength: 1, maxLength: 60 }), (steps) => {
      const filed = build(steps);
      if (!filed.length) return;
      const server = run(filed);
      for (const [policy, a] of [
        ['default', ARRANGEMENT],
        ['guarantor', WITH_GUARANTOR],
      ] as const) {
        for (const id of ['a', 'b', 'm', 'g', 't3', 'o']) {
          const reader = ACTORS.get(id)!;
          const slice = sliceFor(a, reader, filed);
          const refs = new Set(slice.map((f) => f.ref));
          const ids = new Set(slice.map((f) => f.report.id));
          const derived = run(filed, refs);
          const isDerivable = derivable(a, reader);
          // In order, transition for transition.
          assert.deepEqual(
            derived.filter(isDerivable).map((f) => comparable(f, ids)),
            server.filter(isDerivable).map((f) => comparable(f, ids)),
            `${policy}: reader ${reader.id}`,
          );
          const check = compareDerived(a, reader, server, derived, { refs, ids });
          assert.deepEqual([check.missing, check.extra], [[], []]);
          // A finding it can derive names a report it cannot read only as the one that moved the clock (its time is public).
          for (const f of check.checked) assert.ok((f.basis ?? []).filter((r) => !refs.has(r)).length <= 1, JSON.stringify(f));
          // One it cannot derive names the reports it cannot read, each one in the record.
          for (const n of check.notCheckable) for (const r of n.hidden) assert.ok(filed.some((x) => x.ref === r && !refs.has(r)));
          count(checked, `${policy}/${id}`, check.checked.length);
          count(unchecked, `${policy}/${id}`, check.notCheckable.filter((n) => n.hidden.length > 0).length);
        }
      }
    }),
    { numRuns: 300 },
  );
  // Each party checked findings about itself and met findings it could not check; the
  // mediator and (when the arrangement adds it) the guarantor checked everything.
  for (const k of ['default/a', 'default/b', 'default/m', 'guarantor/g']) assert.ok((checked.get(k) ?? 0) > 50, `${k} checked ${checked.get(k)}`);
  for (const k of ['default/a', 'default/b', 'default/g', 'default/t3']) assert.ok((unchecked.get(k) ?? 0) > 50, `${k} could not check ${unchecked.get(k)}`);
  for (const k of ['default/m', 'guarantor/g']) assert.equal(unchecked.get(k) ?? 0, 0, k);
});
