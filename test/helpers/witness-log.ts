// A real log (src/record over the in-memory store) that makes what a log submits to a
// witness: checkpoints it signs at any size, consistency proofs between sizes, and the
// add-checkpoint body, for the witness's tests.

import { formatAddCheckpoint } from '../../src/record/add-checkpoint.ts';
import { signCheckpoint } from '../../src/record/checkpoint.ts';
import type { Signer } from '../../src/record/keys.ts';
import { type Log, openLog } from '../../src/record/log.ts';
import { MemoryStore } from '../../src/store/memory.ts';
import { makeEntries, newSigner } from './record-fixtures.ts';

export interface TestLog {
  origin: string;
  signer: Signer;
  vkey: string;
  log: Log;
  /** appends entries until the log has `size` */
  grow(size: number): Promise<void>;
  /** the log's signed checkpoint note at `size` (any size up to the log's) */
  checkpoint(size: number): Promise<string>;
  /** the add-checkpoint body from `old` to `size` */
  request(old: number, size: number): Promise<string>;
}

export async function testLog(origin = 'detente/test/southern-syria'): Promise<TestLog> {
  const signer = newSigner(origin);
  const author = newSigner('il');
  const log = await openLog({ store: new MemoryStore(), origin, logSigner: signer, checkpointIntervalMs: 1 });
  const checkpoint = async (size: number) => signCheckpoint({ origin, size, root: await log.rootAt(size), extensions: [] }, signer);
  return {
    origin,
    signer,
    vkey: signer.verifier.vkey,
    log,
    async grow(size) {
      const have = log.size;
      if (size > have) await Promise.all(makeEntries(size - have, [author], have).map((e) => log.append(e)));
    },
    checkpoint,
    async request(old, size) {
      const proof = old === 0 ? [] : await log.consistencyProof(old, size);
      return formatAddCheckpoint({ old, proof, note: await checkpoint(size) });
    },
  };
}
