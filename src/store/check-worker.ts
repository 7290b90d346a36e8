// The stored record checked off the main thread: a server holding millions of entries
// keeps serving reads while a worker re-hashes them (record/check-stored.ts), reading
// the SQLite files through its own read-only connection.

import { extname } from 'node:path';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import { type CheckStoredOptions, checkStore, type StoredRecordProblem } from '../record/check-stored.ts';
import { openSqliteStore } from './sqlite.ts';

type Options = Pick<CheckStoredOptions, 'chunk' | 'allSignatures'>;
type Reply = { ok: true; problem: StoredRecordProblem | undefined } | { ok: false; message: string };

/**
 * The worker runs this same module. Run as TypeScript through tsx (a checkout has no
 * build step), the worker's thread must register tsx's loader before importing it.
 */
function startWorker(data: unknown): Worker {
  const self = new URL(import.meta.url);
  if (extname(self.pathname) !== '.ts') return new Worker(self, { workerData: data });
  const api = import.meta.resolve('tsx/esm/api');
  const code = `import(${JSON.stringify(api)}).then((tsx) => { tsx.register(); return import(${JSON.stringify(self.href)}); });`;
  return new Worker(code, { eval: true, workerData: data });
}

/** Checks the record in the log directory `dir` on a worker thread; resolves with the first problem, or undefined. */
export function checkStoredRecordInWorker(dir: string, options: Options = {}): Promise<StoredRecordProblem | undefined> {
  return new Promise((resolve, reject) => {
    const worker = startWorker({ checkStoredRecord: { dir, options } });
    let settled = false;
    worker.once('message', (r: Reply) => {
      settled = true;
      if (r.ok) resolve(r.problem);
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

/** Checks the record in `dir` on this thread (yielding between chunks). */
export async function checkStoredRecord(dir: string, options: Options = {}): Promise<StoredRecordProblem | undefined> {
  const store = await openSqliteStore(dir, { readonly: true });
  try {
    return await checkStore(store, options);
  } finally {
    await store.close();
  }
}

const job = isMainThread ? undefined : (workerData as { checkStoredRecord?: { dir: string; options: Options } } | null)?.checkStoredRecord;
if (job && parentPort) {
  const port = parentPort;
  const { dir, options } = job;
  checkStoredRecord(dir, options).then(
    (problem) => port.postMessage({ ok: true, problem } satisfies Reply),
    (e: unknown) => port.postMessage({ ok: false, message: (e as Error).message } satisfies Reply),
  );
}
