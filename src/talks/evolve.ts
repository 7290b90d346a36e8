// evolve(state, event) → state: folds one event in. It trusts the event (decide made
// it, the record kept it) and uses nothing but the state and the event, so replaying
// the record rebuilds the same state. It returns a new state; untouched parts are shared.
// Events come typed (decide made them, or talksEvent read them off the record).

import { evolveChannel } from './channel.ts';
import { copyJson } from './json.ts';
import { evolveRound, isRoundEvent } from './rounds.ts';
import { stanceOf } from './state.ts';
import type { StanceEntry, TalksEvent, TalksState } from './types.ts';

export function evolve(state: TalksState, event: TalksEvent): TalksState {
  if (isRoundEvent(event)) return evolveRound(state, event);
  const { author, time } = event;
  switch (event.type) {
    case 'talks.submit': {
      const b = event.body;
      const s = {
        id: b.id,
        author,
        time,
        text: b.text,
        issue: b.issue ?? null,
        position: b.position ?? null,
        confidential: b.confidential,
        ...(event.quiet && { quiet: true as const }),
      };
      return { ...state, submissions: [...state.submissions, s] };
    }
    case 'talks.relay': {
      const b = event.body;
      return { ...state, relays: [...state.relays, { id: b.id, author, to: b.to, time, text: b.text, cites: [...b.cites] }] };
    }
    case 'talks.issue.open': {
      const b = event.body;
      const issue = { id: b.id, title: b.title, unit: b.numeric?.unit ?? null, open: true, opened: time, closed: null };
      return { ...state, issues: [...state.issues, issue] };
    }
    case 'talks.issue.close': {
      const b = event.body;
      return { ...state, issues: state.issues.map((i) => (i.id === b.id ? { ...i, open: false, closed: time } : i)) };
    }
    case 'talks.draft': {
      const b = event.body;
      const clauses = b.clauses.map((c) => ({
        id: c.id,
        text: c.text,
        ...(c.texts !== undefined && c.prevailing !== undefined && { texts: { ...c.texts }, prevailing: c.prevailing }),
        rules: c.rules ? copyJson(c.rules) : [],
      }));
      // Stances carry over only for clauses the body names as unchanged; the rest start blank.
      const stances: TalksState['stances'] = {};
      for (const id of b.unchanged) {
        if (Object.hasOwn(state.stances, id)) stances[id] = state.stances[id];
      }
      const draft = {
        version: b.version,
        author,
        time,
        note: b.note ?? null,
        clauses,
        unchanged: [...b.unchanged],
        round: b.round ?? 1,
        sections: b.sections ? (copyJson(b.sections) as typeof b.sections) : null,
      };
      return { ...state, drafts: [...state.drafts, draft], stances, approvals: [] };
    }
    case 'talks.stance': {
      const b = event.body;
      const prev = stanceOf(state, b.clause, author);
      // "accepts since draft 2": restating the same stance keeps the draft it began with.
      const since = prev && prev.stance === b.stance ? prev.since : b.draft;
      const entry: StanceEntry = { stance: b.stance, note: b.note ?? null, since, time };
      const next = setStances(state, [b.clause], author, entry);
      // A step back from acceptance voids the approvals of the text.
      return b.stance === 'accept' ? next : { ...next, approvals: [] };
    }
    case 'talks.withdraw': {
      const b = event.body;
      const entry: StanceEntry = { stance: 'withdrawn', note: b.note ?? null, since: b.draft, time };
      const next = setStances(state, b.clauses, author, entry);
      const w = { author, time, draft: b.draft, clauses: [...b.clauses], note: b.note ?? null };
      return { ...next, withdrawals: [...state.withdrawals, w], approvals: [] };
    }
    case 'talks.approve': {
      const b = event.body;
      return { ...state, approvals: [...state.approvals, { draft: b.draft, by: author, time }] };
    }
    case 'talks.announce': {
      const b = event.body;
      const a = { draft: b.draft, by: author, time, late: b.late, round: b.round ?? 1 };
      return { ...state, announcement: a, announcements: [...(state.announcements ?? []), a] };
    }
    case 'talks.consent':
    case 'talks.joint.open':
    case 'talks.joint.message':
    case 'talks.joint.close':
      return evolveChannel(state, event);
    default: {
      // Unreachable for a TalksEvent; a type read off the record is checked by talksEvent first.
      const unknown: never = event;
      throw new Error(`evolve: unknown talks event type "${(unknown as { type: string }).type}"`);
    }
  }
}

function setStances(state: TalksState, clauses: string[], party: string, entry: StanceEntry): TalksState {
  const stances = { ...state.stances };
  for (const clause of clauses) {
    const byParty = Object.hasOwn(stances, clause) ? stances[clause] : {};
    stances[clause] = { ...byParty, [party]: entry };
  }
  return { ...state, stances };
}

/** Folds events into a state: what a restart does with the record. */
export function replay(state: TalksState, events: Iterable<TalksEvent>): TalksState {
  let s = state;
  for (const e of events) s = evolve(s, e);
  return s;
}
