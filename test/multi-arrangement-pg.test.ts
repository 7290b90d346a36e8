// Several arrangements on PostgreSQL: both examples in one database, each its own schema
// (its record, keys and tokens); a token of one is refused on the other; with --data
// the token files are written as on SQLite; a restart serves both records as they were.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import pg from 'pg';
import type { Running } from '../src/server/start.ts';
import { schemaFor } from '../src/store/postgres/schema-name.ts';
import { call, SINAI_ID, startTwo, SYRIA_ID } from './helpers/multi.ts';
import { testPostgres } from './helpers/postgres.ts';

const db = await testPostgres();

async function tokensIn(url: string, id: string): Promise<Record<string, string>> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    const rows = (await c.query<{ value: string }>(`SELECT value FROM ${schemaFor(id)}.secrets WHERE name = 'tokens'`)).rows;
    return JSON.parse(rows[0].value) as Record<string, string>;
  } finally {
    await c.end();
  }
}

test('two arrangements in one PostgreSQL database: a schema each, tokens per arrangement, a restart keeps both', {
  skip: typeof db === 'string' ? db : undefined,
  timeout: 180_000,
}, async (t) => {
  if (typeof db === 'string') return;
  const url = await db.database();
  const dir = mkdtempSync(join(tmpdir(), 'detente-multi-pg-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  let s: Running | undefined = await startTwo({ store: url, dataDir: dir });
  t.after(() => s?.stop());
  const syria = await tokensIn(url, SYRIA_ID);
  const sinai = await tokensIn(url, SINAI_ID);
  assert.deepEqual(Object.keys(sinai).sort(), ['eg', 'il', 'mfo', 'us']);
  // With --data the files are copies of the database's.
  assert.deepEqual(JSON.parse(readFileSync(join(dir, 'tokens.json'), 'utf8')), syria);
  assert.deepEqual(JSON.parse(readFileSync(join(dir, 'tokens', `${SINAI_ID}.json`), 'utf8')), sinai);

  assert.equal((await call(s.url, syria.ru, 'POST', `/api/arrangements/${SYRIA_ID}/talks/issues`, { id: 'pg-syria', title: 'S' })).status, 201);
  assert.equal((await call(s.url, sinai.us, 'POST', `/api/arrangements/${SINAI_ID}/talks/issues`, { id: 'pg-sinai', title: 'S' })).status, 201);
  assert.equal((await call(s.url, syria.ru, 'GET', `/api/arrangements/${SINAI_ID}/talks`)).status, 404);
  assert.equal((await call(s.url, sinai.us, 'GET', `/api/arrangements/${SYRIA_ID}/talks`)).status, 404);
  const sizes = s.deployments.map((d) => d.log.size);
  assert.deepEqual(
    s.deployments.map((d) => d.origin),
    [`detente/test/${SYRIA_ID}`, `detente/test/${SINAI_ID}`],
  );

  await s.stop();
  s = await startTwo({ store: url });
  assert.deepEqual(
    s.deployments.map((d) => d.log.size),
    sizes,
  );
  const talks = await call(s.url, sinai.us, 'GET', `/api/arrangements/${SINAI_ID}/talks`);
  assert.equal(talks.status, 200);
  assert.match(JSON.stringify(talks.json), /pg-sinai/);
  assert.doesNotMatch(JSON.stringify(talks.json), /pg-syria/);
  assert.match(s.tokensPaths[SINAI_ID], new RegExp(`schema ${schemaFor(SINAI_ID)}`));
});
