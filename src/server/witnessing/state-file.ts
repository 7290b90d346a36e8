// What the submitter keeps across restarts, beside the log (witnessing.json): the size
// each witness last acknowledged, and the witnessed checkpoint. Written beside, fsynced
// and renamed, one write at a time, the newest state winning: a crash leaves either
// the old file or the new one. Losing a size is harmless (the witness's 409 corrects
// it); the witnessed checkpoint is what GET …/record/checkpoint serves after a restart.
import { existsSync, readFileSync } from 'node:fs';
import { open, rename } from 'node:fs/promises';

export interface WitnessingState {
  v: 1;
  origin: string;
  /** witness verifier key → the size it last acknowledged */
  sizes: Record<string, number>;
  /** the newest checkpoint with a quorum of cosignatures, as one note */
  witnessed?: string;
}

export function readWitnessingState(path: string, origin: string): WitnessingState {
  const empty: WitnessingState = { v: 1, origin, sizes: {} };
  if (!existsSync(path)) return empty;
  let s: Partial<WitnessingState>;
  try {
    s = JSON.parse(readFileSync(path, 'utf8')) as Partial<WitnessingState>;
  } catch {
    // A torn file cannot happen (rename), but a hand-edited one can: start over, 409s correct it.
    return empty;
  }
  if (s.v !== 1 || s.origin !== origin || typeof s.sizes !== 'object' || s.sizes === null) return empty;
  const sizes: Record<string, number> = {};
  for (const [k, n] of Object.entries(s.sizes)) if (Number.isSafeInteger(n) && n >= 0) sizes[k] = n;
  return { v: 1, origin, sizes, ...(typeof s.witnessed === 'string' ? { witnessed: s.witnessed } : {}) };
}

/** Writes the state atomically; calls made while one write runs are folded into the next. */
export class StateWriter {
  private running: Promise<void> | undefined;
  private next: WitnessingState | undefined;

  constructor(private readonly path: string) {}

  save(state: WitnessingState): Promise<void> {
    this.next = structuredClone(state);
    this.running ??= this.drain().finally(() => {
      this.running = undefined;
    });
    return this.running;
  }

  /** Resolves once everything saved so far is on disk. */
  async flush(): Promise<void> {
    while (this.running) await this.running;
  }

  private async drain(): Promise<void> {
    while (this.next) {
      const s = this.next;
      this.next = undefined;
      const tmp = `${this.path}.tmp-${process.pid}`;
      const fh = await open(tmp, 'w', 0o600);
      try {
        await fh.writeFile(`${JSON.stringify(s, null, 1)}\n`);
        await fh.sync();
      } finally {
        await fh.close();
      }
      await rename(tmp, this.path);
    }
  }
}
