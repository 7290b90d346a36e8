// A witness's add-checkpoint rate (`detente witness` as its own process, over loopback
// HTTP with keep-alive), for 1 log and for 10 logs with one submitter each, beside the
// fsync rate of the same disk measured in the same run. Requests for one log are serial
// by design (old must equal the stored size, and the state is fsync'd before the 200),
// so one log can go at most about as fast as the disk syncs; ten logs share commits
// (group commit), so they can go faster than one fsync per request.
import { type ChildProcess, spawn } from 'node:child_process';
import { closeSync, fsyncSync, mkdtempSync, openSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { type TestLog, testLog } from '../test/helpers/witness-log.ts';
import type { BenchRow, Suite } from './harness.ts';

const ROOT = new URL('..', import.meta.url).pathname;
const SECONDS = Number(process.env.BENCH_WITNESS_SECONDS ?? 4);
/** checkpoints prepared per log; a run stops early if a log runs out */
const STEPS_1 = Number(process.env.BENCH_WITNESS_STEPS ?? 4000);
const STEPS_10 = Math.ceil(STEPS_1 / 4);

/** write + fsync of a small file in `dir`, for `seconds`: the disk's sync rate. */
function fsyncRate(dir: string, seconds: number): number {
  const fd = openSync(join(dir, 'fsync-probe'), 'w');
  const block = Buffer.alloc(512, 1);
  let n = 0;
  const t0 = performance.now();
  try {
    while (performance.now() - t0 < seconds * 1000) {
      writeSync(fd, block, 0, block.length, 0);
      fsyncSync(fd);
      n++;
    }
  } finally {
    closeSync(fd);
  }
  return (n * 1000) / (performance.now() - t0);
}

function startWitnessProcess(dir: string, logs: TestLog[]): Promise<{ proc: ChildProcess; url: string }> {
  return new Promise((resolve, reject) => {
    const args = [join(ROOT, 'bin/detente.js'), 'witness', '--data', dir, '--port', '0', ...logs.flatMap((l) => ['--log', `${l.origin}=${l.vkey}`])];
    const proc = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'inherit'] });
    createInterface({ input: proc.stdout! }).on('line', (line) => {
      const m = /listening at (http:\/\/\S+)/.exec(line);
      if (m) resolve({ proc, url: m[1] });
    });
    proc.on('exit', (code) => reject(new Error(`detente witness exited ${code}`)));
  });
}

/** The bodies a log sends as it grows by one entry per checkpoint: 0→1, 1→2, … */
async function prepare(log: TestLog, steps: number): Promise<string[]> {
  await log.grow(steps);
  const bodies: string[] = [];
  for (let n = 1; n <= steps; n++) bodies.push(await log.request(n - 1, n));
  return bodies;
}

/** One submitter: each request after the previous answer, until the bodies or the time run out. */
async function submit(url: string, bodies: string[], until: number): Promise<number> {
  let done = 0;
  for (const body of bodies) {
    if (performance.now() >= until) break;
    const r = await fetch(`${url}/add-checkpoint`, { method: 'POST', body: new TextEncoder().encode(body) });
    await r.arrayBuffer();
    if (r.status !== 200) throw new Error(`add-checkpoint answered ${r.status}`);
    done++;
  }
  return done;
}

async function rate(url: string, perLog: string[][]): Promise<number> {
  const t0 = performance.now();
  const counts = await Promise.all(perLog.map((b) => submit(url, b, t0 + SECONDS * 1000)));
  return (counts.reduce((a, b) => a + b, 0) * 1000) / (performance.now() - t0);
}

export const suite: Suite = async () => {
  const dir = mkdtempSync(join(tmpdir(), 'detente-bench-witness-'));
  const logs = await Promise.all(Array.from({ length: 11 }, (_, i) => testLog(`detente/bench/log${i}`)));
  const one = [await prepare(logs[0], STEPS_1)];
  const ten = await Promise.all(logs.slice(1).map((l) => prepare(l, STEPS_10)));
  const witness = await startWitnessProcess(join(dir, 'witness'), logs);
  try {
    const fsyncs = fsyncRate(dir, 2);
    const single = await rate(witness.url, one);
    const many = await rate(witness.url, ten);
    const anchor = { name: 'write+fsync of a small file, same disk', value: Math.round(fsyncs) };
    return [
      { suite: 'witness', case: 'fsync rate of the witness’s disk', value: Math.round(fsyncs), unit: 'fsyncs/s' },
      {
        suite: 'witness',
        case: 'add-checkpoint, 1 log',
        value: Math.round(single),
        unit: 'req/s',
        anchor,
        ratio: Number((single / fsyncs).toFixed(2)),
        note: 'one submitter, each request after the last answer; state fsync’d before each 200',
      },
      {
        suite: 'witness',
        case: 'add-checkpoint, 10 logs',
        value: Math.round(many),
        unit: 'req/s',
        anchor,
        ratio: Number((many / fsyncs).toFixed(2)),
        note: '10 concurrent submitters, one per log; updates of different logs share a commit',
      },
    ] satisfies BenchRow[];
  } finally {
    witness.proc.kill('SIGTERM');
    await new Promise((r) => witness.proc.once('exit', r));
    for (const l of logs) await l.log.close();
    rmSync(dir, { recursive: true, force: true });
  }
};
