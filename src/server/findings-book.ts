// Every finding transition so far, in order, each with the actors it concerns (so
// that the policy can decide who sees it).
import type { Finding } from '../monitor/findings.ts';

export interface BookedFinding {
  /** position in the book, from 1: clients ask for what came after the last they saw */
  seq: number;
  actors: string[];
  finding: Finding;
}

/** A booked transition as clients get it (GET …/findings, `finding` events): its seq, then the finding's own fields. */
export type BookedFindingView = Finding & { seq: number };

export class FindingsBook {
  private readonly all: BookedFinding[] = [];

  add(finding: Finding, actors: string[]): BookedFinding {
    const b = { seq: this.all.length + 1, actors, finding };
    this.all.push(b);
    return b;
  }

  /** Transitions after `since` (a seq), in order. */
  *after(since: number): Iterable<BookedFinding> {
    for (let i = Math.max(0, since); i < this.all.length; i++) yield this.all[i];
  }
}
