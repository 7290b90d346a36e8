// The engine's output in the record (`findings` statements): what the mediator's server
// found, signed, after the reports it rests on, so that a party can hold it to it and
// re-check it from its basis. Written coalesced, at most one round a second while
// transitions come, and at go-live for transitions that replay found unrecorded (the
// last ones before a stop). Which transitions are recorded is counted from the
// statements themselves as they are applied, live and on replay alike, so a restart
// neither writes one twice nor loses one.
import { formatTime } from '../../arrangement/time.ts';
import { canonicalJson, type JsonObject } from '../../record/canonical.ts';
import { MAX_BODY_BYTES } from '../../record/body-budget.ts';
import type { Signer } from '../../record/keys.ts';
import { seal, type SealedContent } from '../../record/sealed.ts';
import { findingView, type BookedFinding, type FindingsBook } from '../findings-book.ts';
import type { RecordWriter } from './record-writer.ts';
import { signedEntry } from './signed-entry.ts';
import type { Recorded } from './statement-table.ts';
import { FINDINGS, type FindingsBody } from './statement-types.ts';

/** Real ms between two rounds of findings statements while transitions keep coming. */
const EVERY_MS = 1000;
/** What a body may hold besides its items: `{"through":…,"findings":[…]}`. */
const BODY_ROOM = MAX_BODY_BYTES - 64;

/** A booked transition as a findings statement holds it: its view without the seq. */
export function findingItem(b: BookedFinding): JsonObject {
  return { ...(findingView(b.finding) as unknown as JsonObject), at: { ...b.at } };
}

/**
 * The one place that decides how a transition is recorded: the view itself, readable
 * by all. (The disclosure policy, once it decides findings, seals here what not every
 * actor may read: `{ sealed }`, content = the view's canonical JSON.)
 */
export function recordedItem(b: BookedFinding): JsonObject {
  return findingItem(b);
}

export interface FindingsRecorderOptions {
  arrangement: string;
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
  /** settles when every statement handed to the writer so far is recorded (or failed) */
  private inflight: Promise<unknown> = Promise.resolve();

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
    return this.inflight.then(() => undefined);
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
    let items: JsonObject[] = [];
    let bytes = 0;
    const flush = () => {
      if (items.length) this.append({ through, findings: items });
      items = [];
      bytes = 0;
    };
    for (const b of this.o.book.after(this.written)) {
      const item = recordedItem(b);
      const n = Buffer.byteLength(canonicalJson(item)) + 1;
      if (n > BODY_ROOM) {
        // Too big for an entry of its own (a limit counting thousands of units): the
        // statement carries its commitment, the content goes to the sealed store beside it.
        flush();
        const s = seal(canonicalJson(item));
        this.append({ through, findings: [{ sealed: s.sealed }] }, s);
        continue;
      }
      if (bytes + n > BODY_ROOM) flush();
      items.push(item);
      bytes += n;
    }
    flush();
    this.written = this.o.book.size;
  }

  private append(body: { through: number; findings: JsonObject[] }, sealed?: SealedContent): void {
    const time = formatTime(this.o.time());
    const { bytes, statement } = signedEntry(this.o.logSigner, { type: FINDINGS, arrangement: this.o.arrangement, body: body as unknown as JsonObject, time });
    // A failure is kept by the writer; writes then answer 503.
    const done = this.o.writer.append(bytes, { statement, body: statement.body }, sealed).catch(() => undefined);
    this.inflight = Promise.all([this.inflight, done]);
  }
}
