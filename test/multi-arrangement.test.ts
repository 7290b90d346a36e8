// Several arrangements in one server (issue 12 part 4), on SQLite: southern Syria and
// Sinai 1979 side by side, each under its own id with its own log and origin; a token
// has a part in one arrangement only, and another arrangement answers it as if it did
// not exist; the token files (DIR/tokens.json the first's, DIR/tokens/<id>.json each
// one's); a revoked token is refused by the running server; a restart keeps both records.
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { run as serveCli } from '../src/cli/serve.ts';
import { run as tokensCli } from '../src/cli/tokens.ts';
import { loadArrangementSource } from '../src/arrangement/load.ts';
import { DeploymentRefused } from '../src/server/deployment.ts';
import type { Running } from '../src/server/start.ts';
import { call, SINAI, SINAI_ID, startTwo, SYRIA_ID, twoSources } from './helpers/multi.ts';
import { captured } from './helpers/captured.ts';
import { EXAMPLE } from './helpers/server.ts';

const tmp = () => mkdtempSync(join(tmpdir(), 'detente-multi-'));
const readJson = (p: string) => JSON.parse(readFileSync(p, 'utf8')) as Record<string, string>;
const issue = (id: string) => ({ id, title: `Issue ${id}` });

test('two arrangements in one server: each under its id, tokens per arrangement, a restart keeps both records', { timeout: 120_000 }, async (t) => {
  const dir = tmp();
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  let s: Running | undefined = await startTwo({ dataDir: dir });
  t.after(() => s?.stop());
  const syria = readJson(join(dir, 'tokens', `${SYRIA_ID}.json`));
  const sinai = readJson(join(dir, 'tokens', `${SINAI_ID}.json`));
  // tokens.json stays the first arrangement's, in the shape it always had.
  assert.deepEqual(readJson(join(dir, 'tokens.json')), syria);
  assert.deepEqual(Object.keys(sinai).sort(), ['eg', 'il', 'mfo', 'us']);
  assert.notEqual(syria.il, sinai.il, 'Israel in two arrangements: two tokens');
  assert.equal(s.tokensPaths[SINAI_ID], join(dir, 'tokens', `${SINAI_ID}.json`));

  // Each arrangement answers under its id, to its own tokens.
  const a = await call(s.url, syria.ru, 'GET', `/api/arrangements/${SYRIA_ID}`);
  assert.equal(a.status, 200);
  assert.equal(a.json.id, SYRIA_ID);
  const b = await call(s.url, sinai.us, 'GET', `/api/arrangements/${SINAI_ID}`);
  assert.equal(b.status, 200, JSON.stringify(b.json));
  assert.equal(b.json.id, SINAI_ID);

  // A token of one is refused on the other as an unknown arrangement would be: 404, naming nothing of it.
  for (const [token, other] of [
    [syria.ru, SINAI_ID],
    [sinai.us, SYRIA_ID],
  ]) {
    const r = await call(s.url, token, 'GET', `/api/arrangements/${other}/record/checkpoint`);
    assert.equal(r.status, 404, `${other}: ${JSON.stringify(r.json)}`);
    const unknown = await call(s.url, token, 'GET', `/api/arrangements/no-such-arrangement/record/checkpoint`);
    assert.equal(unknown.status, 404);
    assert.equal(r.json.error.replace(other, 'X'), unknown.json.error.replace('no-such-arrangement', 'X'), 'the same answer as for no arrangement at all');
    const tiles = await call(s.url, token, 'GET', `/log/${other}/checkpoint`);
    assert.equal(tiles.status, 404);
  }
  // Writes too: Egypt's token cannot act in southern Syria.
  assert.equal((await call(s.url, sinai.eg, 'POST', `/api/arrangements/${SYRIA_ID}/talks/issues`, issue('x'))).status, 404);

  // Who am I, and where: only the caller's own arrangements.
  const me = await call(s.url, sinai.mfo, 'GET', '/api/me');
  assert.equal(me.status, 200);
  assert.equal(me.json.id, 'mfo');
  assert.equal(me.json.arrangement, SINAI_ID);
  assert.deepEqual(me.json.arrangements, [
    { id: SINAI_ID, title: me.json.arrangements[0].title, actor: 'mfo', name: 'Multinational Force and Observers', role: 'observer' },
  ]);
  const list = await call(s.url, syria.undof, 'GET', '/api/arrangements');
  assert.deepEqual(
    list.json.arrangements.map((x: { id: string; actor: string; role: string }) => [x.id, x.actor, x.role]),
    [[SYRIA_ID, 'undof', 'observer']],
  );
  assert.equal((await call(s.url, undefined, 'GET', '/api/arrangements')).status, 401);

  // Each its own log and origin; an entry in each.
  assert.equal((await call(s.url, syria.ru, 'POST', `/api/arrangements/${SYRIA_ID}/talks/issues`, issue('syria-one'))).status, 201);
  assert.equal((await call(s.url, sinai.us, 'POST', `/api/arrangements/${SINAI_ID}/talks/issues`, issue('sinai-one'))).status, 201);
  const [d1, d2] = s.deployments;
  assert.equal(d1.origin, `detente/test/${SYRIA_ID}`);
  assert.equal(d2.origin, `detente/test/${SINAI_ID}`);
  assert.ok(existsSync(join(dir, 'record', SYRIA_ID, 'log.db')) && existsSync(join(dir, 'record', SINAI_ID, 'log.db')));
  const sizes = [d1.log.size, d2.log.size];
  const checkpoints = [
    (await call(s.url, syria.ru, 'GET', `/api/arrangements/${SYRIA_ID}/record/checkpoint`)).json as string,
    (await call(s.url, sinai.us, 'GET', `/api/arrangements/${SINAI_ID}/record/checkpoint`)).json as string,
  ];
  assert.ok(checkpoints[0].startsWith(`detente/test/${SYRIA_ID}\n`), checkpoints[0]);
  assert.ok(checkpoints[1].startsWith(`detente/test/${SINAI_ID}\n`), checkpoints[1]);

  // A restart keeps both records, their origins and their tokens.
  await s.stop();
  s = await startTwo({ dataDir: dir });
  assert.deepEqual(
    s.deployments.map((d) => d.log.size),
    sizes,
    'each record as it was',
  );
  assert.deepEqual(readJson(join(dir, 'tokens', `${SINAI_ID}.json`)), sinai);
  const issues = await call(s.url, sinai.us, 'GET', `/api/arrangements/${SINAI_ID}/talks`);
  assert.equal(issues.status, 200);
  assert.match(JSON.stringify(issues.json), /sinai-one/);
  assert.doesNotMatch(JSON.stringify(issues.json), /syria-one/);
});

test('a token revoked with detente tokens revoke is refused at once by the running server', { timeout: 60_000 }, async (t) => {
  const dir = tmp();
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const s = await startTwo({ dataDir: dir });
  t.after(() => s.stop());
  for (const [id, actor] of [
    [SINAI_ID, 'eg'],
    [SYRIA_ID, 'sy'],
  ]) {
    const old = readJson(join(dir, 'tokens', `${id}.json`))[actor];
    assert.equal((await call(s.url, old, 'GET', `/api/arrangements/${id}`)).status, 200);
    const out = await captured(() => tokensCli(['revoke', '--data', dir, '--arrangement', id, '--actor', actor]));
    assert.equal(out.code, 0, out.text);
    const fresh = readJson(join(dir, 'tokens', `${id}.json`))[actor];
    assert.notEqual(fresh, old);
    // The first arrangement's DIR/tokens.json follows.
    if (id === SYRIA_ID) assert.equal(readJson(join(dir, 'tokens.json'))[actor], fresh);
    await until(async () => (await call(s.url, old, 'GET', `/api/arrangements/${id}`)).status === 401, `${id}: the old token is refused`);
    assert.equal((await call(s.url, fresh, 'GET', `/api/arrangements/${id}`)).status, 200);
  }
  // The others' tokens are untouched.
  assert.equal((await call(s.url, readJson(join(dir, 'tokens', `${SINAI_ID}.json`)).us, 'GET', `/api/arrangements/${SINAI_ID}`)).status, 200);
  // A usage error (exit 2 through main), naming what is missing.
  const bad = await captured(() => tokensCli(['revoke', '--data', dir, '--arrangement', SINAI_ID, '--actor', 'nobody']));
  assert.equal(bad.code, 2);
  assert.match(bad.text, /no token of "nobody" in arrangement "sinai-1979"/);
});

test('one token listed in two arrangements has a part in each', { timeout: 60_000 }, async (t) => {
  const dir = tmp();
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  // The operator gives the United States' one person the same token in both.
  const shared = `dt_shared-${'x'.repeat(30)}`;
  mkdirSync(join(dir, 'tokens'), { recursive: true });
  writeFileSync(join(dir, 'tokens.json'), JSON.stringify({ us: shared }));
  writeFileSync(join(dir, 'tokens', `${SINAI_ID}.json`), JSON.stringify({ us: shared }));
  const s = await startTwo({ dataDir: dir });
  t.after(() => s.stop());
  const me = await call(s.url, shared, 'GET', '/api/me');
  assert.equal(me.json.id, 'us');
  assert.equal(me.json.role, 'guarantor', "the first arrangement's actor, as before");
  assert.deepEqual(
    me.json.arrangements.map((x: { id: string; role: string }) => [x.id, x.role]),
    [
      [SYRIA_ID, 'guarantor'],
      [SINAI_ID, 'mediator'],
    ],
  );
  // The role is the one of the arrangement in the URL: the mediator opens an issue in Sinai, the guarantor may not in Syria.
  assert.equal((await call(s.url, shared, 'POST', `/api/arrangements/${SINAI_ID}/talks/issues`, issue('by-us'))).status, 201);
  assert.equal((await call(s.url, shared, 'POST', `/api/arrangements/${SYRIA_ID}/talks/issues`, issue('by-us'))).status, 403);
});

test('the same arrangement twice, or a data directory of another first arrangement, is refused', { timeout: 60_000 }, async (t) => {
  const dir = tmp();
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const [syria] = twoSources();
  await assert.rejects(startTwo({ dataDir: dir, sources: [syria, loadArrangementSource(EXAMPLE)] }), (e: Error) => {
    assert.ok(e instanceof DeploymentRefused);
    assert.match(e.message, /southern-syria/);
    return true;
  });
  const cli = await captured(() => serveCli(['--arrangement', EXAMPLE, '--arrangement', SINAI, '--arrangement', EXAMPLE, '--data', dir, '--port', '0']));
  assert.equal(cli.code, 2);
  assert.ok(cli.text.split(EXAMPLE).length - 1 >= 2, `names both files: ${cli.text}`);
  assert.ok(!existsSync(join(dir, 'record')), 'nothing written');

  const s = await startTwo({ dataDir: dir });
  await s.stop();
  // The directory is southern Syria's: Sinai first would take its keys and tokens.
  const [, sinai] = twoSources();
  await assert.rejects(startTwo({ dataDir: dir, sources: [sinai, syria] }), /give --arrangement for "southern-syria" first/);
  // Sinai alone is refused as before: the directory holds another arrangement's record.
  await assert.rejects(startTwo({ dataDir: dir, sources: [sinai] }), DeploymentRefused);
});

async function until(check: () => Promise<boolean>, what: string, ms = 5_000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) assert.fail(`not within ${ms} ms: ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}
