// Every finding transition so far, in order, each with the actors it concerns (so
// that the policy can decide who sees it).
import type { Finding } from '../monitor/findings.ts';

/**
 * Where in the record a finding comes from: the entry whose statement caused it, and
 * for a report the report's position in that entry's body (0 for a lone report, k for
 * `reports[k]`). Announcements and clock statements have no position.
 */
export interface RecordAddress {
  entry: number;
  n?: number;
}

export interface BookedFinding {
  /** position in the book, from 1: clients ask for what came after the last they saw */
  seq: number;
  actors: string[];
  finding: Finding;
  at: RecordAddress;
}

/** A booked transition as clients get it (GET …/findings, `finding` events): its seq, then the finding's own fields. */
export type BookedFindingView = Finding & { seq: number };

export class FindingsBook {
  private readonly all: BookedFinding[] = [];

  add(finding: Finding, actors: string[], at: RecordAddress): BookedFinding {
    const b = { seq: this.all.length + 1, actors, finding, at };
    this.all.push(b);
    return b;
  }

  /** Transitions after `since` (a seq), in order. */
  *after(since: number): Iterable<BookedFinding> {
    for (let i = Math.max(0, since); i < this.all.length; i++) yield this.all[i];
  }
}
