// The talks as one actor may see them (what GET …/talks answers), the announced text
// (what becomes the arrangement in force), and which policy item each event is, so
// that the record and the event stream ask the same policy as this view.

import { canSee, type Actor, type Item } from '../policy/policy.ts';
import { copyJson } from './json.ts';
import { jointView, type JointView } from './channel-view.ts';
import { gapReport, type GapReport } from './gap.ts';
import { approved, currentDraft, iso } from './state.ts';
import { agreementIds, sectionsHash } from './sections-stance.ts';
import { type DeadlineView, deadlineView, type RoundView, roundViews } from './rounds-view.ts';
import type { Clause, Json, StanceEntry, TalksEvent, TalksState } from './types.ts';

export interface IssueView {
  id: string;
  title: string;
  /** the unit of positions on a numeric issue; null for a prose issue */
  unit: string | null;
  open: boolean;
  opened: string;
  closed: string | null;
}
export interface SubmissionView {
  id: string;
  author: string;
  time: string;
  text: string;
  issue: string | null;
  position: number | null;
  confidential: boolean;
  /** recorded quietly (present only when so) */
  quiet?: true;
}
export interface RelayView {
  id: string;
  from: string;
  to: string;
  time: string;
  text: string;
  cites: string[];
}
export interface DraftView {
  version: number;
  author: string;
  time: string;
  note: string | null;
  clauses: Clause[];
  unchanged: string[];
  round: number;
  sections: Json | null;
  /** what a stance on the sections (clause "sections") binds: the SHA-256 of their canonical JSON; null without sections */
  sections_hash: string | null;
}
export interface StanceView {
  clause: string;
  party: string;
  stance: StanceEntry['stance'];
  note: string | null;
  since: number;
  time: string;
}
export interface WithdrawalView {
  party: string;
  time: string;
  draft: number;
  clauses: string[];
  note: string | null;
}
export interface ApprovalView {
  draft: number;
  by: string;
  time: string;
}
export interface AnnouncementView {
  draft: number;
  by: string;
  time: string;
  late: boolean;
}
export interface TalksView {
  arrangement: string;
  viewer: { id: string; role: Actor['role'] };
  agenda: IssueView[];
  submissions: SubmissionView[];
  relays: RelayView[];
  drafts: DraftView[];
  /** the current draft version (null before the first draft or when not visible) */
  current: number | null;
  /** stances on the current draft */
  stances: StanceView[];
  withdrawals: WithdrawalView[];
  /** approvals of the current draft */
  approvals: ApprovalView[];
  /** every guarantor has approved the current draft (null when not visible) */
  approved: boolean | null;
  announcement: AnnouncementView | null;
  gap: GapReport;
  /** the joint channel (direct talks), null for those outside it */
  joint: JointView | null;
  /** round 1 (toward the first announcement) and every round opened after it */
  rounds: RoundView[];
  /** the current round's deadline and where things stand with it (null when not visible) */
  deadline: DeadlineView | null;
}

export function talksView(state: TalksState, actor: Actor, now: number): TalksView {
  const sees = (item: Item) => canSee(actor, item);
  const seesDraft = sees({ kind: 'draft' });
  const d = currentDraft(state);
  const a = state.announcement;
  return {
    arrangement: state.config.arrangement,
    viewer: { id: actor.id, role: actor.role },
    agenda: sees({ kind: 'issue' })
      ? state.issues.map((i) => ({
          id: i.id,
          title: i.title,
          unit: i.unit,
          open: i.open,
          opened: iso(i.opened),
          closed: i.closed === null ? null : iso(i.closed),
        }))
      : [],
    submissions: state.submissions
      .filter((s) => sees({ kind: 'submission', author: s.author }))
      .map((s) => ({
        id: s.id,
        author: s.author,
        time: iso(s.time),
        text: s.text,
        issue: s.issue,
        position: s.position !== null && sees({ kind: 'position', author: s.author }) ? s.position : null,
        confidential: s.confidential,
        ...(s.quiet && { quiet: true as const }),
      })),
    relays: state.relays
      .filter((r) => sees({ kind: 'relay', to: r.to }))
      .map((r) => ({ id: r.id, from: r.author, to: r.to, time: iso(r.time), text: r.text, cites: [...r.cites] })),
    drafts: seesDraft
      ? state.drafts.map((x) => ({
          version: x.version,
          author: x.author,
          time: iso(x.time),
          note: x.note,
          clauses: copyClauses(x.clauses),
          unchanged: [...x.unchanged],
          round: x.round ?? 1,
          sections: x.sections ? copyJson(x.sections) : null,
          sections_hash: x.sections ? sectionsHash(x.sections) : null,
        }))
      : [],
    current: seesDraft && d ? d.version : null,
    stances: d && seesDraft && sees({ kind: 'stance' }) ? stanceViews(state) : [],
    withdrawals: sees({ kind: 'withdrawal' })
      ? state.withdrawals.map((w) => ({ party: w.author, time: iso(w.time), draft: w.draft, clauses: [...w.clauses], note: w.note }))
      : [],
    approvals: sees({ kind: 'approval' }) ? state.approvals.map((x) => ({ draft: x.draft, by: x.by, time: iso(x.time) })) : [],
    approved: sees({ kind: 'approval' }) ? approved(state) : null,
    announcement: a && sees({ kind: 'announcement' }) ? { draft: a.draft, by: a.by, time: iso(a.time), late: a.late } : null,
    gap: gapReport(state, actor, now),
    joint: jointView(state, actor),
    rounds: roundViews(state, actor),
    deadline: deadlineView(state, actor, now),
  };
}

function stanceViews(state: TalksState): StanceView[] {
  const d = currentDraft(state);
  if (!d) return [];
  const out: StanceView[] = [];
  for (const id of agreementIds(d)) {
    const byParty = Object.hasOwn(state.stances, id) ? state.stances[id] : {};
    for (const [party, s] of Object.entries(byParty)) out.push({ clause: id, party, stance: s.stance, note: s.note, since: s.since, time: iso(s.time) });
  }
  return out;
}

function copyClauses(clauses: Clause[]): Clause[] {
  return clauses.map((c) => ({
    id: c.id,
    text: c.text,
    ...(c.texts !== undefined && c.prevailing !== undefined && { texts: { ...c.texts }, prevailing: c.prevailing }),
    rules: copyJson(c.rules),
  }));
}

export interface AnnouncedText {
  draft: number;
  time: string;
  late: boolean;
  clauses: Clause[];
  /** every clause's rules, in clause order: the rules the arrangement in force adds */
  rules: Json[];
}

/** The announced text, or undefined while nothing is announced. */
export function announced(state: TalksState): AnnouncedText | undefined {
  const a = state.announcement;
  if (!a) return undefined;
  const d = state.drafts.find((x) => x.version === a.draft);
  if (!d) return undefined;
  const clauses = copyClauses(d.clauses);
  return { draft: a.draft, time: iso(a.time), late: a.late, clauses, rules: clauses.flatMap((c) => c.rules) };
}

/** The policy item an event is: who may see it (on the event stream, say). */
export function itemOf(event: TalksEvent): Item {
  switch (event.type) {
    case 'talks.submit':
      return { kind: 'submission', author: event.author };
    case 'talks.relay':
      return { kind: 'relay', to: event.body.to };
    case 'talks.issue.open':
    case 'talks.issue.close':
      return { kind: 'issue' };
    case 'talks.draft':
      return { kind: 'draft' };
    case 'talks.stance':
      return { kind: 'stance' };
    case 'talks.approve':
      return { kind: 'approval' };
    case 'talks.announce':
      return { kind: 'announcement' };
    case 'talks.withdraw':
      return { kind: 'withdrawal' };
    // A consent is said to the mediator; the channel itself is the three's.
    case 'talks.consent':
      return { kind: 'submission', author: event.author };
    case 'talks.joint.open':
    case 'talks.joint.message':
    case 'talks.joint.close':
      return { kind: 'joint' };
    // A round and its agenda go with the text; its deadline's passing and extensions to the mediator and the guarantor.
    case 'talks.round.open':
      return { kind: 'draft' };
    case 'talks.deadline.pass':
    case 'talks.extension.propose':
    case 'talks.extension.approve':
      return { kind: 'deadline' };
    default: {
      const unknown: never = event;
      throw new Error(`itemOf: "${(unknown as { type: string }).type}" is not a talks event`);
    }
  }
}

/** The policy item of a sealed event's content (author, mediator, relay recipient), or undefined when not sealed. */
export function sealedItem(event: TalksEvent): Item | undefined {
  if (!event.sealed && !event.quiet) return undefined;
  return releaseItem(sealedOwnerOf(event));
}

/** Who a sealed talks item's content is released to, as the server keeps it per commitment. */
export interface SealedOwner {
  author: string;
  /** a relay's recipient */
  to?: string;
  /** 'joint': a joint-channel message, for the parties and the mediator */
  kind?: 'joint';
}

/** The owner of a sealed or quiet event's content. */
export function sealedOwnerOf(event: TalksEvent): SealedOwner {
  if (event.type === 'talks.relay') return { author: event.author, to: event.body.to };
  if (event.type === 'talks.joint.message') return { author: event.author, kind: 'joint' };
  return { author: event.author };
}

/** The policy item that decides who reads content with this owner. */
export function releaseItem(owner: SealedOwner): Item {
  if (owner.kind === 'joint') return { kind: 'joint' };
  return owner.to === undefined ? { kind: 'sealed', author: owner.author } : { kind: 'sealed', author: owner.author, to: owner.to };
}

/** The event if this actor may see it, else undefined. */
export function visibleEvent(actor: Actor, event: TalksEvent): TalksEvent | undefined {
  return canSee(actor, itemOf(event)) ? event : undefined;
}
