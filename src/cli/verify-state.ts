// What `detente verify` remembers between runs (spec/witness.md, "What a client does"):
// per log origin, the last checkpoint it verified. The next bundle of that log is
// accepted only if it extends it, so --since is automatic; one that does not is a fork,
// written out with both checkpoints for publication. Writes are atomic: beside, fsync,
// rename.
import { writeFileAtomic } from '../store/atomic-file.ts';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';

export interface Remembered {
  size: number;
  /** base64 root hash */
  root: string;
  /** the signed checkpoint note (with any cosignatures) */
  checkpoint: string;
  /** when it was verified (ISO 8601) */
  verified: string;
}

export interface VerifyState {
  v: 1;
  logs: Record<string, Remembered>;
}

export function defaultStatePath(): string {
  return join(homedir(), '.detente', 'verify-state.json');
}

export class StateFileError extends Error {}

export function readVerifyState(path: string): VerifyState {
  if (!existsSync(path)) return { v: 1, logs: {} };
  let s: Partial<VerifyState>;
  try {
    s = JSON.parse(readFileSync(path, 'utf8')) as Partial<VerifyState>;
  } catch (e) {
    // Never start over silently: forgetting is exactly what a forking log wants.
    throw new StateFileError(`${path} is not a verify state file (${(e as Error).message}); move it away to start over`);
  }
  if (s.v !== 1 || typeof s.logs !== 'object' || s.logs === null) throw new StateFileError(`${path} is not a version 1 verify state file`);
  return { v: 1, logs: s.logs };
}

function writeAtomic(path: string, text: string): void {
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  writeFileAtomic(path, text);
}

export function writeVerifyState(path: string, state: VerifyState): void {
  writeAtomic(path, `${JSON.stringify(state, null, 2)}\n`);
}

/** Writes both checkpoints of a fork beside the state file; returns the file's path. */
export function writeFork(statePath: string, origin: string, remembered: string, offered: string, now = new Date()): string {
  const safe = origin.replace(/[^A-Za-z0-9._-]+/g, '_');
  const path = join(dirname(statePath), `fork-${safe}-${now.toISOString().replace(/[:.]/g, '-')}.txt`);
  const text = [
    `The log ${origin} forked: these two checkpoints are both signed by its key, and the second does not extend the first.`,
    'Both cannot be true. Publish them.',
    '',
    '--- remembered (verified earlier) ---',
    remembered.trimEnd(),
    '',
    '--- offered now ---',
    offered.trimEnd(),
    '',
  ].join('\n');
  writeAtomic(path, text);
  return path;
}
