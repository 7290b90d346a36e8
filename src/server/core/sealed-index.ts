// Where each sealed report sits in the record (commitment → entry and position), so that
// the sealed route can find the statement's author and judge a release without the
// server holding a map of every report in memory (a record may hold millions). Rows go
// to the derived store in batches; the few not yet written are looked up here first.
// Like all derived state, replay writes it again.
import type { DerivedStore, SealedAt } from '../../store/derived.ts';

const BATCH = 4096;

export class SealedIndex {
  private pending = new Map<string, SealedAt>();
  private scheduled = false;
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
    else if (!this.scheduled) {
      // Written after this turn, so a batch of entries applied together is one transaction.
      this.scheduled = true;
      setImmediate(() => this.flush());
    }
  }

  at(digest: string): { entry: number; n: number } | undefined {
    const r = this.memory?.get(digest) ?? this.pending.get(digest);
    if (r) return { entry: r.entry, n: r.n };
    return this.store?.sealedAt(digest);
  }

  flush(): void {
    this.scheduled = false;
    if (!this.store || this.closed || this.pending.size === 0) return;
    const rows = [...this.pending.values()];
    this.pending = new Map();
    this.store.putSealedAt(rows);
  }

  /** Writes what is pending; nothing more is written after (the derived store closes next). */
  close(): void {
    this.flush();
    this.closed = true;
  }
}
