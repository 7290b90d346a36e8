// Buffers moved to a worker thread and moved back once it is done with them, to be filled
// again. Large buffers taken fresh for every batch cost a page fault per 4 KiB page the
// first time they are written (measured on this project's machine, where faults are
// dear: about a microsecond and a half per entry for the store's append batches), where
// a buffer filled before costs only the copy.

/** At most this many buffers are kept: those of the batches in flight, and one more. */
const KEEP = 4;

export class SpareBuffers {
  private readonly spare: ArrayBuffer[] = [];

  /** A view of `size` bytes, over a spare buffer large enough if there is one (its old bytes still in it), else over a new one. */
  take(size: number): Uint8Array {
    let best = -1;
    for (let i = 0; i < this.spare.length; i++) {
      const b = this.spare[i];
      if (b.byteLength >= size && (best < 0 || b.byteLength < this.spare[best].byteLength)) best = i;
    }
    if (best < 0) return new Uint8Array(size);
    const [b] = this.spare.splice(best, 1);
    return new Uint8Array(b, 0, size);
  }

  /** Keeps buffers sent back (the largest, when there are more than it keeps). */
  keep(buffers: readonly ArrayBuffer[]): void {
    for (const b of buffers) if (b.byteLength > 0) this.spare.push(b);
    if (this.spare.length > KEEP) {
      this.spare.sort((a, b) => b.byteLength - a.byteLength);
      this.spare.length = KEEP;
    }
  }
}
