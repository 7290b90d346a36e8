// The record's log over the PostgreSQL store: what the log relies on a store for, end to
// end (reopening, replays refused after a restart, proofs), and an alteration made in the
// database behind the log's back found by the stored-record check.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import pg from 'pg';
import { checkStore } from '../src/record/check-stored.ts';
import { RecordError } from '../src/record/errors.ts';
import { openLog } from '../src/record/log.ts';
import { leafHash, verifyInclusion } from '../src/record/merkle.ts';
import { PgLogStore } from '../src/store/postgres/pg-log-store.ts';
import { testPostgres } from './helpers/postgres.ts';
import { makeEntries, newSigner, ORIGIN } from './helpers/record-fixtures.ts';

const db = await testPostgres();
const skip = typeof db === 'string' ? db : undefined;
const logSigner = newSigner(ORIGIN);
const authors = [newSigner('il'), newSigner('sy')];
const entries = makeEntries(600, authors);

async function open(schema: string) {
  if (typeof db === 'string') throw new Error(db);
  return openLog({ store: await PgLogStore.open({ url: db.url, schema }), origin: ORIGIN, logSigner, checkpointIntervalMs: 0 });
}

test('log on PostgreSQL: the tree survives reopening past tile boundaries, replays stay refused, proofs verify', { skip }, async () => {
  if (typeof db === 'string') return;
  const schema = db.schema();
  let log = await open(schema);
  try {
    await Promise.all(entries.slice(0, 300).map((e) => log.append(e)));
  } finally {
    await log.close();
  }
  log = await open(schema);
  try {
    assert.equal(log.size, 300);
    await assert.rejects(log.append(entries[5]), (e) => e instanceof RecordError && /already/.test(e.message));
    await Promise.all(entries.slice(300).map((e) => log.append(e)));
    assert.equal(log.size, 600);
    const root = log.root();
    for (const i of [0, 255, 256, 511, 599]) {
      const proof = await log.inclusionProof(i, 600);
      assert.ok(verifyInclusion(i, 600, leafHash(await log.entry(i)), proof, root), `entry ${i} is included`);
    }
  } finally {
    await log.close();
  }
  const store = await PgLogStore.open({ url: db.url, schema });
  try {
    assert.equal(await checkStore(store), undefined);
  } finally {
    await store.close();
  }
});

test('log on PostgreSQL: an entry altered in the database is found by the stored-record check', { skip }, async () => {
  if (typeof db === 'string') return;
  const schema = db.schema();
  const log = await open(schema);
  await Promise.all(entries.slice(0, 40).map((e) => log.append(e)));
  await log.close();
  const c = new pg.Client({ connectionString: db.url });
  await c.connect();
  try {
    await c.query(`UPDATE ${schema}.entries SET data = $1 WHERE idx = 17`, [Buffer.from(entries[100])]);
  } finally {
    await c.end();
  }
  const store = await PgLogStore.open({ url: db.url, schema });
  try {
    const problem = await checkStore(store);
    assert.ok(problem, 'the alteration is found');
    assert.equal(problem.index, 17);
  } finally {
    await store.close();
  }
});
