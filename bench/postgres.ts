// Durable appends on PostgreSQL through the product's path (the record's Log, group
// commit, one transaction per batch over the sequencing row), 256 concurrent writers;
// beside the SQLite store in the same run and raw batched INSERTs of the same entries
// into the same database (the physical floor: no Merkle tiles, no statement ids, no
// sequencing row). Ratios only: the machine is shared. Uses DETENTE_BENCH_PG or
// DETENTE_TEST_PG when set (a URL), else a private cluster it starts and stops.
// Published anchors: Trillian on MySQL 400–500/s, Tessera's MySQL backend ~300/s.

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { openLog } from '../src/record/log.ts';
import { generateKey, parseSignerKey, type Signer } from '../src/record/keys.ts';
import { buildEntry } from '../src/record/statement.ts';
import { openSqliteLog } from '../src/store/open-log.ts';
import { PgLogStore } from '../src/store/postgres/pg-log-store.ts';
import { binDir, startCluster } from '../test/helpers/pg-cluster.ts';
import type { Suite } from './harness.ts';

const ORIGIN = 'detente/bench/southern-syria';
const COUNT = 60_000;
const WRITERS = 256;
/** rows per raw INSERT: about the batch the log's group commit reaches under 256 writers */
const RAW_BATCH = 256;

function entries(count: number, authors: Signer[], tag: string): Uint8Array[] {
  const base = Date.now();
  return Array.from({ length: count }, (_, i) =>
    buildEntry(authors[i % authors.length], {
      type: 'monitor.report',
      arrangement: 'southern-syria',
      body: { unit: `u-${tag}-${i}`, at: [35.8123, 33.0541], assets: { troops: 120 } },
      time: new Date(base + i).toISOString(),
    }),
  );
}

async function through(log: Awaited<ReturnType<typeof openLog>>, list: Uint8Array[]): Promise<number> {
  let next = 0;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: WRITERS }, async () => {
      while (next < list.length) await log.append(list[next++]);
    }),
  );
  const rate = (list.length * 1000) / (performance.now() - t0);
  await log.close();
  return rate;
}

/** The same bytes as plain rows, one autocommitted INSERT of `batch` rows at a time: what the disk and server allow. */
async function rawInserts(url: string, list: Uint8Array[], batch: number): Promise<number> {
  const c = new pg.Client({ connectionString: url, options: '-c synchronous_commit=on' });
  await c.connect();
  try {
    await c.query('DROP TABLE IF EXISTS bench_raw; CREATE TABLE bench_raw (idx bigint PRIMARY KEY, data bytea NOT NULL)');
    const t0 = performance.now();
    for (let i = 0; i < list.length; i += batch) {
      const part = list.slice(i, i + batch);
      // Packed as the store packs them (one binary bytea and offsets): the fastest form found.
      const lengths = part.map((e) => e.length);
      const offsets = lengths.map((_, k) => 1 + lengths.slice(0, k).reduce((x, y) => x + y, 0));
      await c.query(
        'INSERT INTO bench_raw SELECT $1::bigint + t.i - 1, substring($2::bytea FROM t.o FOR t.l) FROM unnest($3::int[], $4::int[]) WITH ORDINALITY AS t(o, l, i)',
        [i, Buffer.concat(part), offsets, lengths],
      );
    }
    const rate = (list.length * 1000) / (performance.now() - t0);
    await c.query('DROP TABLE bench_raw');
    return rate;
  } finally {
    await c.end();
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
    const onSqlite = await through(await openSqliteLog({ ...opts, dir: join(root, 'sqlite') }), entries(COUNT, authors, 'sqlite'));
    const raw = await rawInserts(url, entries(COUNT, authors, 'raw'), RAW_BATCH);
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
        case: `durable appends through the Log, ${WRITERS} writers, vs raw batched INSERT into the same database`,
        value: Math.round(onPg),
        unit: 'entries/s',
        anchor: { name: `raw INSERT, ${RAW_BATCH} rows per COMMIT`, value: Math.round(raw) },
        ratio: Number((onPg / raw).toFixed(2)),
        note: 'the floor writes only the entries; the log also writes statement ids, tiles and the sequencing row',
      },
    ];
  } finally {
    rmSync(root, { recursive: true, force: true });
    stop?.();
  }
};
