// Reports over HTTP: each appended durably to the record and run through the engine
// before the 202, single reports and batches of 1,000, beside a bare fastify route
// that only parses and echoes the same bodies, in the same run. The load comes from
// a separate process (bench/load-client.js), so client and server each have a core.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Fastify from 'fastify';
import { loadArrangementSource } from '../src/arrangement/load.ts';
import { buildApp } from '../src/server/app.ts';
import { Deployment } from '../src/server/deployment.ts';
import type { BenchRow, Suite } from './harness.ts';

const ROOT = new URL('..', import.meta.url).pathname;
const SECONDS = Number(process.env.BENCH_SERVER_SECONDS ?? 5);

interface Load {
  requests: number;
  reports: number;
  seconds: number;
  p50_ms: number;
  p99_ms: number;
  errors: number;
  lastError: string;
}

function load(url: string, token: string, batch: number, connections: number, prefix: string): Promise<Load> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(ROOT, 'bench/load-client.js'), url, token, String(batch), String(SECONDS), String(connections), prefix], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout.on('data', (c) => (out += c));
    child.on('exit', (code) => (code === 0 ? resolve(JSON.parse(out) as Load) : reject(new Error(`load client exited ${code}`))));
  });
}

export const suite: Suite = async () => {
  const dir = mkdtempSync(join(tmpdir(), 'detente-bench-server-'));
  const echo = Fastify({ bodyLimit: 16 << 20 });
  echo.post('/echo', async (req) => ({ n: Array.isArray(req.body) ? req.body.length : 1 }));
  const echoUrl = (await echo.listen({ port: 0, host: '127.0.0.1' })) + '/echo';
  const deployment = await Deployment.open({
    dataDir: dir,
    source: loadArrangementSource(join(ROOT, 'examples/southern-syria/arrangement.yaml')),
    deployment: 'bench',
  });
  const app = await buildApp(deployment);
  const url = (await app.listen({ port: 0, host: '127.0.0.1' })) + `/api/arrangements/${deployment.id}/reports`;
  const token = deployment.tokens.undof;
  const rows: BenchRow[] = [];
  try {
    for (const [batch, connections, target] of [
      [1, 64, 5_000],
      [1000, 16, 100_000],
    ] as const) {
      const anchor = await load(echoUrl, token, batch, connections, `e${batch}`);
      const ours = await load(url, token, batch, connections, `r${batch}`);
      if (ours.errors) throw new Error(`${ours.errors} requests failed: ${ours.lastError}`);
      const rate = ours.reports / ours.seconds;
      const anchorRate = anchor.reports / anchor.seconds;
      rows.push({
        suite: 'server',
        case:
          batch === 1
            ? 'reports over HTTP, one per POST (durable + engine before 202)'
            : `reports over HTTP, batches of ${batch} (durable + engine before 202)`,
        value: Math.round(rate),
        unit: 'reports/s',
        anchor: { name: 'bare fastify, parse + answer', value: Math.round(anchorRate) },
        ratio: rate / anchorRate,
        target: `≥ ${target.toLocaleString('en')} reports/s`,
        met: rate >= target,
        note: `${connections} connections; p50 ${ours.p50_ms.toFixed(1)} ms, p99 ${ours.p99_ms.toFixed(1)} ms (bare: p99 ${anchor.p99_ms.toFixed(1)} ms); record ${deployment.log.size.toLocaleString('en')} entries`,
      });
    }
  } finally {
    await echo.close();
    await app.close();
    await deployment.close();
    rmSync(dir, { recursive: true, force: true });
  }
  return rows;
};
