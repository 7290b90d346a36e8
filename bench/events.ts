// The event stream under a flood of subscribers that never read: the p99 of a report
// POST (one report per POST, durable and applied before the 202) with no subscribers,
// then with 2,000 idle streams open from another process, side by side in one run.
// Each event is rendered once per audience and shared by its sockets, and a socket
// that does not read is dropped once it holds too much, so the second should stay
// within 2× of the first. The per-token bound is lifted here: one token per actor
// would otherwise allow only a few dozen streams, and the point is the fan-out.
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadArrangementSource } from '../src/arrangement/load.ts';
import { buildApp } from '../src/server/app.ts';
import { Deployment } from '../src/server/deployment.ts';
import type { BenchRow, Suite } from './harness.ts';

const ROOT = new URL('..', import.meta.url).pathname;
const SECONDS = Number(process.env.BENCH_EVENTS_SECONDS ?? 8);
const SUBSCRIBERS = Number(process.env.BENCH_EVENTS_SUBSCRIBERS ?? 2000);
const CONNECTIONS = 16;

interface Load {
  requests: number;
  seconds: number;
  p50_ms: number;
  p99_ms: number;
  errors: number;
  lastError: string;
}

function load(url: string, token: string, prefix: string): Promise<Load> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(ROOT, 'bench/load-client.js'), url, token, '1', String(SECONDS), String(CONNECTIONS), prefix], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout.on('data', (c) => (out += c));
    child.on('exit', (code) => (code === 0 ? resolve(JSON.parse(out) as Load) : reject(new Error(`load client exited ${code}`))));
  });
}

function stopIdle(child: ChildProcess): Promise<{ open: number }> {
  return new Promise((resolve) => {
    let out = '';
    child.stdout!.on('data', (c) => (out += c));
    child.on('exit', () => resolve(out ? (JSON.parse(out) as { open: number }) : { open: -1 }));
    child.stdin!.end();
  });
}

export const suite: Suite = async () => {
  const dir = mkdtempSync(join(tmpdir(), 'detente-bench-events-'));
  const deployment = await Deployment.open({
    dataDir: dir,
    source: loadArrangementSource(join(ROOT, 'examples/southern-syria/arrangement.yaml')),
    deployment: 'bench',
  });
  deployment.bus.limits.streamsPerToken = SUBSCRIBERS;
  const app = await buildApp(deployment);
  const base = `${await app.listen({ port: 0, host: '127.0.0.1' })}/api/arrangements/${deployment.id}`;
  const token = deployment.tokens.undof;
  let idle: ChildProcess | undefined;
  try {
    const quiet = await load(`${base}/reports`, token, 'q');
    idle = spawn(process.execPath, [join(ROOT, 'bench/idle-subscribers.js'), `${base}/events`, String(SUBSCRIBERS), ...Object.values(deployment.tokens)], {
      stdio: ['pipe', 'pipe', 'inherit'],
    });
    const t0 = Date.now();
    while (deployment.bus.size < SUBSCRIBERS && Date.now() - t0 < 30_000) await new Promise((r) => setTimeout(r, 50));
    const opened = deployment.bus.size;
    const renders0 = deployment.bus.renderCount;
    const loaded = await load(`${base}/reports`, token, 'l');
    const renders = deployment.bus.renderCount - renders0;
    const stillOpen = deployment.bus.size;
    const held = deployment.bus.bufferedBytes;
    await stopIdle(idle);
    idle = undefined;
    for (const l of [quiet, loaded]) if (l.errors) throw new Error(`${l.errors} requests failed: ${l.lastError}`);
    const ratio = quiet.p99_ms / loaded.p99_ms;
    return [
      {
        suite: 'events',
        case: `report POST p99 with ${SUBSCRIBERS.toLocaleString('en')} event subscribers that never read`,
        value: loaded.p99_ms,
        unit: 'ms',
        anchor: { name: 'the same load, no subscribers', value: quiet.p99_ms },
        ratio,
        target: 'within 2× of no subscribers',
        met: loaded.p99_ms <= 2 * quiet.p99_ms,
        note:
          `${CONNECTIONS} connections, ${SECONDS} s each; ${opened} streams opened, ${stillOpen} still open at the end, ` +
          `${(held / 2 ** 20).toFixed(1)} MiB held in their sockets; ${renders.toLocaleString('en')} renders for ${loaded.requests.toLocaleString('en')} POSTs; ` +
          `p50 ${loaded.p50_ms.toFixed(1)} vs ${quiet.p50_ms.toFixed(1)} ms; ${(loaded.requests / loaded.seconds).toFixed(0)} vs ${(quiet.requests / quiet.seconds).toFixed(0)} POSTs/s`,
      },
    ] satisfies BenchRow[];
  } finally {
    if (idle) await stopIdle(idle);
    await app.close();
    await deployment.close();
    rmSync(dir, { recursive: true, force: true });
  }
};
