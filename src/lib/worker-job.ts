// A job run once on a worker thread of this program, for work that would hold the
// server's thread for seconds (tracing zones). The module that asks is also the one the
// worker runs: `runWorkerJob` starts it with the job's input under `name`, and the
// module's top level calls `answerWorkerJob(name, …)`, which on that worker (and only
// there) computes the answer and posts it back.
import { isMainThread, parentPort, workerData } from 'node:worker_threads';
import { startModuleWorker } from './module-worker.ts';

type Answer<T> = { value: T } | { error: string };

/** Runs the job `name` of the module at `moduleUrl` on a new worker; `what` names it in errors ("tracing the zones"). */
export function runWorkerJob<T>(moduleUrl: string, name: string, input: unknown, what: string): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const worker = startModuleWorker(moduleUrl, { [name]: input });
    // A process that ends before the job does is not held open by it.
    worker.unref();
    worker.once('message', (a: Answer<T>) => {
      if ('value' in a) resolve(a.value);
      else reject(new Error(`${what} failed: ${a.error}`));
      void worker.terminate();
    });
    worker.once('error', reject);
    worker.once('exit', (code) => reject(new Error(`the worker ${what} exited with ${code}`)));
  });
}

/** On the worker started for `name` (and nowhere else): answers with `work` of the job's input. */
export function answerWorkerJob<I, T>(name: string, work: (input: I) => T): void {
  const input = isMainThread ? undefined : (workerData as Record<string, I> | null)?.[name];
  if (input === undefined || !parentPort) return;
  let answer: Answer<T>;
  try {
    answer = { value: work(input) };
  } catch (e) {
    answer = { error: (e as Error).message };
  }
  parentPort.postMessage(answer);
}
