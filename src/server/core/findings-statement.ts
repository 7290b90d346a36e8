// The engine's output in the record (`findings` statements): what the mediator's server
// found, signed, after the reports it rests on, so that a party can hold it to it and
// re-check it from its basis. Written coalesced, at most one round a second while
// transitions come, and at go-live for transitions that replay found unrecorded (the
// last ones before a stop). Which transitions are recorded is counted from the
// statements themselves as they are applied, live and on replay alike, so a restart
// neither writes one twice nor loses one.
import type { Arrangement } from '../../arrangement/compile.ts';
import { formatTime } from '../../arrangement/time.ts';
import { isPublic } from '../../policy/disclosure.ts';
import { canonicalJson, type JsonObject } from '../../record/canonical.ts';
import { MAX_BODY_BYTES } from '../../record/body-budget.ts';
import type { Signer } from '../../record/keys.ts';
import type { ItemOpening } from '../../record/log.ts';
import { seal } from '../../record/sealed.ts';
import { findingView, type BookedFinding, type FindingsBook } from '../findings-book.ts';
import type { RecordWriter } from './record-writer.ts';
import { signedEntry } from './signed-entry.ts';
import type { Recorded } from './statement-table.ts';
import { FINDINGS, type FindingsBody } from './statement-types.ts';

/** Real ms between two rounds of findings statements while transitions keep coming. */
const EVERY_MS = 1000;
/** What a body may hold besides its items: `{"through":…,"findings":[…]}`. */
const BODY_ROOM = MAX_BODY_BYTES - 64;

/**
 * A booked transition as a findings statement holds it: its view without the seq, and
 * without the triggering report's id (its address is in the basis), so that a reader
 * entitled to the finding but not to that report learns nothing of the report from it.
 */
export function findingItem(b: BookedFinding): JsonObject {
  const { report: _, ...view } = findingView(b.finding);
  return { ...(view as unknown as JsonObject), at: { ...b.at } };
}

/**
 * Whether a transition goes into the record as it is: only when every actor reads it in
 * full (the `findings` disclosure, its concerned actors being those it is about). Any
 * other is recorded as its commitment `{ sealed }`, content = the item's canonical JSON.
 */
export function recordedOpen(arrangement: Arrangement, author: string, b: BookedFinding): boolean {
  return isPublic(arrangement.policy, arrangement.actors, { kind: 'findings', author, concerned: b.actors });
}

export interface FindingsRecorderOptions {
  arrangement: Arrangement;
  book: FindingsBook;
  writer: RecordWriter;
  logSigner: Signer;
  /** statement times: strictly increasing ms */
  time: () => number;
  /** how many of the book's transitions findings statements hold already (restored from a snapshot) */
  recorded: number;
}

export class FindingsRecorder {
  /** transitions (by seq, from the book's start) that applied findings statements hold */
  recorded: number;
  /** the record size the last applied findings statement was written at */
  through = 0;
  /** transitions handed to the writer (recorded, or on their way) */
  private written: number;
  private live = false;
  private closed = false;
  private timer: NodeJS.Timeout | undefined;
  private last = -Infinity;
  /** the rounds on their way, in turn: settles once every one is in the record (or failed) */
  private inflight: Promise<void> = Promise.resolve();

  constructor(private readonly o: FindingsRecorderOptions) {
    this.recorded = o.recorded;
    this.written = o.recorded;
  }

  /** The handler for recorded `findings` statements: counts what they hold, re-applies nothing. */
  applied(r: Recorded): void {
    const body = r.body as unknown as FindingsBody;
    this.recorded += Array.isArray(body.findings) ? body.findings.length : 0;
    if (typeof body.through === 'number') this.through = body.through;
    this.written = Math.max(this.written, this.recorded);
  }

  /** Replay is done: what it booked and no statement holds is recorded now, later ones as they come. */
  goLive(): void {
    this.live = true;
    this.written = Math.max(this.written, this.recorded);
    if (this.o.book.size > this.written) this.write();
  }

  /** Transitions were booked: a round is written within a second. */
  booked(): void {
    if (!this.live || this.closed || this.timer !== undefined) return;
    this.timer = setTimeout(
      () => {
        this.timer = undefined;
        this.write();
      },
      Math.max(0, this.last + EVERY_MS - Date.now()),
    );
    this.timer.unref();
  }

  /**
   * Writes what is booked and not yet recorded now, without waiting for the round, and
   * settles once it is in the record: a server that stops leaves nothing for the next start.
   */
  flush(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    if (this.live && this.o.writer.writable) this.write();
    return this.inflight;
  }

  close(): void {
    this.closed = true;
    clearTimeout(this.timer);
    this.timer = undefined;
  }

  private write(): void {
    if (this.closed || this.o.book.size <= this.written) return;
    if (!this.o.writer.writable) {
      // Held while the stored record is checked (or failed: then nothing is written again).
      if (!this.o.writer.failed) {
        this.timer = setTimeout(() => {
          this.timer = undefined;
          this.write();
        }, EVERY_MS);
        this.timer.unref();
      }
      return;
    }
    this.last = Date.now();
    const through = this.o.writer.applied;
    // Taken now, in order: what later rounds write starts after them.
    const items = [...this.o.book.after(this.written)].map((b) => ({ item: findingItem(b), open: recordedOpen(this.o.arrangement, this.o.logSigner.name, b) }));
    this.written = this.o.book.size;
    // Sealed items go with their statement (stored no later than it); rounds append in turn.
    this.inflight = this.inflight.then(async () => {
      const recorded = items.map(({ item, open }) => {
        const text = canonicalJson(item);
        // One too big for an entry (a limit counting thousands of units) is sealed whatever the policy.
        if (open && Buffer.byteLength(text) < BODY_ROOM) return { item, size: Buffer.byteLength(text) + 1 };
        const s = seal(text);
        return { item: { sealed: s.sealed } as JsonObject, size: s.sealed.length + 14, opening: s };
      });
      let body: JsonObject[] = [];
      let openings: ItemOpening[] = [];
      let bytes = 0;
      const appends: Promise<unknown>[] = [];
      for (const { item, size, opening } of recorded) {
        if (bytes + size > BODY_ROOM) {
          appends.push(this.append({ through, findings: body }, openings));
          body = [];
          openings = [];
          bytes = 0;
        }
        if (opening) openings.push({ ...opening, n: body.length });
        body.push(item);
        bytes += size;
      }
      if (body.length) appends.push(this.append({ through, findings: body }, openings));
      await Promise.all(appends);
    });
    // Sealed content that could not be stored: the findings cannot be recorded, so nothing more is taken.
    this.inflight = this.inflight.catch((e: unknown) => this.o.writer.fail(e as Error));
  }

  private append(body: { through: number; findings: JsonObject[] }, openings: readonly ItemOpening[]): Promise<unknown> {
    const time = formatTime(this.o.time());
    const { bytes, statement } = signedEntry(this.o.logSigner, {
      type: FINDINGS,
      arrangement: this.o.arrangement.id,
      body: body as unknown as JsonObject,
      time,
    });
    // A failure (also the writer's closing meanwhile) is kept by the writer; writes then answer 503.
    try {
      return this.o.writer.append(bytes, { statement, body: statement.body }, openings).catch(() => undefined);
    } catch {
      return Promise.resolve();
    }
  }
}
