// The empty talks, and small questions about a state that decide, evolve and the
// views all ask. Lookups go through Object.hasOwn: ids such as "constructor" are
// valid ids and must not find Object.prototype members.

import type { Actor } from '../policy/policy.ts';
import { firstRound } from './rounds.ts';
import { agreementIds } from './sections-stance.ts';
import type { Draft, Issue, StanceEntry, TalksConfig, TalksState } from './types.ts';

export function initialState(config: TalksConfig): TalksState {
  return {
    config,
    issues: [],
    submissions: [],
    relays: [],
    drafts: [],
    stances: {},
    withdrawals: [],
    approvals: [],
    announcement: null,
    rounds: [firstRound(config.announceBy)],
    announcements: [],
  };
}

export function currentDraft(state: TalksState): Draft | undefined {
  return state.drafts[state.drafts.length - 1];
}

export function findIssue(state: TalksState, id: string): Issue | undefined {
  return state.issues.find((i) => i.id === id);
}

export function findActor(state: TalksState, id: string): Actor | undefined {
  return state.config.actors.find((a) => a.id === id);
}

/** Party ids in the arrangement's order. */
export function parties(state: TalksState): string[] {
  return state.config.actors.filter((a) => a.role === 'party').map((a) => a.id);
}

export function guarantors(state: TalksState): string[] {
  return state.config.actors.filter((a) => a.role === 'guarantor').map((a) => a.id);
}

export function stanceOf(state: TalksState, clause: string, party: string): StanceEntry | undefined {
  const byParty = Object.hasOwn(state.stances, clause) ? state.stances[clause] : undefined;
  return byParty && Object.hasOwn(byParty, party) ? byParty[party] : undefined;
}

/** For each party, the clauses of the current draft it does not accept, its sections among them (empty when agreed). */
export function notAccepted(state: TalksState): { party: string; clauses: { id: string; stance: string }[] }[] {
  const draft = currentDraft(state);
  if (!draft) return [];
  const out: { party: string; clauses: { id: string; stance: string }[] }[] = [];
  for (const party of parties(state)) {
    const missing = agreementIds(draft)
      .map((id) => ({ id, stance: stanceOf(state, id, party)?.stance ?? 'no stance' }))
      .filter((c) => c.stance !== 'accept');
    if (missing.length > 0) out.push({ party, clauses: missing });
  }
  return out;
}

/** Every party accepts every clause of the current draft (and there is a draft and a party). */
export function agreed(state: TalksState): boolean {
  return currentDraft(state) !== undefined && parties(state).length > 0 && notAccepted(state).length === 0;
}

/** The current draft's approvals are complete: every guarantor has approved it. */
export function approved(state: TalksState): boolean {
  const draft = currentDraft(state);
  const gs = guarantors(state);
  if (!draft || gs.length === 0) return false;
  return gs.every((g) => state.approvals.some((a) => a.by === g && a.draft === draft.version));
}

export function iso(ms: number): string {
  return new Date(ms).toISOString();
}
