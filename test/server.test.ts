// The server end to end: a whole talks session, reports through the engine, the
// record's routes, and a restart that must rebuild the same state from the record.
import assert from 'node:assert/strict';
import { signSealed } from './helpers/sealed-reports.ts';
import { json } from './helpers/server.ts';
import { test } from 'node:test';
import { verifyInclusion, leafHash, decodeBase64, openCheckpoint, parseVerifierKey, parseEntry, verifyEntry } from '../src/record/index.ts';
import { signStatement, type Statement } from '../src/record/statement.ts';
import { canonicalBytes, encodeBase64, verifyDisclosure } from '../src/record/index.ts';
import { readSignerKeyFile } from '../src/record/key-file.ts';
import { BASE, observation, session, startTestServer } from './helpers/server.ts';
import { join } from 'node:path';

const T0 = '2025-12-27T07:00:00Z';

test('a talks session: order enforced, approval only when all accept, the announced rules come into force', async () => {
  const s = await startTestServer();
  try {
    // Wrong role is 403, wrong order 409, unknown things 404, bad shapes 400 with the path.
    await json(await s.as('il', 'POST', `${BASE}/talks/drafts`, { clauses: [{ id: 'c1', text: 'x' }] }), 403);
    await json(await s.as('us', 'POST', `${BASE}/talks/approval`, { draft: 1 }), 404);
    const bad = await json(
      await s.as('ru', 'POST', `${BASE}/talks/drafts`, {
        clauses: [{ id: 'c1', text: 'x', rules: [{ id: 'r1', kind: 'limit', zone: 'nowhere', actor: 'sy', asset: 'tanks', max: 1 }] }],
      }),
      400,
    );
    assert.ok(
      bad.issues.some((i: { path: string }) => i.path === 'clauses[0].rules[0].zone'),
      JSON.stringify(bad.issues),
    );
    const typed = await json(await s.as('il', 'POST', `${BASE}/talks/submissions`, { text: 7 }), 400);
    assert.equal(typed.issues[0].path, 'text');

    // Before the text is announced, the clause's rule is not in force.
    await json(await s.as('undof', 'POST', `${BASE}/reports`, observation('o-1', 'sy-tank-1', 'sy', { tanks: 3 }, T0)), 202);
    let findings = await json(await s.as('ru', 'GET', `${BASE}/findings`), 200);
    assert.ok(!findings.some((f: { rule: string }) => f.rule === 'r-t-aos-tanks'));

    await json(await s.as('ru', 'POST', `${BASE}/talks/issues`, { id: 'buffer-width', title: 'Width', numeric: { unit: 'km' } }), 201);
    const clauses = [
      { id: 'c1', text: 'The parties respect the 1974 lines.' },
      {
        id: 'c2',
        text: 'No Syrian tanks in the Area of Separation.',
        rules: [{ id: 'r-t-aos-tanks', kind: 'limit', zone: 'aos', actor: 'sy', asset: 'tanks', max: 0 }],
      },
    ];
    const d1 = await json(await s.as('ru', 'POST', `${BASE}/talks/drafts`, { clauses }), 201);
    await json(await s.as('il', 'POST', `${BASE}/talks/stances`, { draft: d1.version, clause: 'c1', stance: 'accept' }), 201);
    await json(await s.as('il', 'POST', `${BASE}/talks/stances`, { draft: d1.version, clause: 'c2', stance: 'accept' }), 201);
    await json(await s.as('sy', 'POST', `${BASE}/talks/stances`, { draft: d1.version, clause: 'c1', stance: 'accept' }), 201);
    await json(await s.as('sy', 'POST', `${BASE}/talks/stances`, { draft: d1.version, clause: 'c2', stance: 'reserve', note: 'strip width first' }), 201);
    const refused = await json(await s.as('us', 'POST', `${BASE}/talks/approval`, { draft: d1.version }), 409);
    assert.match(refused.error, /sy/);
    await json(await s.as('ru', 'POST', `${BASE}/talks/announcement`, { draft: d1.version }), 409);

    const gap = await json(await s.as('ru', 'GET', `${BASE}/talks/gap`), 200);
    assert.ok(JSON.stringify(gap).includes('reserve'));

    await json(await s.as('sy', 'POST', `${BASE}/talks/stances`, { draft: d1.version, clause: 'c2', stance: 'accept' }), 201);
    await json(await s.as('us', 'POST', `${BASE}/talks/approval`, { draft: d1.version }), 201);
    await json(await s.as('ru', 'POST', `${BASE}/talks/announcement`, { draft: d1.version }), 201);
    await json(await s.as('ru', 'POST', `${BASE}/talks/drafts`, { clauses }), 409);

    // The rule is in force: the unit already there is judged at the announcement, and a new one too.
    await json(await s.as('undof', 'POST', `${BASE}/reports`, observation('o-2', 'sy-tank-2', 'sy', { tanks: 2 }, '2025-12-27T07:01:00Z')), 202);
    findings = await json(await s.as('us', 'GET', `${BASE}/findings`), 200);
    const opened = findings.filter((f: { rule: string; state: string }) => f.rule === 'r-t-aos-tanks' && f.state === 'open');
    assert.equal(opened.length, 1, JSON.stringify(findings));
    const open = await json(await s.as('sy', 'GET', `${BASE}/findings?open=true`), 200);
    // Opened at the announcement, by no report, on the posture then (3 tanks); still open with 5.
    const lim = open.find((f: { rule: string }) => f.rule === 'r-t-aos-tanks');
    assert.equal(lim.observed, 3);
    assert.equal(lim.report, undefined);

    const arr = await json(await s.as('tr', 'GET', BASE), 200);
    assert.ok(arr.rules.some((r: { id: string; from_text?: { clause: string } }) => r.id === 'r-t-aos-tanks' && r.from_text?.clause === 'c2'));
    assert.ok(arr.zones.features.every((f: { geometry: unknown; properties: { area_km2: number } }) => f.geometry && f.properties.area_km2 > 0));
  } finally {
    await s.destroy();
  }
});

test('reports: 202 once durable with record indexes; a bad or duplicate batch writes nothing', async () => {
  const s = await startTestServer();
  try {
    const size0 = s.deployment.log.size;
    const batch = [observation('a-1', 'u1', 'sy', { troops: 10 }, T0), observation('a-2', 'u2', 'sy', { troops: 10 }, T0)];
    const ok = await json(await s.as('undof', 'POST', `${BASE}/reports`, batch), 202);
    assert.deepEqual(ok.indexes, [size0, size0], 'a small batch is one entry');
    // The findings statement for what the batch opened, so that nothing else writes from here on.
    await s.deployment.recordFindings();
    const size1 = s.deployment.log.size;

    const bad = await json(
      await s.as('undof', 'POST', `${BASE}/reports`, [
        observation('a-3', 'u3', 'sy', {}, T0),
        { ...observation('a-4', 'u4', 'sy', {}, T0), position: [200, 0] },
      ]),
      400,
    );
    assert.equal(bad.issues[0].path, '[1].position[0]');
    const dup = await json(
      await s.as('undof', 'POST', `${BASE}/reports`, [observation('a-5', 'u5', 'sy', {}, T0), observation('a-1', 'u1', 'sy', {}, T0)]),
      400,
    );
    assert.equal(dup.issues[0].path, '[1].id');
    assert.equal(s.deployment.log.size, size1, 'nothing written for refused batches');
    const again = await json(await s.as('undof', 'POST', `${BASE}/reports`, [observation('a-3', 'u3', 'sy', {}, T0)]), 202);
    assert.equal(again.indexes[0], size1);

    // Who may file what: a party only its own units and notices in its own name.
    await json(await s.as('il', 'POST', `${BASE}/reports`, observation('p-1', 'sy-x', 'sy', {}, T0)), 403);
    await json(await s.as('il', 'POST', `${BASE}/reports`, observation('p-2', 'il-x', 'il', {}, T0, undefined, 'il')), 202);
    await json(await s.as('us', 'POST', `${BASE}/reports`, observation('p-3', 'il-y', 'il', {}, T0)), 403);
    await json(await s.as('il', 'POST', `${BASE}/reports`, { type: 'ack', id: 'k-1', time: T0, actor: 'sy', notification: 'n-1' }), 403);

    // A batch larger than one entry is split, each part durable.
    const big = Array.from({ length: 1000 }, (_, i) => observation(`b-${i}`, `bu-${i % 50}`, 'undof', { troops: 5 }, T0));
    const res = await json(await s.as('undof', 'POST', `${BASE}/reports`, big), 202);
    assert.equal(res.indexes.length, 1000);
    assert.ok(new Set(res.indexes).size > 1, 'split over several entries');
    for (const i of new Set<number>(res.indexes)) {
      const e = parseEntry((await s.deployment.log.entries(i, i + 1))[0]);
      assert.equal(e.custodial, true, 'the server signed for undof and says so');
    }
  } finally {
    await s.destroy();
  }
});

test('a statement signed by its author is taken as is (not custodial); a forged one is refused', async () => {
  const s = await startTestServer();
  try {
    const signer = readSignerKeyFile(join(s.dir, 'keys', 'actors', 'undof.key'));
    const signed = signSealed(signer, {
      type: 'reports',
      arrangement: 'southern-syria',
      body: { reports: [observation('s-1', 'u1', 'sy', { troops: 1 }, T0)] },
    });
    const ok = await json(await s.as('undof', 'POST', `${BASE}/statements`, signed), 202);
    const entry = verifyEntry((await s.deployment.log.entries(ok.indexes[0], ok.indexes[0] + 1))[0]);
    assert.equal(entry.custodial, undefined);
    assert.equal(entry.sig, signed.sig);
    const forged = { ...signed, statement: { ...signed.statement, body: { reports: [observation('s-2', 'u1', 'sy', { troops: 1 }, T0)] } } };
    await json(await s.as('undof', 'POST', `${BASE}/statements`, forged), 400);
    await json(
      await s.as(
        'sy',
        'POST',
        `${BASE}/statements`,
        signStatement(signer, { type: 'report', arrangement: 'southern-syria', body: observation('s-3', 'u1', 'sy', {}, T0) }),
      ),
      403,
    );
  } finally {
    await s.destroy();
  }
});

test('the record over HTTP: checkpoint, proofs and entries check out with the library', async () => {
  const s = await startTestServer();
  try {
    await session(s);
    await new Promise((r) => setTimeout(r, 20));
    const key = (await s.as('tr', 'GET', `${BASE}/record/key`)).body.trim();
    const note = (await s.as('tr', 'GET', `${BASE}/record/checkpoint`)).body;
    const cp = openCheckpoint(note, [parseVerifierKey(key)], s.deployment.origin);
    assert.ok(cp.size >= 10);
    const entries = await json(await s.as('tr', 'GET', `${BASE}/record/entries?from=0&to=${cp.size}`), 200);
    for (let i = 0; i < cp.size; i++) {
      const proof = await json(await s.as('undof', 'GET', `${BASE}/record/proof/inclusion?index=${i}&size=${cp.size}`), 200);
      const leaf = leafHash(new TextEncoder().encode(entries.entries[i]));
      assert.ok(
        verifyInclusion(
          i,
          cp.size,
          leaf,
          proof.proof.map((p: string) => decodeBase64(p, 'proof')),
          cp.root,
        ),
        `entry ${i}`,
      );
    }
    await json(await s.as('tr', 'GET', `${BASE}/record/proof/inclusion?index=${cp.size}&size=${cp.size}`), 400);
    await json(await s.as('tr', 'GET', `${BASE}/record/proof/consistency?from=1&to=${cp.size}`), 200);
    await json(await s.as('tr', 'GET', `${BASE}/record/proof/inclusion?index=x&size=1`), 400);
  } finally {
    await s.destroy();
  }
});

test('a restart rebuilds, from the record alone, the state the server had', async () => {
  // Views count time left to the deadline: hold the clock still.
  const now = () => Date.parse('2025-12-27T09:00:00Z');
  const s = await startTestServer({ now });
  const snapshot = async (t: typeof s) => {
    const out: Record<string, unknown> = {};
    for (const a of ['il', 'sy', 'ru', 'us', 'undof', 'tr']) {
      for (const path of ['/talks', '/talks/gap', '/findings', '/findings?open=true', '']) {
        const r = await t.as(a, 'GET', BASE + path);
        out[`${a} ${path}`] = r.statusCode === 200 ? JSON.parse(r.body) : r.statusCode;
      }
    }
    return out;
  };
  try {
    await session(s, 'MARKER-restart');
    await json(
      await s.as('undof', 'POST', `${BASE}/reports`, [
        observation('r-1', 'sy-t', 'sy', { tanks: 4 }, T0),
        observation('r-2', 'tr-1', 'tr', { troops: 40 }, T0, [36.1, 32.9]),
      ]),
      202,
    );
    await json(await s.as('sy', 'POST', `${BASE}/talks/submissions`, { text: 'after the announcement' }), 409);
    await json(
      await s.as('il', 'POST', `${BASE}/reports`, {
        type: 'notification',
        id: 'n-9',
        time: T0,
        actor: 'il',
        zone: 'aos',
        window: { from: T0, to: '2025-12-28T00:00:00Z' },
      }),
      202,
    );
    await s.deployment.recordFindings();
    const before = await snapshot(s);
    const size = s.deployment.log.size;
    await s.stop();
    const t = await startTestServer({ dir: s.dir, now });
    try {
      assert.equal(t.deployment.log.size, size, 'reopening writes nothing new');
      assert.deepEqual(await snapshot(t), before);
    } finally {
      await t.destroy();
    }
  } finally {
    await s.destroy();
  }
});

test('a deadline passing without reports is judged by the clock and recorded, so a replay agrees', async () => {
  // c-ru-deploy is due 2026-02-01; the clock says it is later than that.
  let now = Date.parse('2026-01-31T23:59:59Z');
  const s = await startTestServer({ now: () => now });
  try {
    await json(await s.as('undof', 'POST', `${BASE}/reports`, observation('c-1', 'u1', 'undof', { troops: 1 }, '2026-01-31T12:00:00Z')), 202);
    const before = s.deployment.log.size;
    now = Date.parse('2026-02-01T00:00:30Z');
    // The timer was set for the deadline by the clock as it was; say that the clock jumped.
    let overdue: { finding: string; state: string; report?: string } | undefined;
    for (let i = 0; i < 100 && !overdue; i++) {
      await new Promise((r) => setTimeout(r, 20));
      s.deployment.clockMoved();
      const fs = await json(await s.as('ru', 'GET', `${BASE}/findings`), 200);
      overdue = fs.find((f: { rule: string; state: string }) => f.rule === 'c-ru-deploy' && f.state === 'overdue');
    }
    assert.ok(overdue, 'the commitment went overdue with no report');
    assert.equal(overdue.report, undefined);
    assert.ok(s.deployment.log.size > before, 'a clock statement was recorded');
    const findings = (await s.as('ru', 'GET', `${BASE}/findings`)).body;
    await s.stop();
    const t = await startTestServer({ dir: s.dir, now: () => now });
    try {
      assert.equal((await t.as('ru', 'GET', `${BASE}/findings`)).body, findings);
    } finally {
      await t.destroy();
    }
  } finally {
    await s.destroy();
  }
});

test("a talks statement prepared by the server and signed by its author is recorded as the author's own", async () => {
  const s = await startTestServer();
  try {
    const il = readSignerKeyFile(join(s.dir, 'keys', 'actors', 'il.key'));
    const sign = (st: Statement) => ({ statement: st, sig: encodeBase64(il.sign(canonicalBytes(st))), key: il.verifier.vkey });
    const prepared = await json(
      await s.as('il', 'POST', `${BASE}/talks/prepare`, { command: { kind: 'submit', text: 'signed by us, MARKER-own', confidential: true } }),
      200,
    );
    assert.equal(prepared.statements.length, 1);
    const [p] = prepared.statements;
    assert.match(p.statement.body.sealed, /^[0-9a-f]{64}$/);
    assert.ok(verifyDisclosure(p.statement.body.sealed, p.sealed.content, decodeBase64(p.sealed.salt, 'salt')), 'the client can check what it signs');
    const ok = await json(await s.as('il', 'POST', `${BASE}/statements`, sign(p.statement)), 202);
    const entry = verifyEntry((await s.deployment.log.entries(ok.indexes[0], ok.indexes[0] + 1))[0]);
    assert.equal(entry.custodial, undefined);
    assert.ok((await s.as('ru', 'GET', `${BASE}/talks`)).body.includes('MARKER-own'));
    assert.ok(!(await s.as('sy', 'GET', `${BASE}/talks`)).body.includes('MARKER-own'));
    // Posted twice, or prepared before the talks moved on: refused, nothing written.
    await json(await s.as('il', 'POST', `${BASE}/statements`, sign(p.statement)), 409);
    const stale = (await json(await s.as('il', 'POST', `${BASE}/talks/prepare`, { command: { kind: 'submit', text: 'later' } }), 200)).statements[0];
    await json(await s.as('sy', 'POST', `${BASE}/talks/submissions`, { text: 'in between' }), 201);
    const size = s.deployment.log.size;
    await json(await s.as('il', 'POST', `${BASE}/statements`, sign(stale.statement)), 409);
    assert.equal(s.deployment.log.size, size);
    // The role is checked when preparing.
    await json(await s.as('us', 'POST', `${BASE}/talks/prepare`, { command: { kind: 'submit', text: 'x' } }), 403);
    // A replay after restart reads the sealed content kept with the client's salt.
    const view = (await s.as('ru', 'GET', `${BASE}/talks`)).body;
    await s.stop();
    const t = await startTestServer({ dir: s.dir });
    try {
      assert.equal(JSON.parse((await t.as('ru', 'GET', `${BASE}/talks`)).body).submissions.length, JSON.parse(view).submissions.length);
      assert.ok((await t.as('ru', 'GET', `${BASE}/talks`)).body.includes('MARKER-own'));
    } finally {
      await t.destroy();
    }
  } finally {
    await s.destroy();
  }
});

test('the posture: every present unit at its latest report; a third party sees its own forces only', async () => {
  const s = await startTestServer();
  try {
    await json(
      await s.as('undof', 'POST', `${BASE}/reports`, [
        observation('q-1', 'sy-1', 'sy', { tanks: 2 }, T0),
        observation('q-2', 'sy-1', 'sy', { tanks: 1 }, '2025-12-27T07:05:00Z', [35.9, 33.2]),
        observation('q-3', 'tr-1', 'tr', { troops: 9 }, T0, [36.1, 32.9]),
        { ...observation('q-4', 'il-1', 'il', {}, T0), status: 'withdrawn' },
      ]),
      202,
    );
    const ru = await json(await s.as('ru', 'GET', `${BASE}/posture`), 200);
    assert.deepEqual(ru.units.map((u: { unit: string }) => u.unit).sort(), ['sy-1', 'tr-1']);
    const sy1 = ru.units.find((u: { unit: string }) => u.unit === 'sy-1');
    assert.deepEqual([sy1.position, sy1.holdings, sy1.report], [[35.9, 33.2], { tanks: 1 }, 'q-2']);
    const tr = await json(await s.as('tr', 'GET', `${BASE}/posture`), 200);
    assert.deepEqual(
      tr.units.map((u: { unit: string }) => u.unit),
      ['tr-1'],
    );
  } finally {
    await s.destroy();
  }
});

test('the web UI is served at / from its build, never from outside it', async () => {
  const { mkdtempSync, mkdirSync, writeFileSync } = await import('node:fs');
  const { tmpdir } = await import('node:os');
  const Fastify = (await import('fastify')).default;
  const { staticRoutes } = await import('../src/server/static.ts');
  const root = mkdtempSync(join(tmpdir(), 'detente-web-')) + '/';
  mkdirSync(join(root, 'assets'));
  writeFileSync(join(root, 'index.html'), '<!doctype html><title>app</title>');
  writeFileSync(join(root, 'assets', 'a-123.js'), 'console.log(1)');
  const app = Fastify();
  staticRoutes(app, root);
  const get = (url: string) => app.inject({ method: 'GET', url });
  assert.match((await get('/')).body, /<title>app/);
  assert.match((await get('/talks/view')).body, /<title>app/, 'app routes fall back to index.html');
  const js = await get('/assets/a-123.js');
  assert.equal(js.headers['content-type'], 'text/javascript; charset=utf-8');
  assert.match(String(js.headers['cache-control']), /immutable/);
  for (const bad of ['/../package.json', '/%2e%2e/%2e%2e/package.json', '/assets/../../x']) {
    const r = await get(bad);
    assert.ok(!r.body.includes('"name"'), `${bad} must not escape the root`);
  }
  const empty = Fastify();
  staticRoutes(empty, mkdtempSync(join(tmpdir(), 'detente-web-')) + '/');
  const none = await empty.inject({ method: 'GET', url: '/' });
  assert.equal(none.statusCode, 404);
  assert.match(none.body, /build:web/);
});
