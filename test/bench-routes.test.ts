// The mediator's bench on the server (GET/PUT …/talks/bench): the analysis is
// `detente analyze`'s for the same model; every other role is refused, and the refusal
// shows nothing of the model; a bad model is a 400 naming the field and changes nothing;
// a guarantor the arrangement names reads it; it survives a restart with --data.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { test } from 'node:test';
import { parse as parseYaml } from 'yaml';
import { parseArrangementSource } from '../src/arrangement/load.ts';
import { analyzeText } from '../src/cli/analyze.ts';
import { BenchFileError, readModelFile } from '../src/server/core/bench-store.ts';
import { DeploymentRefused } from '../src/server/deployment.ts';
import { startServer } from '../src/server/start.ts';
import { ACTORS, BASE, EXAMPLE, exampleSource, ID, json, startTestServer } from './helpers/server.ts';

const ROUND1 = new URL('../examples/southern-syria/bench.yaml', import.meta.url).pathname;
const ROUND2 = new URL('../examples/southern-syria/bench-round2.yaml', import.meta.url).pathname;
const model = (file: string) => parseYaml(readFileSync(file, 'utf8')) as Record<string, unknown>;

/** A model whose reservation values no other data of the example holds. */
const SECRET = { strip: 4.918273, troops: 713.4417 };
const secretModel = () => ({
  issues: [
    { id: 'strip-km', parties: { il: { position: 10, reservation: SECRET.strip, direction: 'more' }, sy: { position: 0, reservation: 6, direction: 'less' } } },
    {
      id: 'troops',
      parties: { il: { position: 1200, reservation: SECRET.troops, direction: 'more' }, sy: { position: 300, reservation: 600, direction: 'less' } },
    },
  ],
});

test("the mediator's bench: the analysis is detente analyze's; round 2 replaces round 1", async () => {
  const s = await startTestServer({ web: false });
  try {
    assert.deepEqual(await json(await s.as('ru', 'GET', `${BASE}/talks/bench`), 200), { model: null, analysis: null });
    for (const file of [ROUND1, ROUND2]) {
      const put = await json(await s.as('ru', 'PUT', `${BASE}/talks/bench`, model(file)), 200);
      const got = await json(await s.as('ru', 'GET', `${BASE}/talks/bench`), 200);
      const cli = analyzeText(readFileSync(file, 'utf8'), file);
      assert.equal(cli.code, 0, cli.stderr);
      assert.deepEqual(got.analysis, JSON.parse(cli.stdout), `${file}: the analysis is the command's`);
      assert.deepEqual(got.model, model(file), `${file}: the model as put`);
      assert.deepEqual(put, got);
    }
  } finally {
    await s.destroy();
  }
});

test('every role but the mediator is refused both routes (403), and the refusal carries nothing of the model', async () => {
  const s = await startTestServer({ web: false });
  try {
    await json(await s.as('ru', 'PUT', `${BASE}/talks/bench`, secretModel()), 200);
    for (const a of ACTORS.filter((x) => x !== 'ru')) {
      const get = await s.as(a, 'GET', `${BASE}/talks/bench`);
      assert.equal(get.statusCode, 403, `${a} GET: ${get.body}`);
      const put = await s.as(a, 'PUT', `${BASE}/talks/bench`, { issues: [] });
      assert.equal(put.statusCode, 403, `${a} PUT: ${put.body}`);
      for (const v of Object.values(SECRET)) assert.ok(!get.body.includes(String(v)) && !put.body.includes(String(v)), `${a} was shown ${v}`);
    }
    // A party's PUT changed nothing.
    assert.deepEqual((await json(await s.as('ru', 'GET', `${BASE}/talks/bench`), 200)).model, secretModel());
  } finally {
    await s.destroy();
  }
});

test('a bad model is a 400 naming each bad field as detente analyze does, and the bench keeps its model', async () => {
  const s = await startTestServer({ web: false });
  try {
    await json(await s.as('ru', 'PUT', `${BASE}/talks/bench`, model(ROUND1)), 200);
    const bad = { ...model(ROUND1), frontier: { disagreement: [0, 0], curve: 'sqrt(1 - ' } };
    const m = model(ROUND1) as { issues: { parties: { il: { reservation: unknown } } }[] };
    m.issues[1].parties.il.reservation = 'eight hundred';
    (bad as Record<string, unknown>).issues = m.issues;
    const res = await json(await s.as('ru', 'PUT', `${BASE}/talks/bench`, bad), 400);
    const cli = analyzeText(JSON.stringify(bad), 'MODEL');
    assert.equal(cli.code, 2);
    const fromCli = cli.stderr
      .trim()
      .split('\n')
      .map((l) => l.replace(/^MODEL: /, ''));
    assert.deepEqual(
      res.issues.map((i: { path: string; message: string }) => `${i.path}: ${i.message}`),
      fromCli,
    );
    assert.ok(
      res.issues.some((i: { path: string }) => i.path === 'issues[1].parties.il.reservation'),
      res.body,
    );
    assert.ok(
      res.issues.some((i: { path: string }) => i.path === 'frontier.curve'),
      res.body,
    );
    const unknownKey = await json(await s.as('ru', 'PUT', `${BASE}/talks/bench`, { issues: [], oracle: 1 }), 400);
    assert.deepEqual(unknownKey.issues[0].path, 'oracle');
    // More than a request may compute: refused before any work, naming the field.
    const crowd = Array.from({ length: 101 }, (_, i) => ({ id: `s${i}`, position: { x: i }, salience: { x: 0.5 }, capability: 1 }));
    const tooMany = await json(await s.as('ru', 'PUT', `${BASE}/talks/bench`, { stakeholders: crowd }), 400);
    assert.deepEqual(tooMany.issues, [{ path: 'stakeholders', message: 'at most 100 stakeholders on a server' }]);
    assert.deepEqual((await json(await s.as('ru', 'GET', `${BASE}/talks/bench`), 200)).model, model(ROUND1));
  } finally {
    await s.destroy();
  }
});

test("a guarantor the arrangement names reads the bench but does not write it; a party named there is refused by the file's check", async () => {
  const text = readFileSync(EXAMPLE, 'utf8');
  const source = parseArrangementSource(`${text}\nbench: [us]\n`, { file: EXAMPLE, baseDir: dirname(EXAMPLE) });
  assert.throws(() => parseArrangementSource(`${text}\nbench: [il]\n`, { file: EXAMPLE, baseDir: dirname(EXAMPLE) }), /bench\[0\]: only a guarantor/);
  const s = await startTestServer({ web: false, source });
  try {
    await json(await s.as('ru', 'PUT', `${BASE}/talks/bench`, model(ROUND1)), 200);
    assert.deepEqual((await json(await s.as('us', 'GET', `${BASE}/talks/bench`), 200)).model, model(ROUND1));
    assert.equal((await s.as('us', 'PUT', `${BASE}/talks/bench`, model(ROUND2))).statusCode, 403);
    for (const a of ['il', 'sy', 'undof', 'tr']) assert.equal((await s.as(a, 'GET', `${BASE}/talks/bench`)).statusCode, 403, a);
  } finally {
    await s.destroy();
  }
});

test('the bench survives a restart with --data, outside the record; --bench replaces it; a bad stored bench refuses to start', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'detente-bench-'));
  const start = (bench?: unknown) => startServer({ source: exampleSource(), dataDir: dir, port: 0, host: '127.0.0.1', deployment: 'test', bench });
  const call = async (server: Awaited<ReturnType<typeof start>>, method: string, body?: unknown) => {
    const res = await fetch(new URL(`${BASE}/talks/bench`, server.url), {
      method,
      headers: { authorization: `Bearer ${server.deployment.tokens.ru}`, ...(body ? { 'content-type': 'application/json' } : {}) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    assert.equal(res.status, 200);
    return (await res.json()) as { model: unknown };
  };
  try {
    let server = await start();
    try {
      await call(server, 'PUT', secretModel());
    } finally {
      await server.stop();
    }
    const stored = join(dir, 'record', ID, 'bench.json');
    assert.deepEqual(JSON.parse(readFileSync(stored, 'utf8')), secretModel());
    server = await start();
    try {
      assert.deepEqual((await call(server, 'GET')).model, secretModel());
      // Not in the record: no entry holds a reservation value.
      for (let i = 0; i < server.deployment.log.size; i++) {
        const entry = Buffer.from(await server.deployment.log.entry(i)).toString('utf8');
        assert.ok(!entry.includes(String(SECRET.troops)), `entry ${i}`);
      }
    } finally {
      await server.stop();
    }
    server = await start(readModelFile(ROUND2));
    try {
      assert.deepEqual((await call(server, 'GET')).model, model(ROUND2));
    } finally {
      await server.stop();
    }
    writeFileSync(stored, JSON.stringify({ issues: [{ id: 'x', parties: { il: { position: 1, reservation: 'low', direction: 'more' } } }] }));
    await assert.rejects(
      start(),
      (e: Error) => e instanceof DeploymentRefused && /bench\.json: issues\[0\]\.parties: expected an object with at least two parties/.test(e.message),
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('readModelFile (serve --bench, demo --bench) names the file and each bad field', () => {
  const dir = mkdtempSync(join(tmpdir(), 'detente-bench-file-'));
  try {
    const f = join(dir, 'b.yaml');
    writeFileSync(f, 'stakeholders:\n  - { id: a, position: { x: 1 }, salience: { x: 2 }, capability: 0 }\n');
    assert.throws(
      () => readModelFile(f),
      (e: Error) =>
        e instanceof BenchFileError &&
        e.message ===
          `${f}: stakeholders[0].salience.x: expected a salience in [0, 1]\n${f}: stakeholders[0].capability: expected a capability > 0\n${f}: stakeholders: issue "x": every stakeholder's salience on it is 0`,
    );
    assert.throws(() => readModelFile(join(dir, 'none.yaml')), /none\.yaml: cannot read: ENOENT/);
    assert.deepEqual(readModelFile(ROUND1), model(ROUND1));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
