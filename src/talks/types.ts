// The talks' data: configuration, events (what goes on the record), and the state
// folded from them. Times in the state are ms since the epoch; times inside event
// bodies and views are RFC 3339 strings, like everywhere else on the record.

import type { Actor } from '../policy/policy.ts';
import type { StanceValue } from './limits.ts';
import type { DeadlinePassBody, ExtensionApproveBody, ExtensionProposeBody, Round, RoundOpenBody, Sections } from './round-types.ts';

export { STANCES, type StanceValue } from './limits.ts';

export type Json = null | boolean | number | string | Json[] | JsonObject;
export interface JsonObject {
  [key: string]: Json;
}

export interface RuleIssue {
  path: string;
  message: string;
}

export interface TalksConfig {
  arrangement: string;
  actors: Actor[];
  /** deadline for announcing the agreed text, ms since the epoch */
  announceBy?: number;
}

/**
 * Checks machine-checkable rules against the arrangement. Called once per draft with
 * the rules of all its clauses in clause order, and `path` = "rules"; each returned
 * issue's path is `rules[k]…` (k indexing that array) or "rules" itself. The decider
 * maps them back to `clauses[i].rules[j]…`. All clauses go in one call because rules
 * refer to each other across clauses (a withdrawal `after` a deployment).
 */
export type ValidateRules = (rules: Json[], path: string) => RuleIssue[];

export const EVENT_TYPES = [
  'talks.submit',
  'talks.relay',
  'talks.issue.open',
  'talks.issue.close',
  'talks.draft',
  'talks.stance',
  'talks.approve',
  'talks.announce',
  'talks.withdraw',
  'talks.consent',
  'talks.joint.open',
  'talks.joint.message',
  'talks.joint.close',
  'talks.round.open',
  'talks.deadline.pass',
  'talks.extension.propose',
  'talks.extension.approve',
] as const;
export type TalksEventType = (typeof EVENT_TYPES)[number];

// Event bodies, one per type (the record holds exactly these objects). They are type
// aliases, not interfaces, so that each is a JsonObject as the record writer takes it.
export type SubmitBody = {
  id: string;
  text: string;
  issue?: string;
  position?: number;
  confidential: boolean;
};
export type RelayBody = {
  id: string;
  to: string;
  text: string;
  cites: string[];
};
export type IssueOpenBody = {
  id: string;
  title: string;
  numeric?: { unit: string };
};
export type IssueCloseBody = {
  id: string;
};
export type ClauseBody = {
  id: string;
  /** the prevailing text (the only text of a clause given in one language) */
  text: string;
  /** the clause in each of its languages, when given in several (language tag → text; the prevailing one included) */
  texts?: Record<string, string>;
  /** the language whose text prevails (present exactly when `texts` is) */
  prevailing?: string;
  rules?: Json[];
};
export type DraftBody = {
  version: number;
  clauses: ClauseBody[];
  /**
   * clause ids whose text and rules are those of the previous version: their stances carry
   * over; "sections" too when the draft's sections hash as the previous draft's did
   */
  unchanged: string[];
  note?: string;
  /** the round it belongs to (absent: round 1) */
  round?: number;
  /** sections of the arrangement it sets (round-types.ts) */
  sections?: Sections;
};
export type StanceBody = {
  draft: number;
  clause: string;
  stance: StanceValue;
  note?: string;
  /** of a clause in several languages: the hash of all its texts the stance is on (texts.ts textsHash) */
  texts_hash?: string;
  /** of the draft's sections (clause "sections"): the hash of their canonical JSON the stance is on (sections-stance.ts) */
  sections_hash?: string;
};
export type ApproveBody = {
  draft: number;
};
export type AnnounceBody = {
  draft: number;
  /** announced after announce_by */
  late: boolean;
  announce_by?: string;
  /** the round announced (absent: round 1) */
  round?: number;
};
export type WithdrawBody = {
  draft: number;
  /** the clauses whose acceptance is withdrawn (resolved: never empty) */
  clauses: string[];
  note?: string;
};

/** A party consents to direct talks (the joint channel). */
export type ConsentBody = { note?: string };
/** The mediator opens the joint channel; `session` counts openings from 1. */
export type JointOpenBody = { session: number };
/** A message in the joint channel, to both parties and the mediator. */
export type JointMessageBody = { id: string; session: number; text: string };
/** A party closes the joint channel; every consent lapses with it. */
export type JointCloseBody = { session: number; note?: string };

/** Each event type's body. */
export interface EventBodies {
  'talks.submit': SubmitBody;
  'talks.relay': RelayBody;
  'talks.issue.open': IssueOpenBody;
  'talks.issue.close': IssueCloseBody;
  'talks.draft': DraftBody;
  'talks.stance': StanceBody;
  'talks.approve': ApproveBody;
  'talks.announce': AnnounceBody;
  'talks.withdraw': WithdrawBody;
  'talks.consent': ConsentBody;
  'talks.joint.open': JointOpenBody;
  'talks.joint.message': JointMessageBody;
  'talks.joint.close': JointCloseBody;
  'talks.round.open': RoundOpenBody;
  'talks.deadline.pass': DeadlinePassBody;
  'talks.extension.propose': ExtensionProposeBody;
  'talks.extension.approve': ExtensionApproveBody;
}

/** One event of one type, its body typed to match. */
export interface TalksEventOf<T extends TalksEventType> {
  type: T;
  author: string;
  /** ms since the epoch */
  time: number;
  body: EventBodies[T];
  /** keep the body off the public log (store its salted hash; the content apart) */
  sealed: boolean;
  /**
   * keep the whole statement off the public log, its author and type included: the log
   * records only a commitment to it (a `talks.quiet` entry, signed by the log)
   */
  quiet?: boolean;
}

/** What the talks put on the record: one variant per event type. */
export type TalksEvent = { [T in TalksEventType]: TalksEventOf<T> }[TalksEventType];

// The state.
export interface Issue {
  id: string;
  title: string;
  unit: string | null;
  open: boolean;
  opened: number;
  closed: number | null;
}
export interface Submission {
  id: string;
  author: string;
  time: number;
  text: string;
  issue: string | null;
  position: number | null;
  confidential: boolean;
  /** recorded quietly: the record holds only the log's commitment to it */
  quiet?: true;
}
export interface Relay {
  id: string;
  author: string;
  to: string;
  time: number;
  text: string;
  cites: string[];
}
export interface Clause {
  id: string;
  /** the prevailing text */
  text: string;
  /** every language's text, when the clause is given in several */
  texts?: Record<string, string>;
  /** the language whose text prevails, when `texts` is given */
  prevailing?: string;
  /** [] when the clause has none */
  rules: Json[];
}
export interface Draft {
  version: number;
  author: string;
  time: number;
  note: string | null;
  clauses: Clause[];
  unchanged: string[];
  /** the round it belongs to */
  round: number;
  /** sections of the arrangement it sets besides its clauses' rules; null: none */
  sections: Sections | null;
}
/** A party's stance on a clause; 'withdrawn' once it withdrew its acceptance. */
export interface StanceEntry {
  stance: StanceValue | 'withdrawn';
  note: string | null;
  /** the draft version since which the party has held this stance on this clause */
  since: number;
  time: number;
}
export interface Withdrawal {
  author: string;
  time: number;
  draft: number;
  clauses: string[];
  note: string | null;
}
export interface Approval {
  draft: number;
  by: string;
  time: number;
}
export interface Announcement {
  draft: number;
  by: string;
  time: number;
  late: boolean;
  round: number;
  /** the record index of the entry that announced it (set by the server as it applies the entry) */
  entry?: number;
}

/** The joint channel: who consents now, whether it is open, what was said in it. */
export interface JointChannel {
  /** parties consenting to direct talks now (closing the channel lapses every consent) */
  consents: { party: string; time: number }[];
  /** the open session's number, null while closed */
  open: number | null;
  /** sessions opened so far */
  sessions: number;
  messages: { id: string; author: string; time: number; session: number; text: string }[];
  /** openings and closings, in order */
  log: { session: number; by: string; time: number; what: 'open' | 'close'; note: string | null }[];
}

export interface TalksState {
  config: TalksConfig;
  issues: Issue[];
  submissions: Submission[];
  relays: Relay[];
  drafts: Draft[];
  /** for the current draft: clause id → party id → stance */
  stances: Record<string, Record<string, StanceEntry>>;
  withdrawals: Withdrawal[];
  /** approvals of the current draft; a new draft, a withdrawal or a stance other than accept voids them */
  approvals: Approval[];
  /** the latest announcement (of any round) */
  announcement: Announcement | null;
  /** direct talks beside the indirect ones; absent until the first consent (and in older snapshots) */
  joint?: JointChannel;
  /** round 1 first; the last is the current round */
  rounds: Round[];
  /** every announcement, in order: each a text in force from then on */
  announcements: Announcement[];
}

/** What decide needs besides the state and the command: who, when, and the record's and the arrangement's checks. */
export interface DecideContext {
  actor: Actor;
  /** ms since the epoch */
  now: number;
  /** the most bytes an event body may weigh: what one record entry can hold (the record's MAX_BODY_BYTES) */
  maxBodyBytes: number;
  /** the arrangement loader's check of drafted rules; without it only rule ids are checked */
  validateRules?: ValidateRules;
  /**
   * The loader's check of a draft that sets sections (a round's amendment): the sections
   * over the text in force, with the rules. Issues' paths are `sections.…` or `rules[k]…`.
   * Without it, drafts with sections are checked by validateRules for their rules only.
   */
  validateAmendment?: (sections: Sections, rules: Json[]) => RuleIssue[];
}
