// Rounds, deadlines and their extensions: the talks after a first announcement. Kept
// apart from types.ts so that the talks' first round reads as it did.

import type { JsonObject } from './types.ts';

/** A meeting a deadline is for (the leaders' meeting where the text is to be announced). */
export type Meeting = { title: string; at: string; place: string };

/** The mediator opens a round after an announcement: its drafts amend the text in force. */
export type RoundOpenBody = {
  round: number;
  agenda: string;
  deadline?: string;
  meeting?: Meeting;
};
/** The round's deadline passed with nothing announced: written by the server, signed by the log. */
export type DeadlinePassBody = {
  round: number;
  deadline: string;
};
export type ExtensionProposeBody = {
  round: number;
  deadline: string;
  reason?: string;
  meeting?: Meeting;
};
export type ExtensionApproveBody = {
  round: number;
  deadline: string;
};

/**
 * The sections of the arrangement a draft sets besides its clauses' rules (zones, lines,
 * actors, witnesses, disclosure, reports, …): each replaces the section of the text in
 * force as a whole.
 */
export type Sections = JsonObject;

export interface Extension {
  deadline: number;
  reason: string | null;
  meeting: Meeting | null;
  proposed: number;
  by: string;
  /** null while the guarantor has not approved it */
  approved: number | null;
  approvedBy: string | null;
}

export interface Round {
  /** 1 is the talks before the first announcement */
  number: number;
  agenda: string;
  opened: number | null;
  by: string | null;
  /** the deadline in force (extensions applied), ms; null when the round has none */
  deadline: number | null;
  meeting: Meeting | null;
  /** when the server recorded that the deadline in force passed; null otherwise */
  passed: number | null;
  extensions: Extension[];
}
