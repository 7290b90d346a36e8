// Several nodes on one PostgreSQL (issue 12): reports over HTTP through two nodes (a
// load client per node, batches of 1,000) beside one node on SQLite in the same run, as a
// ratio (issue: ≥ 0.7×; clients and nodes share the machine's cores); and failover, the
// time from kill -9 of the sequencing node to the first acknowledgement by the other
// (median of 3; issue: ≤ 5 s). Ratios only: the machine is shared. Uses DETENTE_BENCH_PG
// or DETENTE_TEST_PG (a URL of a server where databases may be created), else a private
// cluster it starts and stops.

import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { binDir, startCluster } from '../test/helpers/pg-cluster.ts';
import { type PgNode, startNode, stopNodes, tokensOf } from '../test/helpers/pg-nodes.ts';
import { BASE, EXAMPLE, observation } from '../test/helpers/server.ts';
import type { Suite } from './harness.ts';

const ROOT = new URL('..', import.meta.url).pathname;
const SECONDS = 8;
const BATCH = 1000;
/** connections in all, split over the nodes */
const CONNECTIONS = 4;

interface LoadResult {
  reports: number;
  seconds: number;
  errors: number;
}

function loadClient(url: string, token: string, connections: number, prefix: string): Promise<LoadResult> {
  const child = spawn(
    process.execPath,
    [join(ROOT, 'bench/load-client.js'), `${url}${BASE}/reports`, token, String(BATCH), String(SECONDS), String(connections), prefix],
    {
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  let out = '';
  child.stdout!.on('data', (c) => (out += c));
  return new Promise((resolve, reject) =>
    child.on('exit', (code) => (code === 0 ? resolve(JSON.parse(out) as LoadResult) : reject(new Error(`load client exited ${code}: ${out}`)))),
  );
}

async function database(base: string, name: string): Promise<string> {
  const c = new pg.Client({ connectionString: base });
  await c.connect();
  await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  await c.query(`CREATE DATABASE ${name}`);
  await c.end();
  const u = new URL(base);
  u.pathname = `/${name}`;
  return u.toString();
}

async function dropDatabase(base: string, name: string): Promise<void> {
  const c = new pg.Client({ connectionString: base });
  await c.connect();
  await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  await c.end();
}

/** One node on SQLite, as `detente serve --data DIR` runs it. */
async function sqliteNode(dir: string): Promise<{ child: ChildProcess; url: string; token: string }> {
  const child = spawn(process.execPath, ['bin/detente.js', 'serve', '--arrangement', EXAMPLE, '--data', dir, '--custodial', 'all', '--port', '0'], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let out = '';
  const url = await new Promise<string>((resolve, reject) => {
    child.stdout!.on('data', (c) => {
      out += c;
      const m = /at (http:\/\/\S+)/.exec(out);
      if (m) resolve(m[1].replace(/\/$/, ''));
    });
    child.on('exit', (code) => reject(new Error(`detente serve exited ${code}`)));
  });
  const tokens = JSON.parse(readFileSync(join(dir, 'tokens.json'), 'utf8')) as Record<string, string>;
  return { child, url, token: tokens.undof };
}

async function twoNodeRate(store: string): Promise<{ rate: number; errors: number }> {
  const nodes: PgNode[] = [];
  try {
    nodes.push(await startNode(store));
    await nodes[0].waitFor(/leader epoch/, 30_000);
    nodes.push(await startNode(store));
    const { undof } = await tokensOf(store);
    const results = await Promise.all(nodes.map((n, i) => loadClient(n.url, undof, CONNECTIONS / 2, `two-${i}`)));
    return { rate: results.reduce((s, r) => s + r.reports / r.seconds, 0), errors: results.reduce((s, r) => s + r.errors, 0) };
  } finally {
    await stopNodes(nodes);
  }
}

async function oneSqliteRate(): Promise<number> {
  const dir = mkdtempSync(join(tmpdir(), 'detente-bench-nodes-'));
  const s = await sqliteNode(dir);
  try {
    const r = await loadClient(s.url, s.token, CONNECTIONS, 'one');
    return r.reports / r.seconds;
  } finally {
    s.child.kill('SIGTERM');
    await new Promise((r) => s.child.on('exit', r));
    rmSync(dir, { recursive: true, force: true });
  }
}

/** kill -9 of the leader → the first 202 from the other node for a report posted to it, ms. */
async function takeover(store: string, n: number): Promise<number> {
  const nodes: PgNode[] = [];
  try {
    const a = await startNode(store);
    nodes.push(a);
    await a.waitFor(/leader epoch/, 30_000);
    const b = await startNode(store);
    nodes.push(b);
    const { undof } = await tokensOf(store);
    const post = (i: number) =>
      fetch(`${b.url}${BASE}/reports`, {
        method: 'POST',
        headers: { authorization: `Bearer ${undof}`, 'content-type': 'application/json' },
        body: JSON.stringify(observation(`fo-${n}-${i}`, `sy-fo-${n}`, 'sy', { troops: 3 }, '2025-12-27T07:00:00Z')),
      }).then(
        (r) => r.status,
        () => 0,
      );
    if ((await post(0)) !== 202) throw new Error('the follower did not take a report before the kill');
    const t0 = performance.now();
    a.child.kill('SIGKILL');
    for (let i = 1; ; i++) {
      if ((await post(i)) === 202) return performance.now() - t0;
      if (performance.now() - t0 > 60_000) throw new Error('no takeover within 60 s');
      await new Promise((r) => setTimeout(r, 20));
    }
  } finally {
    await stopNodes(nodes, 'SIGKILL');
  }
}

export const suite: Suite = async () => {
  let base = process.env.DETENTE_BENCH_PG ?? process.env.DETENTE_TEST_PG;
  let stop: (() => void) | undefined;
  if (!base) {
    const bin = binDir();
    if (!bin) throw new Error('bench nodes: PostgreSQL is not installed (apt-get install postgresql), or set DETENTE_BENCH_PG to a server URL');
    const cluster = await startCluster(bin);
    base = cluster.url;
    stop = cluster.stop;
  }
  const name = `detente_bench_nodes_${process.pid}`;
  try {
    const two = await twoNodeRate(await database(base, name));
    const one = await oneSqliteRate();
    const times: number[] = [];
    for (let i = 0; i < 3; i++) times.push(await takeover(await database(base, name), i));
    times.sort((x, y) => x - y);
    const median = times[1];
    return [
      {
        suite: 'nodes',
        case: `reports over HTTP through two nodes on one PostgreSQL, batches of ${BATCH}, ${CONNECTIONS} connections split over both`,
        value: Math.round(two.rate),
        unit: 'reports/s',
        anchor: { name: 'one node on SQLite, same clients', value: Math.round(one) },
        ratio: Number((two.rate / one).toFixed(2)),
        target: '≥ 0.7× the one-node SQLite row',
        met: two.rate / one >= 0.7,
        note: `${SECONDS} s per side; ${two.errors} failed requests; clients, both nodes and PostgreSQL share the machine's cores`,
      },
      {
        suite: 'nodes',
        case: 'failover: kill -9 of the sequencing node → first acknowledgement by the other (median of 3)',
        value: Math.round(median),
        unit: 'ms',
        target: '≤ 5 s',
        met: median <= 5000,
        note: `takeovers: ${times.map((t) => Math.round(t)).join(', ')} ms; the lease is tried every 250 ms`,
      },
    ];
  } finally {
    await dropDatabase(base, name).catch(() => undefined);
    stop?.();
  }
};
