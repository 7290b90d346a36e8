// The last checkpoint this browser verified, per log, kept in IndexedDB across reloads;
// and every fork seen, both signed checkpoints kept so they can be published. A log is
// named by the server and arrangement the page reads, not by the origin line of what it
// is offered: a log that renamed its origin would otherwise start a fresh memory. The
// origin is kept, and a checkpoint of another origin is refused (judge-checkpoint.ts).
import { idbGet, idbPut } from '../store/idb.ts';

export interface Fork {
  remembered: string;
  offered: string;
  why: string;
  seen: string;
}

export interface Memory {
  origin: string;
  /** the signed note of the last verified checkpoint */
  checkpoint: string;
  size: number;
  /** witness key → the time it cosigned that checkpoint (POSIX seconds) */
  cosigners: Record<string, number>;
  verified: string;
  forks: Fork[];
}

/** The memory's name for the log of `arrangement` on the server at `host`. */
export function logName(host: string, arrangement: string): string {
  return `${host}\n${arrangement}`;
}

export function recall(log: string): Promise<Memory | undefined> {
  return idbGet<Memory>('checkpoints', log);
}

export function remember(log: string, memory: Memory): Promise<void> {
  return idbPut('checkpoints', log, memory);
}
