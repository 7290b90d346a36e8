// Rounds: after an announcement the mediator may open another round, whose drafts amend
// the text in force; each round may have its own deadline, which the mediator may extend
// with the guarantor's approval. A round's deadline binds: once it passed (unextended),
// nothing more is drafted, agreed or announced in it. Round 1's deadline is the
// arrangement's announce_by, which only marks a late announcement (as it always did).
//
// These are the decider's and the fold's parts for rounds; decide.ts and evolve.ts call them.

import type { ApproveExtensionCommand, OpenRoundCommand, ProposeExtensionCommand, TalksCommand } from './commands.ts';
import { conflict, TalksError } from './errors.ts';
import type { DeadlinePassBody, ExtensionApproveBody, ExtensionProposeBody, Extension, Round, RoundOpenBody } from './round-types.ts';
import { roundBlocker, type RoundFacts } from './may-now.ts';
import { currentDraft, guarantors, iso } from './state.ts';
import type { Announcement, TalksEvent, TalksState } from './types.ts';

/** Round 1: the talks toward the first announcement, under the arrangement's announce_by. */
export function firstRound(announceBy: number | undefined): Round {
  return { number: 1, agenda: '', opened: null, by: null, deadline: announceBy ?? null, meeting: null, passed: null, extensions: [] };
}

export function currentRound(state: TalksState): Round {
  return state.rounds[state.rounds.length - 1] ?? firstRound(state.config.announceBy);
}

/** The announcement that closed this round, if any. */
export function announcementOf(state: TalksState, round: number): Announcement | undefined {
  return state.announcements.find((a) => a.round === round);
}

/** The extension proposed in the current round and not yet approved. */
export function pendingExtension(state: TalksState): Extension | undefined {
  const ext = currentRound(state).extensions;
  const last = ext[ext.length - 1];
  return last && last.approved === null ? last : undefined;
}

/** Is the current round's deadline one the server should record as passed at `now`? */
export function deadlineDue(state: TalksState, now: number): DeadlinePassBody | undefined {
  const r = currentRound(state);
  if (r.deadline === null || r.passed !== null || announcementOf(state, r.number)) return undefined;
  return now >= r.deadline ? { round: r.number, deadline: iso(r.deadline) } : undefined;
}

/** The deadline the server waits for next (the current round's, unannounced and not yet passed). */
export function nextDeadline(state: TalksState): number | undefined {
  const r = currentRound(state);
  if (r.deadline === null || r.passed !== null || announcementOf(state, r.number)) return undefined;
  return r.deadline;
}

/** The facts of the current round the order of the talks depends on (may-now.ts). */
export function roundFacts(state: TalksState): RoundFacts {
  const r = currentRound(state);
  const a = announcementOf(state, r.number);
  const d = currentDraft(state);
  return {
    round: r.number,
    deadline: r.deadline,
    announced: a ? { draft: a.draft, time: a.time } : null,
    draft: d ? { version: d.version, round: d.round } : null,
  };
}

/**
 * The order of rounds, checked before each command (after role): roundBlocker's answer,
 * the same function the page asks before it offers a form.
 */
export function checkRoundOrder(state: TalksState, cmd: TalksCommand, now: number): void {
  const b = roundBlocker(roundFacts(state), cmd.kind, now);
  if (b) conflict(b.code, b.message);
}

export function openRound(state: TalksState, cmd: OpenRoundCommand, now: number): RoundOpenBody {
  const next = currentRound(state).number + 1;
  if (cmd.deadline !== undefined && Date.parse(cmd.deadline) <= now)
    throw new TalksError(400, 'invalid', `deadline: ${cmd.deadline} is not in the future (now ${iso(now)})`, 'deadline');
  return {
    round: next,
    agenda: cmd.agenda,
    ...(cmd.deadline !== undefined && { deadline: cmd.deadline }),
    ...(cmd.meeting !== undefined && { meeting: { ...cmd.meeting } }),
  };
}

export function proposeExtension(state: TalksState, cmd: ProposeExtensionCommand): ExtensionProposeBody {
  const r = currentRound(state);
  if (r.deadline === null) conflict('no-deadline', `round ${r.number} has no deadline to extend`);
  if (guarantors(state).length === 0) conflict('no-guarantor', `${state.config.arrangement} names no guarantor to approve an extension`);
  const to = Date.parse(cmd.deadline);
  if (r.deadline !== null && to <= r.deadline)
    throw new TalksError(400, 'invalid', `deadline: ${cmd.deadline} is not later than round ${r.number}'s deadline (${iso(r.deadline)})`, 'deadline');
  return {
    round: r.number,
    deadline: cmd.deadline,
    ...(cmd.reason !== undefined && { reason: cmd.reason }),
    ...(cmd.meeting !== undefined && { meeting: { ...cmd.meeting } }),
  };
}

export function approveExtension(state: TalksState, cmd: ApproveExtensionCommand): ExtensionApproveBody {
  const r = currentRound(state);
  const p = pendingExtension(state) ?? conflict('no-extension', `no extension of round ${r.number}'s deadline is proposed`);
  if (p.deadline !== Date.parse(cmd.deadline)) conflict('other-extension', `the extension proposed is to ${iso(p.deadline)}, not ${cmd.deadline}`, 'deadline');
  return { round: r.number, deadline: cmd.deadline };
}

type RoundEvent = Extract<TalksEvent, { type: 'talks.round.open' | 'talks.deadline.pass' | 'talks.extension.propose' | 'talks.extension.approve' }>;

export function isRoundEvent(e: TalksEvent): e is RoundEvent {
  return e.type === 'talks.round.open' || e.type === 'talks.deadline.pass' || e.type === 'talks.extension.propose' || e.type === 'talks.extension.approve';
}

/** Folds a round event in (evolve.ts calls this). */
export function evolveRound(state: TalksState, event: RoundEvent): TalksState {
  const { author, time } = event;
  const rounds = state.rounds.length > 0 ? state.rounds : [firstRound(state.config.announceBy)];
  const setCurrent = (f: (r: Round) => Round): TalksState => ({ ...state, rounds: [...rounds.slice(0, -1), f(rounds[rounds.length - 1])] });
  switch (event.type) {
    case 'talks.round.open': {
      const b = event.body;
      const r: Round = {
        number: b.round,
        agenda: b.agenda,
        opened: time,
        by: author,
        deadline: b.deadline === undefined ? null : Date.parse(b.deadline),
        meeting: b.meeting ? { ...b.meeting } : null,
        passed: null,
        extensions: [],
      };
      // A new round starts with no approvals: the text in force is agreed, what comes is not yet.
      return { ...state, rounds: [...rounds, r], approvals: [] };
    }
    case 'talks.deadline.pass':
      return setCurrent((r) => ({ ...r, passed: time }));
    case 'talks.extension.propose': {
      const b = event.body;
      const e: Extension = {
        deadline: Date.parse(b.deadline),
        reason: b.reason ?? null,
        meeting: b.meeting ? { ...b.meeting } : null,
        proposed: time,
        by: author,
        approved: null,
        approvedBy: null,
      };
      // A second proposal replaces a pending one.
      return setCurrent((r) => ({ ...r, extensions: [...r.extensions.filter((x) => x.approved !== null), e] }));
    }
    case 'talks.extension.approve':
      return setCurrent((r) => {
        const ext = r.extensions.map((x) => (x.approved === null ? { ...x, approved: time, approvedBy: author } : x));
        const done = ext[ext.length - 1];
        return { ...r, extensions: ext, deadline: Date.parse(event.body.deadline), passed: null, meeting: done?.meeting ?? r.meeting };
      });
  }
}
