// The PostgreSQL store against a real server (test/helpers/postgres.ts): the contract every
// store passes, then what only a shared database adds: two writers on one log, migrations.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import pg from 'pg';
import { PgLogStore } from '../src/store/postgres/pg-log-store.ts';
import { MIGRATIONS, SchemaTooNewError } from '../src/store/postgres/migrations.ts';
import { schemaFor } from '../src/store/postgres/schema-name.ts';
import { batch, storeContract } from './helpers/store-contract.ts';
import { testPostgres } from './helpers/postgres.ts';

const db = await testPostgres();
const skip = typeof db === 'string' ? db : undefined;
const open = (schema: string, readonly = false) => {
  if (typeof db === 'string') throw new Error(db);
  return PgLogStore.open({ url: db.url, schema, readonly });
};
const fresh = () => (typeof db === 'string' ? '' : db.schema());

storeContract('postgres', () => open(fresh()), skip);

test('postgres: two stores on one log never interleave; the loser of a race fails whole', { skip }, async () => {
  const schema = fresh();
  const a = await open(schema);
  const b = await open(schema);
  try {
    await a.append(batch(0, 1));
    for (let round = 0; round < 20; round++) {
      const first = (await a.load()).size;
      const ids = (k: number) =>
        Array.from({ length: 3 }, (_, i) => Uint8Array.from({ length: 16 }, (_, j) => (j === 0 ? 100 + k : j === 1 ? round : j === 2 ? i : 0)));
      const results = await Promise.allSettled([a.append(batch(first, 3, { statementIds: ids(0) })), b.append(batch(first, 3, { statementIds: ids(1) }))]);
      assert.equal(results.filter((r) => r.status === 'fulfilled').length, 1, `round ${round}: exactly one writer wins`);
      const lost = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
      assert.match(String(lost.reason), /another writer\?|already stored/);
      assert.equal((await b.load()).size, first + 3);
    }
    const all = await a.readEntries(0, (await a.load()).size);
    assert.equal(all.length, 61);
  } finally {
    await a.close();
    await b.close();
  }
});

test('postgres: migrations are recorded, applied once even by nodes starting together, and a newer schema is refused', { skip }, async () => {
  if (typeof db === 'string') return;
  const schema = fresh();
  const stores = await Promise.all([open(schema), open(schema), open(schema)]);
  for (const s of stores) await s.close();
  const c = new pg.Client({ connectionString: db.url });
  await c.connect();
  try {
    const applied = await c.query(`SELECT version FROM ${schema}.schema_migrations ORDER BY version`);
    assert.deepEqual(
      applied.rows.map((r) => r.version),
      MIGRATIONS.map((m) => m.version),
    );
    await c.query(`INSERT INTO ${schema}.schema_migrations (version, name) VALUES (999, 'from the future')`);
  } finally {
    await c.end();
  }
  await assert.rejects(open(schema), (e) => e instanceof SchemaTooNewError && /schema version 999, newer than this program knows/.test(e.message));
  await assert.rejects(open(schema, true), SchemaTooNewError);
  // Read-only opens neither create nor migrate.
  await assert.rejects(open(fresh(), true), /holds no log/);
});

test('postgres: the location names the server and schema, never the password', { skip }, async () => {
  if (typeof db === 'string') return;
  const u = new URL(db.url);
  u.password = 'hunter2';
  const store = await PgLogStore.open({ url: u.toString(), schema: fresh() }).catch(() => undefined);
  // trust authentication ignores the password; where it is checked the open fails, and the test is about the text
  if (store) {
    assert.doesNotMatch(store.location, /hunter2/);
    assert.match(store.location, /schema t_/);
    await store.close();
  }
});

test('schema names: one per arrangement, valid identifiers, distinct for distinct ids', () => {
  assert.equal(schemaFor('southern_syria'), 'detente_southern_syria');
  const a = schemaFor('southern-syria');
  const b = schemaFor('southern_Syria');
  assert.match(a, /^detente_southern_syria_[0-9a-f]{8}$/);
  assert.notEqual(a, b);
  assert.notEqual(a, 'detente_southern_syria');
  assert.ok(schemaFor('x'.repeat(200)).length <= 63);
});
