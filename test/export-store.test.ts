// `detente export --store postgres://… --arrangement ID`: the record of a server on
// PostgreSQL, exported from the database (read-only) while the server has stopped, and
// `detente verify` passes on the bundle; an arrangement with no schema there is an error,
// and nothing is written.
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { run as exportCli } from '../src/cli/export.ts';
import { run as verifyCli } from '../src/cli/verify.ts';
import { startServer } from '../src/server/start.ts';
import { captured } from './helpers/captured.ts';
import { testPostgres } from './helpers/postgres.ts';
import { BASE, exampleSource, ID, observation, STORY_START } from './helpers/server.ts';

const db = await testPostgres();

test('detente export --store reads the record from PostgreSQL; detente verify passes on the bundle', {
  skip: typeof db === 'string' ? db : undefined,
  timeout: 180_000,
}, async (t) => {
  if (typeof db === 'string') return;
  const url = await db.database();
  const out = mkdtempSync(join(tmpdir(), 'detente-export-store-'));
  t.after(() => rmSync(out, { recursive: true, force: true }));
  const started = Date.now();
  const s = await startServer({
    source: exampleSource(),
    store: url,
    port: 0,
    host: '127.0.0.1',
    deployment: 'test',
    now: () => STORY_START + (Date.now() - started),
  });
  t.after(() => s.stop());
  const token = s.deployment.tokens.undof;
  for (let i = 0; i < 5; i++) {
    const r = await fetch(new URL(`${BASE}/reports`, s.url), {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify(observation(`xs-${i}`, `sy-xs-${i}`, 'sy', { troops: 10 + i }, '2025-12-27T07:00:00Z')),
    });
    assert.equal(r.status, 202, await r.text());
  }
  await s.stop();
  const size = s.deployment.log.size;

  const bundle = join(out, 'bundle');
  const exported = await captured(() => exportCli(['--store', url, '--arrangement', ID, '--out', bundle, '--latest']));
  assert.equal(exported.code, 0, exported.text);
  assert.match(exported.text, new RegExp(`exported ${size} entries of detente/test/${ID}`));
  const verified = await captured(() => verifyCli([bundle, '--no-state']));
  assert.equal(verified.code, 0, verified.text);

  const missing = join(out, 'none');
  const wrong = await captured(() => exportCli(['--store', url, '--arrangement', 'no-such-arrangement', '--out', missing]));
  assert.notEqual(wrong.code, 0);
  assert.match(wrong.text, /--store postgres:\/\//);
  assert.ok(!existsSync(missing), 'nothing written');
  const usage = await captured(() => exportCli(['--store', url, '--out', missing]));
  assert.equal(usage.code, 2);
  assert.match(usage.text, /--store needs --arrangement ID/);
});
