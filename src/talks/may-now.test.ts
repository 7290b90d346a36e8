// roundBlocker is the decider's order check and the page's reason for a disabled form:
// over talks states at each step of two rounds, every command it blocks the decider
// refuses with its code, and the facts an actor's view holds are the state's own.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { TalksError } from './errors.ts';
import type { CommandKind } from './limits.ts';
import { factsFromView, roundBlocker } from './may-now.ts';
import { roundFacts } from './rounds.ts';
import { agreedText, CAST, HOUR, opened, play, T0, when, type Who } from './scenario.ts';
import type { TalksState } from './types.ts';
import { talksView } from './view.ts';

const ROUND_DEADLINE = Date.parse('2026-01-20T00:00:00.000Z');
const announced = () =>
  play(
    [
      ['us', { kind: 'approve', draft: 1 }],
      ['ru', { kind: 'announce', draft: 1 }],
    ],
    undefined,
    agreedText(),
  );
const roundOpen = () => play([['ru', { kind: 'open-round', agenda: 'more', deadline: new Date(ROUND_DEADLINE).toISOString() }]], undefined, announced());

// One command of each kind the order judges, each as its role would send it.
const COMMANDS: [CommandKind, Who, Record<string, unknown>][] = [
  ['draft', 'ru', { kind: 'draft', clauses: [{ id: 'c', text: 'A clause.' }] }],
  ['stance', 'il', { kind: 'stance', draft: 1, clause: 'buffer', stance: 'accept' }],
  ['approve', 'us', { kind: 'approve', draft: 1 }],
  ['announce', 'ru', { kind: 'announce', draft: 1 }],
  ['withdraw', 'il', { kind: 'withdraw' }],
  ['open-round', 'ru', { kind: 'open-round', agenda: 'again', deadline: '2027-01-01T00:00:00Z' }],
  ['submit', 'il', { kind: 'submit', text: 'A word.' }],
];

const STATES: [string, () => TalksState, number][] = [
  ['round 1 opened', () => opened().state, T0],
  ['round 1 agreed', () => agreedText().state, T0 + HOUR],
  ['round 1 announced', () => announced().state, T0 + 2 * HOUR],
  ['round 2 without a draft', () => roundOpen().state, T0 + 3 * HOUR],
  ['round 2 past its deadline', () => roundOpen().state, ROUND_DEADLINE + HOUR],
];

test('every command the facts block, the decider refuses with the same code (409)', () => {
  let blocked = 0;
  for (const [name, state, now] of STATES) {
    const s = state();
    for (const [kind, who, cmd] of COMMANDS) {
      const b = roundBlocker(roundFacts(s), kind, now);
      if (!b) continue;
      blocked++;
      assert.throws(
        () => when(s, who, cmd, now),
        (e: unknown) => e instanceof TalksError && e.status === 409 && e.code === b.code && e.message === b.message,
        `${name}: ${kind} should be refused as ${b.code}`,
      );
    }
  }
  assert.ok(blocked >= 10, `the states block some commands (${blocked})`);
});

test('the blockers say what the talks state says', () => {
  assert.equal(roundBlocker(roundFacts(agreedText().state), 'draft', T0), null);
  assert.equal(roundBlocker(roundFacts(agreedText().state), 'open-round', T0)?.code, 'round-open');
  assert.equal(roundBlocker(roundFacts(announced().state), 'draft', T0)?.code, 'announced');
  assert.equal(roundBlocker(roundFacts(announced().state), 'draft', T0)?.draft, 1);
  assert.equal(roundBlocker(roundFacts(announced().state), 'open-round', T0), null);
  assert.equal(roundBlocker(roundFacts(roundOpen().state), 'draft', T0), null);
  assert.equal(roundBlocker(roundFacts(roundOpen().state), 'stance', T0)?.code, 'no-draft');
  assert.equal(roundBlocker(roundFacts(roundOpen().state), 'draft', ROUND_DEADLINE + 1)?.code, 'deadline-passed');
  // Round 1's deadline (announce_by) only marks a late announcement: it blocks nothing.
  assert.equal(roundBlocker(roundFacts(agreedText().state), 'announce', Date.parse('2030-01-01T00:00:00Z')), null);
});

test('an actor who reads the drafts holds, in its view, the facts the decider uses', () => {
  for (const [name, state, now] of STATES) {
    const s = state();
    for (const who of ['il', 'sy', 'ru', 'us'] as Who[]) {
      assert.deepEqual(factsFromView(talksView(s, CAST[who], now)), roundFacts(s), `${name}, as ${who}`);
    }
  }
});
