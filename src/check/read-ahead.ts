// Reading report lines on the second core. On a long stream, reading a line
// into a report costs about as much as the engine's work on it; a worker thread
// (scan-worker.ts) reads the chunks ahead and hands back records the engine's
// thread turns into reports for next to nothing (scan-record.ts).
//
// The worker only ever helps: until it has started, or if it fails, read()
// answers null and the caller reads the lines itself, the same way.
import { extname } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { LinesPiece, ReadLines } from './scan-record.ts';

export class ReadAhead {
  /** The names records refer to, as the worker made them known. */
  readonly names: string[] = [];
  private worker: Worker | null = null;
  private ready = false;
  private readonly waiting: ((lines: ReadLines | null) => void)[] = [];
  private started: (up: boolean) => void = () => {};
  /** Whether the worker came up (false if it failed or was closed first). */
  readonly up = new Promise<boolean>((resolve) => (this.started = resolve));

  constructor() {
    let worker: Worker;
    try {
      worker = startWorker();
    } catch {
      this.started(false);
      return;
    }
    this.worker = worker;
    worker.on('message', (m: ReadLines | 'ready') => {
      if (m === 'ready') {
        this.ready = true;
        this.started(true);
        return;
      }
      const names = this.names;
      for (const n of m.names) names.push(n);
      this.waiting.shift()?.(m);
    });
    worker.on('error', () => this.close());
    worker.on('exit', () => this.close());
  }

  /**
   * The piece's lines read, or null when the worker is not there to read them:
   * then the caller must. Answers come in the order asked.
   */
  read(piece: LinesPiece): Promise<ReadLines | null> | null {
    const w = this.worker;
    if (w === null || !this.ready) return null;
    return new Promise((resolve) => {
      this.waiting.push(resolve);
      w.postMessage(piece);
    });
  }

  /** Stops the worker; what it was still reading is answered null. */
  close(): void {
    const w = this.worker;
    this.worker = null;
    this.started(false);
    if (w !== null) void w.terminate();
    for (const resolve of this.waiting.splice(0)) resolve(null);
  }
}

/**
 * The worker runs scan-worker beside this module. When this module is
 * TypeScript run through tsx (a checkout runs without a build step), the
 * worker's thread must register tsx's loader before it can import it.
 */
function startWorker(): Worker {
  const ext = extname(new URL(import.meta.url).pathname);
  const entry = new URL(`./scan-worker${ext}`, import.meta.url).href;
  if (ext !== '.ts') return new Worker(new URL(entry));
  const api = import.meta.resolve('tsx/esm/api');
  const code = `import(${JSON.stringify(api)}).then((tsx) => { tsx.register(); return import(${JSON.stringify(entry)}); });`;
  return new Worker(code, { eval: true });
}
