// A worker thread that runs a module of this program (the module tells by its workerData
// that it is the worker). Run as TypeScript through tsx (a checkout has no build step),
// the worker's thread must register tsx's loader before importing the module.
import { extname } from 'node:path';
import { Worker, type WorkerOptions } from 'node:worker_threads';

/** `options`: the Worker's other options (resource limits, …). */
export function startModuleWorker(moduleUrl: string, data: unknown, options: Omit<WorkerOptions, 'workerData' | 'eval'> = {}): Worker {
  const self = new URL(moduleUrl);
  if (extname(self.pathname) !== '.ts') return new Worker(self, { ...options, workerData: data });
  const api = import.meta.resolve('tsx/esm/api');
  const code = `import(${JSON.stringify(api)}).then((tsx) => { tsx.register(); return import(${JSON.stringify(self.href)}); });`;
  return new Worker(code, { ...options, eval: true, workerData: data });
}
