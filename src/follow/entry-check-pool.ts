// The follower's entry checks (entry-check.ts) on every core: one worker thread per core
// running this same module, each given batches of entries (their bytes back to back,
// transferred, not copied) and answering each batch's verdicts, leaf hashes and statement
// ids. Parsing, the canonical-form check, hashing and the curve arithmetic all happen
// there, once per entry; the main thread only packs bytes and reads verdicts. Each
// batch goes to the worker with the fewest entries outstanding, so with a few batches
// in flight neither worker waits for the main thread between two.

import { availableParallelism } from 'node:os';
import { isMainThread, parentPort, type Worker, workerData } from 'node:worker_threads';
import { startModuleWorker } from '../lib/module-worker.ts';
import { SpareBuffers } from '../lib/spare-buffers.ts';
import { type CheckedEntries, checkEntries, type PackedEntries, packEntries } from './entry-check.ts';

interface Job {
  id: number;
  packed: PackedEntries;
}

type Answer = ({ id: number; ok: true; checked: CheckedEntries } | { id: number; ok: false; message: string }) & { spare?: ArrayBuffer[] };

interface Member {
  worker: Worker;
  /** entries sent and not answered */
  load: number;
  inFlight: Map<number, { resolve: (c: CheckedEntries) => void; reject: (e: Error) => void; n: number }>;
}

const WORKER_FLAG = 'detenteEntryCheck';
/** Batches of at most this many entries are checked on the calling thread. */
const INLINE_MAX = 16;

if (!isMainThread && (workerData as Record<string, unknown> | null)?.[WORKER_FLAG] && parentPort) {
  const port = parentPort;
  port.on('message', (job: Job) => {
    let answer: Answer;
    try {
      answer = { id: job.id, ok: true, checked: checkEntries(job.packed) };
    } catch (e) {
      answer = { id: job.id, ok: false, message: (e as Error).message };
    }
    // The batch's bytes go back with the answer, to be filled again (lib/spare-buffers.ts).
    const spare = [job.packed.bytes.buffer as ArrayBuffer];
    const moved = answer.ok
      ? [answer.checked.leaves.buffer as ArrayBuffer, answer.checked.ids.buffer as ArrayBuffer, answer.checked.refs.buffer as ArrayBuffer]
      : [];
    port.postMessage({ ...answer, spare }, [...moved, ...spare]);
  });
}

/** What checks batches of entries (the pool, or in a test one that answers out of order). */
export interface EntryChecker {
  check(list: readonly Uint8Array[]): Promise<CheckedEntries>;
  close(): Promise<void>;
}

export class EntryCheckPool implements EntryChecker {
  readonly size: number;
  private readonly members: Member[] = [];
  private nextId = 1;
  private closed = false;
  /** batches' buffers the workers sent back, to pack the next ones into */
  private readonly spares = new SpareBuffers();

  constructor(size = availableParallelism()) {
    this.size = Math.max(1, size);
  }

  /** Starts the workers now rather than on the first batch (they take a moment to load). */
  warm(): void {
    while (this.members.length < this.size) this.members.push(this.spawn());
  }

  /** Checks `list` on the least loaded worker. */
  check(list: readonly Uint8Array[]): Promise<CheckedEntries> {
    if (this.closed) return Promise.reject(new Error('the entry-check pool is closed'));
    // A few entries (a live follower's usual round) are checked here: sooner than a message
    // to a worker, and no waiting for workers to load, which takes seconds on a busy machine.
    if (list.length <= INLINE_MAX) return Promise.resolve(checkEntries(packEntries(list)));
    this.warm();
    let m = this.members[0];
    for (const x of this.members) if (x.load < m.load) m = x;
    const packed = packEntries(list, (n) => this.spares.take(n));
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      m.inFlight.set(id, { resolve, reject, n: list.length });
      if (m.load === 0) m.worker.ref();
      m.load += list.length;
      const job: Job = { id, packed };
      m.worker.postMessage(job, [packed.bytes.buffer as ArrayBuffer, packed.offsets.buffer as ArrayBuffer]);
    });
  }

  /** Stops the workers; batches not yet answered are rejected. */
  async close(): Promise<void> {
    this.closed = true;
    const gone = new Error('the entry-check pool is closed');
    await Promise.all(
      this.members.splice(0).map((m) => {
        for (const j of m.inFlight.values()) j.reject(gone);
        m.inFlight.clear();
        return m.worker.terminate();
      }),
    );
  }

  private spawn(): Member {
    const worker = startModuleWorker(import.meta.url, { [WORKER_FLAG]: true });
    const m: Member = { worker, load: 0, inFlight: new Map() };
    worker.on('message', (a: Answer) => {
      if (a.spare) this.spares.keep(a.spare);
      const j = m.inFlight.get(a.id);
      if (!j) return;
      m.inFlight.delete(a.id);
      m.load -= j.n;
      if (m.load === 0) worker.unref();
      if (a.ok) j.resolve(a.checked);
      else j.reject(new Error(`an entry-check worker failed: ${a.message}`));
    });
    const fail = (e: Error) => {
      const i = this.members.indexOf(m);
      if (i >= 0) this.members.splice(i, 1);
      for (const j of m.inFlight.values()) j.reject(e);
      m.inFlight.clear();
    };
    worker.on('error', fail);
    worker.on('exit', (code) => fail(new Error(`an entry-check worker stopped (exit ${code})`)));
    // An idle pool does not keep the process alive; one with work in flight does.
    worker.unref();
    return m;
  }
}
