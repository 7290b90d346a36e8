// Durable appends on PostgreSQL through the product's path (the record's Log, group
// commit, one transaction per batch over the sequencing row), 256 concurrent writers;
// beside the SQLite store in the same run and the physical floor in the same database:
// plain batched INSERTs of the same rows (entries, statement ids, tiles, the sequencing
// row; postgres-floor.ts), one COMMIT per batch of the size the Log reaches. Ratios only: the machine is shared. Uses DETENTE_BENCH_PG or
// DETENTE_TEST_PG when set (a URL), else a private cluster it starts and stops.
// Published anchors: Trillian on MySQL 400–500/s, Tessera's MySQL backend ~300/s.

import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import pg from 'pg';
import { openLog } from '../src/record/log.ts';
import { generateKey, parseSignerKey } from '../src/record/keys.ts';
import { openSqliteLog } from '../src/store/open-log.ts';
import { PgLogStore } from '../src/store/postgres/pg-log-store.ts';
import { binDir, startCluster } from '../test/helpers/pg-cluster.ts';
import type { Suite } from './harness.ts';
import { floorRate } from './postgres-floor.ts';
import { appendAll, benchEntries, ORIGIN, WRITERS } from './postgres-load.ts';

const COUNT = 60_000;
/** entries per COMMIT of the floor: the batch the Log's group commit reaches under 256 writers (each has one append in flight) */
const RAW_BATCH = WRITERS;
const entries = benchEntries;

async function through(log: Awaited<ReturnType<typeof openLog>>, list: Uint8Array[]): Promise<number> {
  const t0 = performance.now();
  await appendAll(log, list);
  const rate = (list.length * 1000) / (performance.now() - t0);
  await log.close();
  return rate;
}

/** The entries alone as plain rows, `batch` per autocommitted INSERT: the floor before this change, kept as a note. */
async function entriesOnly(url: string, list: Uint8Array[], batch: number): Promise<number> {
  const c = new pg.Client({ connectionString: url, options: '-c synchronous_commit=on' });
  await c.connect();
  try {
    const table = `bench_raw_${process.pid}`;
    await c.query(`DROP TABLE IF EXISTS ${table}; CREATE TABLE ${table} (idx bigint PRIMARY KEY, data bytea NOT NULL)`);
    const t0 = performance.now();
    for (let i = 0; i < list.length; i += batch) {
      const part = list.slice(i, i + batch);
      // Packed as the store packs them (one binary bytea and offsets): the fastest form found.
      const lengths = part.map((e) => e.length);
      const offsets = lengths.map((_, k) => 1 + lengths.slice(0, k).reduce((x, y) => x + y, 0));
      await c.query(
        `INSERT INTO ${table} SELECT $1::bigint + t.i - 1, substring($2::bytea FROM t.o FOR t.l) FROM unnest($3::int[], $4::int[]) WITH ORDINALITY AS t(o, l, i)`,
        [i, Buffer.concat(part), offsets, lengths],
      );
    }
    const rate = (list.length * 1000) / (performance.now() - t0);
    await c.query(`DROP TABLE ${table}`);
    return rate;
  } finally {
    await c.end();
  }
}

/**
 * Two Logs in two processes, each over its own schema of the one database (as two nodes'
 * sequencers of two arrangements would be), WRITERS/2 writers each: entries per second
 * for both together, from the first start to the last end.
 */
async function twoProcesses(url: string, count: number): Promise<number> {
  const schemas = [`bench_${process.pid}_a`, `bench_${process.pid}_b`];
  const children = schemas.map((schema) =>
    spawn(process.execPath, ['--import', 'tsx', new URL('./postgres-writer.ts', import.meta.url).pathname, url, schema, String(count), String(WRITERS / 2)], {
      stdio: ['pipe', 'pipe', 'inherit'],
    }),
  );
  try {
    const lines = children.map((c) => createInterface({ input: c.stdout })[Symbol.asyncIterator]());
    for (const l of lines) if ((await l.next()).value !== 'ready') throw new Error('bench postgres: a writer process did not start');
    for (const c of children) c.stdin.write('go\n');
    const done = await Promise.all(lines.map(async (l) => JSON.parse((await l.next()).value as string) as { start: number; end: number; count: number }));
    const span = Math.max(...done.map((d) => d.end)) - Math.min(...done.map((d) => d.start));
    return (done.reduce((n, d) => n + d.count, 0) * 1000) / span;
  } finally {
    for (const c of children) c.kill();
    const drop = new pg.Client({ connectionString: url });
    await drop.connect();
    for (const s of schemas) await drop.query(`DROP SCHEMA IF EXISTS ${s} CASCADE`);
    await drop.end();
  }
}

export const suite: Suite = async () => {
  let url = process.env.DETENTE_BENCH_PG ?? process.env.DETENTE_TEST_PG;
  let stop: (() => void) | undefined;
  if (!url) {
    const bin = binDir();
    if (!bin) throw new Error('bench postgres: PostgreSQL is not installed (apt-get install postgresql), or set DETENTE_BENCH_PG to a server URL');
    const cluster = await startCluster(bin);
    url = cluster.url;
    stop = cluster.stop;
  }
  const root = mkdtempSync(join(tmpdir(), 'detente-bench-pg-'));
  const schema = `bench_${process.pid}`;
  try {
    const logSigner = parseSignerKey(generateKey(ORIGIN).skey);
    const authors = ['il', 'sy', 'ru', 'us', 'undof'].map((n) => parseSignerKey(generateKey(n).skey));
    const opts = { origin: ORIGIN, logSigner, verifySignatures: false };
    const store = await PgLogStore.open({ url, schema });
    const onPg = await through(await openLog({ ...opts, store }), entries(COUNT, authors, 'pg'));
    const two = await twoProcesses(url, COUNT / 2);
    const floor = await floorRate(url, entries(COUNT, authors, 'floor'), RAW_BATCH);
    const bare = await entriesOnly(url, entries(COUNT, authors, 'raw'), RAW_BATCH);
    const onSqlite = await through(await openSqliteLog({ ...opts, dir: join(root, 'sqlite') }), entries(COUNT, authors, 'sqlite'));
    const drop = new pg.Client({ connectionString: url });
    await drop.connect();
    await drop.query(`DROP SCHEMA ${schema} CASCADE`);
    await drop.end();
    const note = `${COUNT.toLocaleString('en')} signed entries (~400 bytes), synchronous_commit=on; published: Trillian on MySQL 400–500/s, Tessera MySQL ~300/s`;
    return [
      {
        suite: 'postgres',
        case: `durable appends through the Log, ${WRITERS} writers, PostgreSQL vs SQLite store`,
        value: Math.round(onPg),
        unit: 'entries/s',
        anchor: { name: 'same Log on the SQLite store', value: Math.round(onSqlite) },
        ratio: Number((onPg / onSqlite).toFixed(2)),
        target: '≥ 20,000/s',
        met: onPg >= 20_000,
        note,
      },
      {
        suite: 'postgres',
        case: `durable appends through the Log, ${WRITERS} writers, vs raw batched INSERT of the same rows into the same database`,
        value: Math.round(onPg),
        unit: 'entries/s',
        anchor: { name: `raw INSERT of the same rows, ${RAW_BATCH} entries per COMMIT`, value: Math.round(floor) },
        ratio: Number((onPg / floor).toFixed(2)),
        note: `the floor writes each entry, its statement id, the full tiles and the sequencing row, ids and tiles computed before timing (bench/postgres-floor.ts); the entries alone, same batches: ${Math.round(bare).toLocaleString('en')}/s`,
      },
      {
        suite: 'postgres',
        case: `durable appends through two Logs in two processes, each on its own schema of the one database, ${WRITERS / 2} writers each, vs one Log`,
        value: Math.round(two),
        unit: 'entries/s',
        anchor: { name: `one Log, ${WRITERS} writers, same run`, value: Math.round(onPg) },
        ratio: Number((two / onPg).toFixed(2)),
        target: '≥ 20,000/s',
        met: two >= 20_000,
        note: `both together, first start to last end; ${(COUNT / 2).toLocaleString('en')} entries each; the two share the server's WAL, its fsyncs and the 2 cores with the bench`,
      },
    ];
  } finally {
    rmSync(root, { recursive: true, force: true });
    stop?.();
  }
};
