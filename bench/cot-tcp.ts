// CoT intake over one TCP connection into the engine (`detente serve --cot-port`):
// a client process streams N position events back to back as ATAK writes them,
// half-closes, and waits for the server to close its side, which it does only once
// every report is durable in the record and applied by the engine (the connection's
// acknowledgement). Anchor, in the same run and from the same kind of client process:
// the same events as JSON reports, POSTed to …/reports over one HTTP connection in
// batches of 1,000, each 202 once durable and applied. Client and server each have a core.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadArrangementSource } from '../src/arrangement/load.ts';
import { unitsToCot } from '../src/interop/cot/from-units.ts';
import { cotToReport } from '../src/interop/cot/to-report.ts';
import { writeEvent } from '../src/interop/cot/write.ts';
import { buildApp } from '../src/server/app.ts';
import { startCotListener } from '../src/server/cot/listener.ts';
import { Deployment } from '../src/server/deployment.ts';
import { rng } from '../src/sim/random.ts';
import type { BenchRow, Suite } from './harness.ts';

const ROOT = new URL('..', import.meta.url).pathname;
const N = Number(process.env.BENCH_COT_TCP_EVENTS ?? 100_000);
const BATCH = 1000;

/** N position events of 500 units of Israel's, a second apart, ending an hour ago; uids prefixed so runs do not collide. */
function events(n: number, prefix: string) {
  const rand = rng(14);
  const t0 = Date.now() - 3_600_000 - n * 1000;
  const units = Array.from({ length: n }, (_, i) => ({
    unit: `${prefix}-${i % 500}`,
    actor: 'il',
    category: 'army',
    // The Golan, west of the Area of Separation: positions the engine judges against every zone.
    lon: 35.6 + rand() * 0.15,
    lat: 32.9 + rand() * 0.3,
    alt: 300 + rand() * 100,
    velocity: i % 2 ? { ve: rand() * 20 - 10, vn: rand() * 20 - 10, vu: 0 } : null,
    time: t0 + i * 1000,
  }));
  return unitsToCot(units).map((e) => ({ ...e, uid: e.uid.slice('detente.il.'.length), point: { ...e.point, ce: 9.5, le: 12 } }));
}

// ---- the client process ---------------------------------------------------------------

async function cotClient(port: number, token: string, n: number, prefix: string): Promise<{ seconds: number; bytes: number }> {
  const xml = Buffer.from(
    events(n, prefix)
      .map((e) => `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>${writeEvent(e)}\n`)
      .join(''),
  );
  const socket = connect({ port, host: '127.0.0.1', noDelay: true });
  await new Promise((r) => socket.once('connect', r));
  socket.write(`<auth><cot username="il" password="${token}" uid="BENCH"/></auth>`);
  // What the server sends back (zones, units, findings) is read and dropped.
  socket.on('data', () => undefined);
  const closed = new Promise((r) => socket.once('close', r));
  const t = performance.now();
  for (let i = 0; i < xml.length; i += 1 << 16) if (!socket.write(xml.subarray(i, i + (1 << 16)))) await new Promise((r) => socket.once('drain', r));
  socket.end();
  await closed;
  return { seconds: (performance.now() - t) / 1000, bytes: xml.length };
}

async function httpClient(url: string, token: string, n: number, prefix: string): Promise<{ seconds: number; bytes: number }> {
  const reports = events(n, prefix).map((e) => cotToReport(e, 'il'));
  const bodies: string[] = [];
  for (let i = 0; i < reports.length; i += BATCH) bodies.push(JSON.stringify(reports.slice(i, i + BATCH)));
  const t = performance.now();
  let bytes = 0;
  // One request after another on one keep-alive connection: each waits for the one before's 202.
  for (const body of bodies) {
    const res = await fetch(url, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body });
    if (res.status !== 202) throw new Error(`${res.status}: ${await res.text()}`);
    await res.arrayBuffer();
    bytes += body.length;
  }
  return { seconds: (performance.now() - t) / 1000, bytes };
}

if (process.argv[2] === '--client') {
  const [kind, where, token, n, prefix] = process.argv.slice(3);
  const r = kind === 'cot' ? await cotClient(Number(where), token, Number(n), prefix) : await httpClient(where, token, Number(n), prefix);
  process.stdout.write(JSON.stringify(r));
}

function client(args: string[]): Promise<{ seconds: number; bytes: number }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'bench/cot-tcp.ts'), '--client', ...args], {
      stdio: ['ignore', 'pipe', 'inherit'],
      cwd: ROOT,
    });
    let out = '';
    child.stdout.on('data', (c) => (out += c));
    child.on('exit', (code) => (code === 0 ? resolve(JSON.parse(out)) : reject(new Error(`bench client exited ${code}`))));
  });
}

const cpuMicros = (u: NodeJS.CpuUsage): number => u.user + u.system;

// ---- the suite ----------------------------------------------------------------------------

export const suite: Suite = async () => {
  const dir = mkdtempSync(join(tmpdir(), 'detente-bench-cot-tcp-'));
  const deployment = await Deployment.open({
    dataDir: dir,
    source: loadArrangementSource(join(ROOT, 'examples/southern-syria/arrangement.yaml')),
    deployment: 'bench',
  });
  const app = await buildApp(deployment, { web: false });
  const url = `${await app.listen({ port: 0, host: '127.0.0.1' })}/api/arrangements/${deployment.id}/reports`;
  const refusals: string[] = [];
  const cot = await startCotListener({ deployment, port: 0, host: '127.0.0.1', log: (l) => /refused|not recorded/.test(l) && refusals.push(l) });
  const token = deployment.tokens.il;
  try {
    // Warm-up: the zones sent on <auth> are traced once (seconds on this arrangement), JIT.
    await client(['cot', String(cot.port), token, '2000', 'w']);
    await client(['http', url, token, '2000', 'v']);
    const before = deployment.log.size;
    // The server's CPU per event (this process; the client runs in its own): on a machine
    // shared with other work, wall-clock rates swing with the load, CPU per event much less.
    let cpu = process.cpuUsage();
    const c = await client(['cot', String(cot.port), token, String(N), 'c']);
    const cotCpu = cpuMicros(process.cpuUsage(cpu)) / N;
    cpu = process.cpuUsage();
    const h = await client(['http', url, token, String(N), 'h']);
    const httpCpu = cpuMicros(process.cpuUsage(cpu)) / N;
    if (refusals.length) throw new Error(`${refusals.length} events refused: ${refusals.slice(0, 3).join('; ')}`);
    const cotRate = N / c.seconds;
    const httpRate = N / h.seconds;
    const row: BenchRow = {
      suite: 'cot-tcp',
      case: `CoT position events over one TCP connection into the engine (${N.toLocaleString('en')} events, ${Math.round(c.bytes / N)} B each, until the server closes the half-closed connection: every report durable and applied)`,
      value: Math.round(cotRate),
      unit: 'events/s',
      anchor: { name: `the same events as JSON reports, POST …/reports in batches of ${BATCH} over one connection`, value: Math.round(httpRate) },
      ratio: cotRate / httpRate,
      target: '≥ 20,000 events/s',
      met: cotRate >= 20_000,
      note: `client in its own process; record grew by ${(deployment.log.size - before).toLocaleString('en')} entries; server CPU per event: CoT ${cotCpu.toFixed(1)} µs, HTTP ${httpCpu.toFixed(1)} µs (${(httpCpu / cotCpu).toFixed(2)}×)`,
    };
    return [row];
  } finally {
    await cot.close();
    await app.close();
    await deployment.close();
    rmSync(dir, { recursive: true, force: true });
  }
};
