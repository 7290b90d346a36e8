// The stored record checked off the main thread: a server holding millions of entries
// keeps serving reads while workers re-hash them (record/check-stored.ts), each reading
// the SQLite files through its own read-only connection. With several workers each
// checks a chunk-aligned range of the entries and returns the hashes of the subtrees
// covering it; this thread folds them into the root and names the first problem (the
// lowest range's first), as a single pass would.

import { availableParallelism } from 'node:os';
import { isMainThread, parentPort, type Worker, workerData } from 'node:worker_threads';
import {
  type CheckPlan,
  type CheckStoredOptions,
  checkRange,
  checkSealedBodies,
  checkSealedItems,
  checkStore,
  combineRanges,
  planStoreCheck,
  type RangeResult,
  type StoredRecordProblem,
  splitRanges,
} from '../record/check-stored.ts';
import { startModuleWorker } from '../lib/module-worker.ts';
import { openSqliteStore } from './sqlite.ts';

type Options = Pick<CheckStoredOptions, 'chunk' | 'allSignatures'> & {
  /** worker threads (default: available parallelism, at most 4); 1 checks the whole record in one worker */
  workers?: number;
};
type CheckOptions = Pick<CheckStoredOptions, 'chunk' | 'allSignatures'>;
type Reply<T> = { ok: true; value: T } | { ok: false; message: string };
type RangeReply = { range: RangeResult; bodies?: StoredRecordProblem; items?: StoredRecordProblem };

type Job =
  | { kind: 'whole'; dir: string; options: CheckOptions }
  | { kind: 'range'; dir: string; options: CheckOptions; plan: CheckPlan; lo: number; hi: number; last: boolean };

/** Records of fewer chunks than this are checked by one worker: a second one costs more to start than it saves. */
const SPLIT_FROM_CHUNKS = 4;

/**
 * The worker runs this same module. Its young generation is made large: the check makes
 * several short-lived buffers per entry (rows, hashes), and with V8's default of a few MiB
 * scavenging them took a fifth of the check's time; at 32 MiB semi-spaces, a twentieth.
 */
function startWorker(data: unknown): Worker {
  return startModuleWorker(import.meta.url, data, { resourceLimits: { maxYoungGenerationSizeMb: 96 } });
}

function runJob<T>(dir: string, job: Job): Promise<T> {
  return new Promise((resolve, reject) => {
    const worker = startWorker({ checkStoredRecord: job });
    let settled = false;
    worker.once('message', (r: Reply<T>) => {
      settled = true;
      if (r.ok) resolve(r.value);
      else reject(new Error(`checking ${dir}: ${r.message}`));
    });
    worker.once('error', (e) => {
      settled = true;
      reject(e);
    });
    worker.once('exit', (code) => {
      if (!settled) reject(new Error(`the check of ${dir} stopped (exit ${code})`));
    });
  });
}

/** The default number of check workers: the machine's parallelism, at most 4. */
export function defaultCheckWorkers(): number {
  return Math.max(1, Math.min(4, availableParallelism()));
}

/**
 * Checks the record in the log directory `dir` on worker threads (options.workers, each
 * a range of the entries); resolves with the first problem, or undefined.
 */
export async function checkStoredRecordInWorker(dir: string, options: Options = {}): Promise<StoredRecordProblem | undefined> {
  const { workers = defaultCheckWorkers(), ...check } = options;
  if (workers <= 1) return runJob(dir, { kind: 'whole', dir, options: check });
  // The plan (snapshot and checkpoint) is read here: a few rows.
  const store = await openSqliteStore(dir, { readonly: true });
  let planned: Awaited<ReturnType<typeof planStoreCheck>>;
  try {
    planned = await planStoreCheck(store, check);
  } finally {
    await store.close();
  }
  if (!('plan' in planned)) return planned.problem;
  const plan = planned.plan;
  const ranges = plan.size < SPLIT_FROM_CHUNKS * (check.chunk ?? 8192) ? [[0, plan.size] as [number, number]] : splitRanges(plan, workers, check.chunk);
  if (ranges.length === 1) return runJob(dir, { kind: 'whole', dir, options: check });
  // Each worker checks the sealed openings kept at the entries of its range (one a
  // report: as many as the entries), so the sealed part is split as evenly as the
  // entries; the whole bodies (a few) go to the last, whose range is the shortest.
  const replies = await Promise.all(
    ranges.map(([lo, hi], i) => runJob<RangeReply>(dir, { kind: 'range', dir, options: check, plan, lo, hi, last: i === ranges.length - 1 })),
  );
  // As one pass names it: a whole body first, then the first opening in place order.
  const sealed = replies.find((r) => r.bodies)?.bodies ?? replies.find((r) => r.items)?.items;
  return combineRanges(
    plan,
    replies.map((r) => r.range),
    sealed,
  );
}

/** Checks the record in `dir` on this thread (yielding between chunks). */
export async function checkStoredRecord(dir: string, options: CheckOptions = {}): Promise<StoredRecordProblem | undefined> {
  const store = await openSqliteStore(dir, { readonly: true });
  try {
    return await checkStore(store, options);
  } finally {
    await store.close();
  }
}

async function runRange(job: Extract<Job, { kind: 'range' }>): Promise<RangeReply> {
  const store = await openSqliteStore(job.dir, { readonly: true });
  try {
    const range = await checkRange(store, job.plan, job.lo, job.hi, job.options);
    // The last range also takes openings past the stored entries (of a batch a crash cut off).
    const items = await checkSealedItems(store, job.lo, job.last ? Number.POSITIVE_INFINITY : job.hi);
    return { range, bodies: job.last ? await checkSealedBodies(store) : undefined, items };
  } finally {
    await store.close();
  }
}

const job = isMainThread ? undefined : (workerData as { checkStoredRecord?: Job } | null)?.checkStoredRecord;
if (job && parentPort) {
  const port = parentPort;
  const work: Promise<unknown> = job.kind === 'whole' ? checkStoredRecord(job.dir, job.options) : runRange(job);
  work.then(
    (value) => port.postMessage({ ok: true, value } satisfies Reply<unknown>),
    (e: unknown) => port.postMessage({ ok: false, message: (e as Error).message } satisfies Reply<unknown>),
  );
}
