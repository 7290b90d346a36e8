// The cast and the given / when / then helpers of the talks tests: the southern
// Syria case (two parties, a mediator, a guarantor, an observer, a third party).

import assert from 'node:assert/strict';
import type { Actor } from '../policy/policy.ts';
import { parseCommand } from './commands.ts';
import { decide } from './decide.ts';
import { TalksError, type TalksStatus } from './errors.ts';
import { evolve } from './evolve.ts';
import { initialState } from './state.ts';
import type { DecideContext, TalksConfig, TalksEvent, TalksState } from './types.ts';

export const CAST = {
  il: { id: 'il', role: 'party', name: 'Israel' },
  sy: { id: 'sy', role: 'party', name: 'Syria' },
  ru: { id: 'ru', role: 'mediator', name: 'Russia' },
  us: { id: 'us', role: 'guarantor', name: 'United States' },
  undof: { id: 'undof', role: 'observer', name: 'UNDOF' },
  tr: { id: 'tr', role: 'third-party', name: 'Turkey' },
} satisfies Record<string, Actor>;
export type Who = keyof typeof CAST;
export const EVERYONE = Object.keys(CAST) as Who[];

export const T0 = Date.parse('2025-12-20T09:00:00Z');
export const DEADLINE = Date.parse('2025-12-29T00:00:00Z');
export const HOUR = 3_600_000;

export function config(over: Partial<TalksConfig> = {}): TalksConfig {
  return { arrangement: 'southern-syria', actors: Object.values(CAST), announceBy: DEADLINE, ...over };
}

/** The state after these events. */
export function given(events: TalksEvent[], cfg: TalksConfig = config()): TalksState {
  return events.reduce(evolve, initialState(cfg));
}

/**
 * The body limit the tests decide under. The decider takes the record's limit as a
 * parameter (talks may not import the record); the tests choose their own.
 */
export const BODY_LIMIT = 60 * 1024;

/** The events `who` gets for `command` (parsed as the edge parses it) on `state`. */
export function when(state: TalksState, who: Who | Actor, command: unknown, now = T0, extra: Partial<DecideContext> = {}): TalksEvent[] {
  const actor = typeof who === 'string' ? CAST[who] : who;
  return decide(state, parseCommand(command), { actor, now, maxBodyBytes: BODY_LIMIT, ...extra });
}

/** Runs commands in turn (the n-th of the whole history at T0 + n minutes), failing on any refusal; the events and the state. */
export function play(steps: [Who, unknown][], cfg: TalksConfig = config(), from?: { state: TalksState; events: TalksEvent[] }) {
  let state = from?.state ?? initialState(cfg);
  const events = [...(from?.events ?? [])];
  const base = events.length;
  steps.forEach(([who, command], i) => {
    for (const e of when(state, who, command, T0 + (base + i) * 60_000)) {
      events.push(e);
      state = evolve(state, e);
    }
  });
  return { state, events };
}

export interface Refusal {
  status: TalksStatus;
  code: string;
  path?: string;
  message?: RegExp | string;
}

/** Asserts that `run` throws a TalksError with this status, code, path and message. */
export function refused(run: () => unknown, want: Refusal): TalksError {
  let got: unknown;
  try {
    run();
  } catch (e) {
    got = e;
  }
  assert.ok(got instanceof TalksError, `expected a TalksError, got ${got === undefined ? 'no error' : String(got)}`);
  const e = got as TalksError;
  assert.equal(e.status, want.status, `status (message: ${e.message})`);
  assert.equal(e.code, want.code, `code (message: ${e.message})`);
  if ('path' in want) assert.equal(e.path, want.path, `path (message: ${e.message})`);
  if (typeof want.message === 'string') assert.equal(e.message, want.message);
  else if (want.message) assert.match(e.message, want.message);
  return e;
}

// A two-clause text on a buffer zone and a deployment, with one rule each.
export const BUFFER_RULE = { id: 'r-sy-tanks', kind: 'limit', zone: 'sy-0-10', actor: 'sy', asset: 'tanks', max: 75 };
export const DEPLOY_RULE = {
  id: 'c-ru-deploy',
  kind: 'commitment',
  actor: 'ru',
  due: '2026-02-01T00:00:00Z',
  present: { zone: 'south-deploy', asset: 'troops', min: 1000 },
};
export const DRAFT_1 = {
  kind: 'draft',
  clauses: [
    { id: 'buffer', text: 'Syrian tanks within 10 km of Line B: at most 75.', rules: [BUFFER_RULE] },
    { id: 'deploy', text: 'Russia deploys 1,000 troops south of Quneitra by 1 February.', rules: [DEPLOY_RULE] },
  ],
};

/** An agenda (a numeric and a prose issue) and draft 1. */
export function opened(cfg: TalksConfig = config()) {
  return play(
    [
      ['ru', { kind: 'open-issue', id: 'width', title: 'Width of the buffer zone', numeric: { unit: 'km' } }],
      ['ru', { kind: 'open-issue', id: 'sequence', title: 'Sequencing of withdrawal and deployment' }],
      ['ru', DRAFT_1],
    ],
    cfg,
  );
}

/** Draft 1 accepted by both parties in full. */
export function agreedText(cfg: TalksConfig = config()) {
  return play(
    [
      ['il', { kind: 'stance', draft: 1, clause: 'buffer', stance: 'accept' }],
      ['il', { kind: 'stance', draft: 1, clause: 'deploy', stance: 'accept' }],
      ['sy', { kind: 'stance', draft: 1, clause: 'buffer', stance: 'accept' }],
      ['sy', { kind: 'stance', draft: 1, clause: 'deploy', stance: 'accept' }],
    ],
    cfg,
    opened(cfg),
  );
}
