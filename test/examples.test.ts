// The examples are documentation that must stay true: the engine's findings on
// each scripted stream match the transitions worked out by hand from the spec
// (expected-findings.ndjson), report by report, and the southern-Syria story
// makes every kind of finding happen.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { loadArrangement } from '../src/arrangement/load.ts';
import { Monitor } from '../src/monitor/engine.ts';
import { CHALLENGE_KINDS, FINDING_KINDS, type Finding } from '../src/monitor/findings.ts';
import { LineFeeder, lines } from '../src/monitor/stream.ts';

const ROOT = new URL('../examples/', import.meta.url).pathname;

function run(name: string): Finding[] {
  const m = new Monitor(loadArrangement(`${ROOT}${name}/arrangement.yaml`));
  const feeder = new LineFeeder(m);
  const out: Finding[] = [];
  for (const l of lines(readFileSync(`${ROOT}${name}/reports.ndjson`, 'utf8'))) {
    const r = feeder.feed(l);
    assert.ok(Array.isArray(r), `${name} line ${feeder.lines}: ${JSON.stringify(r)}`);
    out.push(...r);
  }
  out.push(...m.finish(m.now));
  return out;
}

/** Expected transitions name only some fields; compare those, grouped by report (order within a report is free). */
function compare(name: string): Finding[] {
  const got = run(name);
  const want = lines(readFileSync(`${ROOT}${name}/expected-findings.ndjson`, 'utf8'));
  const expected = [...want].filter((l) => l.trim()).map((l) => JSON.parse(l) as Record<string, unknown>);
  const pick = (f: object, keys: string[]) => JSON.stringify(keys.map((k) => (f as Record<string, unknown>)[k]));
  const key = (e: Record<string, unknown>) => Object.keys(e).sort();
  const sig = (f: Finding) => {
    const e = expected.find((x) => x.report === f.report && x.rule === f.rule && x.state === f.state && x.finding === f.finding);
    return e ? pick(f, key(e)) : JSON.stringify(f);
  };
  const gotSigs = got.map(sig).sort();
  const wantSigs = expected.map((e) => pick(e, key(e))).sort();
  assert.deepEqual(gotSigs, wantSigs, `${name}: findings differ from expected-findings.ndjson`);
  // Reports appear in the same order in both.
  const order = (xs: { report?: unknown }[]) => xs.map((x) => x.report).filter((r, i, a) => a.indexOf(r) === i);
  assert.deepEqual(order(got), order(expected as { report?: unknown }[]));
  return got;
}

test('southern-Syria: the engine finds exactly the hand-worked transitions', () => {
  const got = compare('southern-syria');
  const kinds = new Set(got.map((f) => f.finding));
  // A challenge inspection starts from a server statement, not a report: src/monitor/testdata/*/challenge-* show those.
  for (const k of FINDING_KINDS) if (!CHALLENGE_KINDS.includes(k)) assert.ok(kinds.has(k), `the story makes a "${k}" finding happen`);
  const states = new Set(got.filter((f) => f.finding === 'commitment').map((f) => f.state));
  assert.deepEqual([...states].sort(), ['due', 'fulfilled', 'overdue']);
});

test('sinai-1979: the engine finds exactly the hand-worked transitions', () => {
  compare('sinai-1979');
});
