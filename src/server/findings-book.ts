// Every finding transition so far, in order, each with the actors it concerns (so
// that the policy can decide who sees it). The newest are kept in memory; all of them
// go to the derived-state store, from which older pages are read, so memory does not
// grow with history.
import type { FindingLike } from '../interop/csv/findings.ts';
import type { Finding } from '../monitor/findings.ts';
import type { Content } from '../policy/disclosure.ts';
import type { DerivedStore, FindingCsvRow } from '../store/derived.ts';
import { findingCsvRecord } from './exports/csv-finding-line.ts';

/**
 * Where in the record a finding comes from: the entry whose statement caused it, and
 * for a report the report's position in that entry's body (0 for a lone report, k for
 * `reports[k]`). Announcements and clock statements have no position.
 */
export interface RecordAddress {
  entry: number;
  n?: number;
}

import { addressOf, type ReportAddress } from '../monitor/ref.ts';

export { addressOf, REF_SPAN, refOf, type ReportAddress } from '../monitor/ref.ts';

/** A finding as clients get it: the engine's refs in its basis shown as record addresses. */
export type FindingView = Omit<Finding, 'basis'> & { basis?: ReportAddress[] };

export function findingView(f: Finding): FindingView {
  // What the book keeps beside a transition for the policy (the triggering report's `trigger`) is never shown.
  const { trigger: _, ...rest } = f as Finding & { trigger?: unknown };
  if (rest.basis === undefined) return rest as FindingView;
  return { ...rest, basis: rest.basis.map(addressOf) };
}

export interface BookedFinding {
  /** position in the book, from 1: clients ask for what came after the last they saw */
  seq: number;
  actors: string[];
  finding: Finding;
  at: RecordAddress;
}

/** A booked transition as clients get it (GET …/findings, `finding` events): its seq, the finding's own fields, where it comes from. */
export type BookedFindingView = FindingView & { seq: number; at: RecordAddress };

/** How many of the newest transitions stay in memory (event streams resume from them). */
const TAIL = 4096;
/** Rows read from the store at a time when paging through older transitions. */
const PAGE = 1000;

export class FindingsBook {
  /** the newest transitions, seq (tail[0].seq) … this.seq */
  private tail: BookedFinding[] = [];
  /** transitions booked but not yet written to the store */
  private unwritten: BookedFinding[] = [];
  private seq: number;

  /** `seq`: how many transitions the book held already (restored from a snapshot). */
  constructor(
    private readonly store?: DerivedStore,
    seq = 0,
  ) {
    this.seq = seq;
  }

  get size(): number {
    return this.seq;
  }

  add(finding: Finding, actors: string[], at: RecordAddress): BookedFinding {
    const b = { seq: ++this.seq, actors, finding, at };
    this.tail.push(b);
    if (this.store) this.unwritten.push(b);
    if (this.store && this.tail.length > 2 * TAIL) {
      // Only what is written may leave memory.
      this.flush();
      this.tail = this.tail.slice(-TAIL);
    }
    return b;
  }

  /** Writes what was booked since the last time to the store. */
  flush(): void {
    if (!this.store || this.unwritten.length === 0) return;
    this.store.appendFindings(this.unwritten.map((b) => ({ seq: b.seq, json: JSON.stringify(b), csv: csvOf(b) })));
    this.unwritten = [];
  }

  /** Transitions after `since` (a seq), in order: older ones from the store, the newest from memory. */
  *after(since: number): Iterable<BookedFinding> {
    let next = Math.max(0, since);
    const first = this.tail.length ? this.tail[0].seq : this.seq + 1;
    if (this.store && next + 1 < first) {
      this.flush();
      while (next + 1 < first) {
        const rows = this.store.findingsAfter(next, Math.min(PAGE, first - 1 - next));
        if (rows.length === 0) break;
        for (const r of rows) {
          if (r.seq >= first) break;
          yield JSON.parse(r.json) as BookedFinding;
          next = r.seq;
        }
      }
    }
    for (let i = Math.max(0, next + 1 - first); i < this.tail.length; i++) yield this.tail[i];
  }

  /**
   * As `after`, for the CSV export: older transitions as the store's pre-rendered rows of
   * renderer version `v` (FindingCsvRow, arrays), the newest from memory as they are.
   */
  *csvAfter(since: number, v: number, spreadsheet: boolean): Iterable<FindingCsvRow | BookedFinding> {
    let next = Math.max(0, since);
    const first = this.tail.length ? this.tail[0].seq : this.seq + 1;
    if (this.store && next + 1 < first) {
      this.flush();
      while (next + 1 < first) {
        const rows = this.store.findingCsvAfter(next, Math.min(PAGE, first - 1 - next), v, spreadsheet);
        if (rows.length === 0) break;
        for (const r of rows) {
          if (r[0] >= first) break;
          yield r;
          next = r[0];
        }
      }
    }
    for (let i = Math.max(0, next + 1 - first); i < this.tail.length; i++) yield this.tail[i];
  }
}

/** The CSV record of a transition as clients get it (bookedView's fields), for the store. */
function csvOf(b: BookedFinding) {
  const view = { seq: b.seq, ...findingView(b.finding), at: b.at } as FindingLike;
  return findingCsvRecord(view, b.actors, (b.finding as Finding & { trigger?: Content }).trigger);
}
