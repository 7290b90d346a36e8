// Graded reports and corroboration, given → when → then (docs/evidence.md).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { compileArrangement, type Arrangement } from '../arrangement/compile.ts';
import { IssueList } from '../arrangement/issues.ts';
import { validateDocument } from '../arrangement/validate.ts';
import { Monitor } from './engine.ts';
import { isBreach, type Finding } from './findings.ts';
import { toReport } from './reports.ts';
import { testDoc } from './testdoc.ts';

const EVIDENCE = {
  default: { confirmed: [{ min_grade: 'B2' }, { role: 'observer' }], probable: [{ independent_sources: 2, min_grade: 'C3' }] },
};
const RULES = [{ id: 'r-no-third', kind: 'presence', zone: 'z1', forbid: ['t3'] }];

function arrangement(evidence: object | null = EVIDENCE): Arrangement {
  const out = new IssueList('(test)');
  const doc = validateDocument(testDoc(RULES, evidence ? { evidence } : {}), out, () => ({ error: 'no files', name: '(none)' }));
  assert.ok(doc && out.issues.length === 0, JSON.stringify(out.issues));
  return compileArrangement(doc);
}

let n = 0;
/** A report of third party t3's convoy inside z1, with what it is worth. */
function convoy(extra: object, minute = n): ReturnType<typeof toReport> {
  n++;
  const time = new Date(Date.UTC(2025, 11, 27, 10, minute)).toISOString().replace('.000Z', 'Z');
  return toReport({ type: 'observation', id: `r-${n}`, time, unit: 't3-conv', actor: 't3', position: [35.85, 33.05], ...extra });
}
const claim = (outlet: string) => ({ outlet, published: '2025-12-27' });

test('given a C3 claim from one outlet, when it places a forbidden unit, then the violation opens unconfirmed and is no breach', () => {
  const m = new Monitor(arrangement());
  const [f] = m.push(convoy({ reliability: 'C3', claim: claim('osint-telegram') }), 1);
  assert.equal(f.state, 'open');
  assert.equal(f.confidence, 'unconfirmed');
  assert.equal(isBreach(f), false);
  assert.equal(isBreach(f, true), true);
});

test('given an unconfirmed violation, when a second independent source graded C3 or better agrees, then a transition raises it to probable naming that report', () => {
  const m = new Monitor(arrangement());
  m.push(convoy({ reliability: 'C3', claim: claim('osint-telegram') }), 1);
  const second = convoy({ grade: { reliability: 'C', credibility: 2 }, claim: claim('Maariv') });
  const [f] = m.push(second, 2);
  assert.deepEqual([f.state, f.confidence, f.confidence_was, f.report, f.basis], ['open', 'probable', 'unconfirmed', second.id, [1, 2]]);
  assert.equal(isBreach(f), true);
  assert.equal(m.openNow()[0].confidence, 'probable');
});

test('given a probable violation, when an observer reports the unit there, then it is confirmed, naming the inspection', () => {
  const m = new Monitor(arrangement());
  m.push(convoy({ reliability: 'C3', claim: claim('osint-telegram') }), 1);
  m.push(convoy({ reliability: 'C3', claim: claim('Maariv') }), 2);
  const seen = convoy({ source: 'o' });
  const [f] = m.push(seen, 3);
  assert.deepEqual([f.confidence, f.confidence_was, f.report], ['confirmed', 'probable', seen.id]);
  // Nothing more to raise: a later report changes nothing.
  assert.deepEqual(m.push(convoy({ source: 'o' }), 4), []);
});

test('given an unconfirmed violation, when the same outlet repeats it (even graded higher), then nothing changes', () => {
  const m = new Monitor(arrangement());
  m.push(convoy({ reliability: 'C3', claim: claim('osint-telegram') }), 1);
  assert.deepEqual(m.push(convoy({ reliability: 'B3', claim: claim('osint-telegram') }), 2), []);
  assert.deepEqual(m.push(convoy({ reliability: 'C3', claim: claim('osint-telegram') }), 3), []);
  assert.equal(m.openNow()[0].confidence, 'unconfirmed');
});

test('one report graded B2 or better confirms; B3 and C2 do not', () => {
  for (const [grade, want] of [
    ['A1', 'confirmed'],
    ['B2', 'confirmed'],
    ['B3', 'unconfirmed'],
    ['C2', 'unconfirmed'],
  ] as const) {
    const m = new Monitor(arrangement());
    const [f] = m.push(convoy({ source: 'm', reliability: grade }));
    assert.equal(f.confidence, want, grade);
  }
});

test("a party's own report on its own unit is an admission (confirmed); another party's ungraded report is not", () => {
  const own = toReport({ type: 'observation', id: 'own', time: '2025-12-27T10:00:00Z', unit: 'a-1', actor: 'a', position: [35.85, 33.05] });
  const other = toReport({ type: 'observation', id: 'other', time: '2025-12-27T10:00:00Z', source: 'b', unit: 'b-1', actor: 'a', position: [35.85, 33.05] });
  const a = arrangementWith([{ id: 'r-no-a', kind: 'presence', zone: 'z1', forbid: ['a'] }]);
  const m2 = new Monitor(a);
  assert.equal(m2.push(own)[0].confidence, 'confirmed');
  assert.equal(m2.push(other)[0].confidence, 'unconfirmed');
});

function arrangementWith(rules: object[]): Arrangement {
  const out = new IssueList('(test)');
  const doc = validateDocument(testDoc(rules, { evidence: EVIDENCE }), out, () => ({ error: 'no files', name: '(none)' }));
  assert.ok(doc && out.issues.length === 0, JSON.stringify(out.issues));
  return compileArrangement(doc);
}

test('without an evidence section findings carry no confidence and count as confirmed', () => {
  const m = new Monitor(arrangement(null));
  const [f] = m.push(convoy({ reliability: 'C3', claim: claim('osint-telegram') }));
  assert.equal('confidence' in f, false);
  assert.equal(isBreach(f), true);
});

test('a rule of its own, then its kind, then the default', () => {
  const a = arrangementWith([
    { id: 'r-no-third', kind: 'presence', zone: 'z1', forbid: ['t3'] },
    { id: 'r-no-b', kind: 'presence', zone: 'z1', forbid: ['b'] },
  ]);
  const own = { ...a, evidence: { ...a.evidence!, rules: { 'r-no-b': { confirmed: [{ sources: 1, role: 'observer' as const }], probable: [] } } } };
  const m = new Monitor(own);
  const t = m.push(convoy({ source: 'm', reliability: 'A1' }));
  assert.equal(t[0].confidence, 'confirmed', 'default: A1 confirms');
  const b = m.push(
    toReport({
      type: 'observation',
      id: 'b-x',
      time: '2025-12-27T12:00:00Z',
      source: 'm',
      reliability: 'A1',
      unit: 'b-1',
      actor: 'b',
      position: [35.85, 33.05],
    }),
  );
  assert.equal(b[0].confidence, 'unconfirmed', "its own rule: only an observer's report confirms");
});

test('a snapshot keeps the reports behind open findings: restored, a second source raises it as before', () => {
  const run = (restoreAfter: number): Finding[] => {
    n = 100;
    let m = new Monitor(arrangement());
    const out: Finding[] = [];
    const reports = [
      convoy({ reliability: 'C3', claim: claim('osint-telegram') }),
      convoy({ reliability: 'C3', claim: claim('osint-telegram') }),
      convoy({ reliability: 'C3', claim: claim('Maariv') }),
    ];
    reports.forEach((r, i) => {
      if (i === restoreAfter) m = Monitor.restore(arrangement(), JSON.parse(JSON.stringify(m.snapshot())));
      out.push(...m.push(r, i + 1));
    });
    return out;
  };
  const straight = run(-1);
  assert.equal(straight.at(-1)?.confidence, 'probable');
  assert.deepEqual(run(1), straight);
  assert.deepEqual(run(2), straight);
});

test('a presence rule with actors binds only them: Syrian police may be in the zone, a Syrian army unit may not, UNDOF is not judged', () => {
  const a = arrangementWith([{ id: 'r-sy-police', kind: 'presence', zone: 'z1', actors: ['a'], categories: ['police'] }]);
  const m = new Monitor(a);
  const at = (id: string, actor: string, category: string) =>
    m.push(toReport({ type: 'observation', id, time: '2025-12-27T10:00:00Z', unit: id, actor, category, position: [35.85, 33.05] }));
  assert.deepEqual(at('p', 'a', 'police'), []);
  assert.deepEqual(at('u', 'o', 'army'), []);
  assert.deepEqual(
    at('x', 'a', 'army').map((f) => [f.finding, f.state, f.units]),
    [['violation', 'open', ['x']]],
  );
});
