// The witnessed head: the newest checkpoint the log signed that a quorum of the
// arrangement's witnesses cosigned, as one note — the log's signature line, then each
// cosignature line in the arrangement's order (the C2SP form a standard client opens).
// Witnesses may cosign different checkpoints (one catching up), so the cosignatures of
// the last few checkpoints are kept and the quorum is counted per checkpoint.
import { parseCheckpoint } from '../../record/checkpoint.ts';
import { noteParts } from '../../record/cosignature.ts';

/** checkpoints whose cosignatures are kept while witnesses catch up */
const KEPT = 64;

interface Signed {
  note: string;
  size: number;
  /** when the log signed it (ms), for how far behind the witnessed head is */
  signedAt: number;
  /** witness verifier key → its cosignature line */
  lines: Map<string, string>;
}

export interface Head {
  note: string;
  size: number;
}

export class WitnessedHead {
  private readonly recent = new Map<number, Signed>();
  private head: Head | undefined;

  /**
   * @param order the witnesses' verifier keys in the arrangement's order
   * @param initial the witnessed note kept from before a restart
   */
  constructor(
    private readonly quorum: number,
    private readonly order: readonly string[],
    initial?: string,
  ) {
    if (initial !== undefined) this.head = { note: initial, size: parseCheckpoint(noteParts(initial).text).size };
  }

  get current(): Head | undefined {
    return this.head;
  }

  /** A checkpoint the log signed. */
  signed(note: string, size: number, at: number): void {
    if (this.recent.has(size)) return;
    this.recent.set(size, { note, size, signedAt: at, lines: new Map() });
    if (this.recent.size > KEPT) this.recent.delete(Math.min(...this.recent.keys()));
  }

  /** A witness's valid cosignature of the checkpoint of `size`; true when the witnessed head moved. */
  cosigned(witness: string, size: number, line: string): boolean {
    const s = this.recent.get(size);
    if (!s) return false;
    s.lines.set(witness, line);
    if (s.lines.size < this.quorum || (this.head && this.head.size >= size)) return false;
    const lines = this.order.filter((k) => s.lines.has(k)).map((k) => s.lines.get(k)!);
    this.head = { note: s.note + lines.join(''), size };
    for (const k of this.recent.keys()) if (k < size) this.recent.delete(k);
    return true;
  }

  /** ms since the oldest checkpoint newer than the witnessed head was signed (0 when none is). */
  lagMs(now: number): number {
    let oldest: number | undefined;
    for (const s of this.recent.values()) if (s.size > (this.head?.size ?? -1) && (oldest === undefined || s.signedAt < oldest)) oldest = s.signedAt;
    return oldest === undefined ? 0 : Math.max(0, now - oldest);
  }
}
