// `detente serve --store postgres://…` as an operator runs it, with no data directory:
// reports are accepted and durable, the keys and tokens are in the database, a restart
// serves the same checkpoint the first run signed on stopping, and the stored record
// verifies against it. (detente export/verify read a data directory only: not built for
// PostgreSQL yet, so the record is checked here through the store.)

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import pg from 'pg';
import { checkStore } from '../src/record/check-stored.ts';
import { PgLogStore } from '../src/store/postgres/pg-log-store.ts';
import { schemaFor } from '../src/store/postgres/schema-name.ts';
import { testPostgres } from './helpers/postgres.ts';
import { BASE, EXAMPLE, ID, observation } from './helpers/server.ts';

const ROOT = new URL('..', import.meta.url).pathname;
const db = await testPostgres();

interface Served {
  child: ChildProcess;
  url: string;
  exited: Promise<number | null>;
}

function serve(store: string): Promise<Served> {
  const child = spawn(process.execPath, ['bin/detente.js', 'serve', '--arrangement', EXAMPLE, '--store', store, '--custodial', 'all', '--port', '0'], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stderr!.on('data', (c) => (err += c));
  const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
  return new Promise((resolve, reject) => {
    child.stdout!.on('data', (c) => {
      out += c;
      const m = /at (http:\/\/\S+)/.exec(out);
      if (m) resolve({ child, url: m[1].replace(/\/$/, ''), exited });
    });
    child.on('exit', (code) => reject(new Error(`detente serve exited (${code}): ${err}`)));
  });
}

async function query<T extends pg.QueryResultRow>(url: string, sql: string): Promise<T[]> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    return (await c.query<T>(sql)).rows;
  } finally {
    await c.end();
  }
}

test('detente serve --store postgres://: reports are kept, a restart serves the same checkpoint, the record verifies', {
  skip: typeof db === 'string' ? db : undefined,
  timeout: 180_000,
}, async () => {
  if (typeof db === 'string') return;
  const url = await db.database();
  const schema = schemaFor(ID);
  let s = await serve(url);
  let signed: string;
  try {
    const [{ value }] = await query<{ value: string }>(url, `SELECT value FROM ${schema}.secrets WHERE name = 'tokens'`);
    const tokens = JSON.parse(value) as Record<string, string>;
    const as = (actor: string, method: string, path: string, body?: unknown) =>
      fetch(s.url + path, {
        method,
        headers: { authorization: `Bearer ${tokens[actor]}`, ...(body ? { 'content-type': 'application/json' } : {}) },
        body: body ? JSON.stringify(body) : undefined,
      });
    for (let i = 0; i < 12; i++) {
      const r = await as('undof', 'POST', `${BASE}/reports`, observation(`pg-${i}`, `sy-pg-${i}`, 'sy', { troops: 10 + i }, '2025-12-27T07:00:00Z'));
      assert.equal(r.status, 202, await r.text());
    }
    const before = (await query<{ size: number }>(url, `SELECT size FROM ${schema}.sequencer`))[0].size;
    assert.ok(Number(before) >= 13, `the genesis and 12 reports are in PostgreSQL (${before})`);
    s.child.kill('SIGTERM');
    assert.equal(await s.exited, 0);
    [{ note: signed }] = await query<{ note: string }>(url, `SELECT note FROM ${schema}.checkpoint`);

    s = await serve(url);
    const r = await as('undof', 'GET', `${BASE}/record/checkpoint`);
    assert.equal(r.status, 200);
    assert.equal(await r.text(), signed, 'the restarted server serves the checkpoint the first run signed');
  } finally {
    s.child.kill('SIGTERM');
    await s.exited;
  }
  const store = await PgLogStore.open({ url, schema, readonly: true });
  try {
    assert.equal(await checkStore(store), undefined, 'the stored record verifies against its checkpoint');
    assert.equal((await store.load()).checkpoint?.note, signed);
  } finally {
    await store.close();
  }
});

test('detente serve --store: not a postgres URL is a usage error (exit 2), an unreachable server a refusal (exit 2)', async () => {
  const run = (store: string) =>
    new Promise<{ code: number | null; err: string }>((resolve) => {
      const c = spawn(process.execPath, ['bin/detente.js', 'serve', '--arrangement', EXAMPLE, '--store', store, '--port', '0'], {
        cwd: ROOT,
        stdio: ['ignore', 'ignore', 'pipe'],
      });
      let err = '';
      c.stderr.on('data', (d) => (err += d));
      c.on('exit', (code) => resolve({ code, err }));
    });
  const bad = await run('mysql://x@y/z');
  assert.equal(bad.code, 2);
  assert.match(bad.err, /--store: mysql:\/\/x@y\/z: not a postgres:\/\/ URL/);
  const away = await run('postgres://nobody:secret@127.0.0.1:1/none');
  assert.equal(away.code, 2, away.err);
  assert.match(away.err, /--store postgres:\/\/nobody:\*\*\*@127\.0\.0\.1:1\/none: /);
  assert.doesNotMatch(away.err, /secret/);
});
