// The one place where changes are ordered. A change is an entry appended to the log;
// once durable, and once every entry before it has been applied, its statement is
// applied through the statement table and only then is the caller answered. Entries
// become durable in batches and their promises settle in any order, so application
// waits for its turn by index: the state changes in log order, as a replay sees it.
import { keyOf } from '../../record/check-stored.ts';
import type { JsonObject } from '../../record/canonical.ts';
import { RecordError } from '../../record/errors.ts';
import type { ItemOpening, Log } from '../../record/log.ts';
import type { SealedContent } from '../../record/sealed.ts';
import { Conflict, Unavailable } from '../errors.ts';
import type { Recorded, StatementTable } from './statement-table.ts';

/** Who may sign what (the key service): judged before an entry is appended, told of each entry applied. */
export interface EntryKeys {
  /** throws (403) when the entry's key may not sign it; else counts it in */
  admit(author: string, key: string, type: string, body: JsonObject): void;
  applied(r: Recorded): void;
}

export class RecordWriter {
  private next: number;
  private readonly waiting = new Map<number, () => void>();
  private failure: Error | undefined;
  private held: string | undefined;
  private closed = false;

  constructor(
    private readonly log: Log,
    private readonly table: StatementTable,
    /** told the record position (tree size) each entry brings, just before it is applied */
    private readonly positioned: (size: number) => void = () => undefined,
    private readonly keys?: EntryKeys,
  ) {
    this.next = log.size;
  }

  /** Refuses work once closing or failed: 503 with the reason. */
  assertWritable(): void {
    if (this.closed) throw new Unavailable('the server is shutting down');
    if (this.failure) throw new Unavailable(`the record failed and accepts nothing until the server restarts: ${this.failure.message}`);
    if (this.held) throw new Unavailable(this.held);
  }

  get failed(): boolean {
    return this.failure !== undefined;
  }

  get writable(): boolean {
    return !this.closed && !this.failure && !this.held;
  }

  /** writes held (the stored record still being checked) */
  get holding(): boolean {
    return this.held !== undefined;
  }

  /** Entries applied so far: the record's size as the derived state knows it. */
  get applied(): number {
    return this.next;
  }

  /** Takes no writes, saying why (503), until release(). */
  hold(reason: string): void {
    this.held = reason;
  }

  release(): void {
    this.held = undefined;
  }

  /** Takes no writes from now on, for this reason. */
  fail(e: Error): void {
    this.failure ??= e;
  }

  /**
   * Appends an entry and resolves with its index once it is durable and applied.
   * The entry takes its index when this is called (the log queues synchronously), so
   * callers that must be ordered only need to call in order. Sealed content the entry
   * names (a sealed body, or each sealed report of a batch) is stored with it, before it.
   */
  append(bytes: Uint8Array, recorded: Omit<Recorded, 'index'>, sealed?: SealedContent | readonly ItemOpening[]): Promise<number> {
    this.assertWritable();
    const key = recorded.key ?? keyOf(bytes);
    if (key === undefined) throw new Error('an entry without its key');
    const st = recorded.statement;
    // Admission and the head's move happen here, synchronously, before the log queues the entry.
    this.keys?.admit(st.author, key, st.type, st.body);
    return this.log.append(bytes, sealed).then(
      ({ index }) =>
        new Promise<number>((resolve) =>
          this.inTurn(index, () => {
            this.applyGuarded({ ...recorded, key, index });
            resolve(index);
          }),
        ),
      (e: unknown) => {
        const duplicate = e instanceof RecordError && e.code === 'duplicate';
        if (!duplicate) this.failure ??= e as Error;
        throw duplicate ? new Conflict((e as Error).message) : new Unavailable(`the record could not store this: ${(e as Error).message}`);
      },
    );
  }

  /** Applies a stored entry on replay: the same table, the same guard. */
  replayed(r: Recorded): void {
    this.positioned(r.index + 1);
    this.table.apply(r);
    this.keys?.applied(r);
    this.next = r.index + 1;
  }

  close(): void {
    this.closed = true;
  }

  private inTurn(index: number, apply: () => void): void {
    this.waiting.set(index, apply);
    for (let f = this.waiting.get(this.next); f !== undefined; f = this.waiting.get(this.next)) {
      this.waiting.delete(this.next);
      this.next++;
      f();
    }
  }

  /** A state change must not throw half-way; if one does, the server stops taking writes. */
  private applyGuarded(r: Recorded): void {
    this.positioned(r.index + 1);
    try {
      this.table.apply(r);
      this.keys?.applied(r);
    } catch (e) {
      this.failure ??= e as Error;
      process.stderr.write(`detente: applying entry ${r.index} failed: ${(e as Error).stack ?? e}\n`);
    }
  }
}
