// Migration 2 (statement ids as uuid) on a schema written by version 1: the stored ids
// keep naming their entries, a replay of one is still refused whole, and appends go on.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import pg from 'pg';
import { DuplicateStatementError } from '../src/record/log-store.ts';
import { MIGRATIONS, migrate } from '../src/store/postgres/migrations.ts';
import { PgLogStore } from '../src/store/postgres/pg-log-store.ts';
import { testPostgres } from './helpers/postgres.ts';
import { batch, statementId } from './helpers/store-contract.ts';

const db = await testPostgres();
const skip = typeof db === 'string' ? db : undefined;

test('postgres: a version-1 schema migrates its statement ids; lookups and replays behave as before', { skip }, async () => {
  if (typeof db === 'string') return;
  const schema = db.schema();
  // Ids as version 1 stored them: bytea, with a byte in every position set.
  const old = Array.from({ length: 3 }, (_, k) => Uint8Array.from({ length: 16 }, (_, i) => (i * 17 + k) % 256));
  const c = new pg.Client({ connectionString: db.url });
  await c.connect();
  try {
    await migrate(c, schema, 'test', MIGRATIONS.slice(0, 1));
    await c.query(`INSERT INTO ${schema}.statements (id, idx) SELECT * FROM unnest($1::bytea[], $2::bigint[])`, [old.map((b) => Buffer.from(b)), [0, 1, 2]]);
    await c.query(`INSERT INTO ${schema}.entries (idx, data) VALUES (0, 'a'), (1, 'b'), (2, 'c')`);
    await c.query(`UPDATE ${schema}.sequencer SET size = 3`);
  } finally {
    await c.end();
  }
  const store = await PgLogStore.open({ url: db.url, schema });
  try {
    assert.deepEqual(await store.findStatements([old[2], statementId(200), old[0]]), [2, undefined, 0]);
    await assert.rejects(store.append(batch(3, 2, { statementIds: [statementId(201), old[1]] })), (e) => e instanceof DuplicateStatementError);
    assert.equal((await store.load()).size, 3, 'the refused batch wrote nothing');
    await store.append(batch(3, 2, { statementIds: [statementId(201), statementId(202)] }));
    assert.deepEqual(await store.findStatements([statementId(202), old[1]]), [4, 1]);
    await assert.rejects(store.append(batch(5, 1, { statementIds: [new Uint8Array(8)] })), /statement id is 8 bytes, not 16/);
  } finally {
    await store.close();
  }
});
