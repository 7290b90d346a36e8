// Where each sealed report sits in the record (commitment → entry and position), so that
// the sealed route can find the statement's author and judge a release without the
// server holding a map of every report in memory (a record may hold millions). Rows go
// to the derived store in batches; those not yet written are looked up here first.
// Like all derived state, replay writes it again.
//
// The index is keyed by random digests, so each row written lands on its own page of the
// B-tree once the index outgrows a batch: a write of B rows into an index of P pages
// rewrites min(B, P) pages. Rows are therefore held until many have gathered (or a
// second has passed), and a snapshot writes them before it is taken.
import type { DerivedStore, SealedAt } from '../../store/derived.ts';

/** Rows held before they are written: about 13 MB of pending rows at most. */
const BATCH = 65_536;
/** The longest a row waits to be written (ms). */
const HOLD_MS = 1000;

export class SealedIndex {
  private pending = new Map<string, SealedAt>();
  private timer: NodeJS.Timeout | undefined;
  private closed = false;
  /** without a derived store (a service embedded in a unit test), rows stay here */
  private readonly memory: Map<string, SealedAt> | undefined;

  constructor(private readonly store?: DerivedStore) {
    if (!store) this.memory = new Map();
  }

  add(rows: readonly SealedAt[]): void {
    if (this.memory) {
      for (const r of rows) this.memory.set(r.digest, r);
      return;
    }
    for (const r of rows) this.pending.set(r.digest, r);
    if (this.pending.size >= BATCH) this.flush();
    else if (!this.timer) {
      this.timer = setTimeout(() => this.flush(), HOLD_MS);
      this.timer.unref();
    }
  }

  at(digest: string): { entry: number; n: number } | undefined {
    const r = this.memory?.get(digest) ?? this.pending.get(digest);
    if (r) return { entry: r.entry, n: r.n };
    return this.store?.sealedAt(digest);
  }

  flush(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    if (!this.store || this.closed || this.pending.size === 0) return;
    // In digest order: the rows land in the index's key order, each page of the B-tree
    // written once per flush rather than once per random row.
    const rows = [...this.pending.values()].sort((a, b) => (a.digest < b.digest ? -1 : a.digest > b.digest ? 1 : 0));
    this.pending = new Map();
    this.store.putSealedAt(rows);
  }

  /** Writes what is pending; nothing more is written after (the derived store closes next). */
  close(): void {
    this.flush();
    this.closed = true;
  }
}
