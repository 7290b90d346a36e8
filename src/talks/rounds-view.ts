// The rounds as one actor sees them, and the texts announced in them (what the
// arrangement's history is made of). The rounds' agendas, deadlines and meetings go
// with the text (those at the table); a deadline's passing and the extensions proposed
// are the mediator's and the guarantor's (the policy's 'deadline' item).

import { canSee, type Actor } from '../policy/policy.ts';
import { copyJson } from './json.ts';
import type { Meeting, Round, Sections } from './round-types.ts';
import { announcementOf, currentRound } from './rounds.ts';
import { iso } from './state.ts';
import type { Clause, TalksState } from './types.ts';

export interface ExtensionView {
  deadline: string;
  reason: string | null;
  meeting: Meeting | null;
  proposed: string;
  by: string;
  approved: string | null;
  approved_by: string | null;
}

export interface RoundView {
  number: number;
  agenda: string;
  opened: string | null;
  by: string | null;
  /** the deadline in force (extensions applied) */
  deadline: string | null;
  meeting: Meeting | null;
  announced: { draft: number; time: string; before_deadline: boolean | null } | null;
  /** when the deadline was recorded as passed (null when not, or not visible) */
  passed: string | null;
  /** proposed and approved extensions (empty when not visible) */
  extensions: ExtensionView[];
}

/** The current round's deadline in a line the UI can say: "announced before the deadline", "passed", … */
export interface DeadlineView {
  round: number;
  at: string | null;
  meeting: Meeting | null;
  state: 'none' | 'ahead' | 'passed' | 'announced-before' | 'announced-after';
  extension_pending: ExtensionView | null;
}

export function roundViews(state: TalksState, actor: Actor): RoundView[] {
  if (!canSee(actor, { kind: 'draft' })) return [];
  const seesDeadline = canSee(actor, { kind: 'deadline' });
  return state.rounds.map((r) => roundView(state, r, seesDeadline));
}

function roundView(state: TalksState, r: Round, seesDeadline: boolean): RoundView {
  const a = announcementOf(state, r.number);
  return {
    number: r.number,
    agenda: r.agenda,
    opened: r.opened === null ? null : iso(r.opened),
    by: r.by,
    deadline: r.deadline === null ? null : iso(r.deadline),
    meeting: r.meeting ? { ...r.meeting } : null,
    announced: a ? { draft: a.draft, time: iso(a.time), before_deadline: r.deadline === null ? null : a.time <= r.deadline } : null,
    passed: seesDeadline && r.passed !== null ? iso(r.passed) : null,
    extensions: seesDeadline ? r.extensions.map(extensionView) : [],
  };
}

function extensionView(e: Round['extensions'][number]): ExtensionView {
  return {
    deadline: iso(e.deadline),
    reason: e.reason,
    meeting: e.meeting ? { ...e.meeting } : null,
    proposed: iso(e.proposed),
    by: e.by,
    approved: e.approved === null ? null : iso(e.approved),
    approved_by: e.approvedBy,
  };
}

export function deadlineView(state: TalksState, actor: Actor, now: number): DeadlineView | null {
  if (!canSee(actor, { kind: 'draft' })) return null;
  const r = currentRound(state);
  const a = announcementOf(state, r.number);
  const pending = canSee(actor, { kind: 'deadline' }) ? r.extensions.find((e) => e.approved === null) : undefined;
  let st: DeadlineView['state'];
  if (r.deadline === null) st = 'none';
  else if (a) st = a.time <= r.deadline ? 'announced-before' : 'announced-after';
  else st = now > r.deadline ? 'passed' : 'ahead';
  return {
    round: r.number,
    at: r.deadline === null ? null : iso(r.deadline),
    meeting: r.meeting ? { ...r.meeting } : null,
    state: st,
    extension_pending: pending ? extensionView(pending) : null,
  };
}

/** One announced text: what was in force from its announcement on. */
export interface TextInForce {
  round: number;
  draft: number;
  /** when it was announced (ms) */
  time: number;
  clauses: Clause[];
  /** the sections set by this and every earlier announced text, later ones replacing earlier */
  sections: Sections;
}

/** Every announced text in order, each with the sections in force with it. */
export function textsInForce(state: TalksState): TextInForce[] {
  const out: TextInForce[] = [];
  let sections: Sections = {};
  for (const a of state.announcements ?? []) {
    const d = state.drafts.find((x) => x.version === a.draft);
    if (!d) continue;
    if (d.sections) sections = { ...sections, ...(copyJson(d.sections) as Sections) };
    out.push({
      round: a.round,
      draft: a.draft,
      time: a.time,
      clauses: d.clauses.map((c) => ({ id: c.id, text: c.text, rules: copyJson(c.rules) })),
      sections: { ...sections },
    });
  }
  return out;
}
