// DIR/follow.json: what the follower has verified. It is written atomically
// (store/atomic-file.ts) and only after everything it covers is durable: the entries
// and the checkpoint in the mirror, the openings fetched. So after a crash the follower
// resumes from it, and anything the mirror holds beyond it is checked again.

import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { KeyBookJson } from '../record/key-book.ts';
import { writeFileAtomic } from '../store/atomic-file.ts';

export const STATE_FILE = 'follow.json';

export interface FollowState {
  v: 1;
  /** the server followed and the arrangement */
  url: string;
  arrangement: string;
  /** the checkpoint origin and the log's verifier key, fixed at the first round */
  origin: string;
  logKey: string;
  /** the newest checkpoint verified (signed note), its size and root (base64) */
  checkpoint: string;
  size: number;
  root: string;
  /** the key book after `size` entries */
  keyBook: KeyBookJson;
  /** commitments named by entries before this index have been fetched (or found not disclosed) */
  openedThrough: number;
}

export class StateError extends Error {}

export function readState(dir: string): FollowState | undefined {
  const path = join(dir, STATE_FILE);
  if (!existsSync(path)) return undefined;
  let s: FollowState;
  try {
    s = JSON.parse(readFileSync(path, 'utf8')) as FollowState;
  } catch (e) {
    throw new StateError(`${path}: not JSON (${(e as Error).message})`);
  }
  if (s.v !== 1 || typeof s.checkpoint !== 'string' || !Number.isSafeInteger(s.size) || typeof s.logKey !== 'string') {
    throw new StateError(`${path}: not a follower's state (version 1)`);
  }
  return s;
}

export function writeState(dir: string, s: FollowState): void {
  writeFileAtomic(join(dir, STATE_FILE), `${JSON.stringify(s, null, 2)}\n`, 0o644);
}
