// Rounds over HTTP and in the running engine (issue 13, parts 1 and 2): after the
// announcement a second round amends the text; at its announcement the engine moves to
// it without a restart (a finding open under the changed limit closes as superseded, a
// violation of the new limit opens); a replay from the record alone gives the same; the
// history says which text was in force from where; a round's deadline passing is
// recorded, to the mediator and guarantor only.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { ACTORS, BASE, EXAMPLE, json, observation, session, startTestServer, STORY_START } from './helpers/server.ts';

const ROOT = new URL('..', import.meta.url).pathname;
function detente(args: string[]): Promise<{ code: number; out: string; err: string }> {
  return new Promise((resolve) => {
    const p = spawn(process.execPath, ['bin/detente.js', ...args], { cwd: ROOT });
    let out = '';
    let err = '';
    p.stdout.on('data', (d) => (out += d));
    p.stderr.on('data', (d) => (err += d));
    p.on('close', (code) => resolve({ code: code ?? -1, out, err }));
    p.stdin.end();
  });
}

const TANKS = (max: number) => ({ id: 'r-t-aos-tanks', kind: 'limit', zone: 'aos', actor: 'sy', asset: 'tanks', max });
const CLAUSES = (max: number) => [
  { id: 'c1', text: 'The parties respect the 1974 lines.' },
  { id: 'c2', text: `At most ${max} Syrian tanks in the Area of Separation.`, rules: [TANKS(max)] },
];
const ROUND_DEADLINE = new Date(STORY_START + 10 * 86_400_000).toISOString();

test('a second round amends a limit: superseded, re-judged, the same on replay; the history names both texts', async (t) => {
  let now = STORY_START;
  const s = await startTestServer({ now: () => now, web: false });
  let dir = s.dir;
  t.after(() => s.destroy());
  await session(s);
  now += 60_000;
  const reports = [observation('o-r1', 'sy-tank-1', 'sy', { tanks: 3 }, new Date(now).toISOString())];
  await json(await s.as('undof', 'POST', `${BASE}/reports`, reports[0]), 202);
  const openBefore = s.deployment.openFindings().filter((f) => f.rule === 'r-t-aos-tanks');
  assert.deepEqual(
    openBefore.map((f) => [f.state, f.max, f.observed]),
    [['open', 0, 3]],
  );

  // Wrong role, wrong order.
  await json(await s.as('il', 'POST', `${BASE}/talks/rounds`, { agenda: 'more' }), 403);
  await json(await s.as('ru', 'POST', `${BASE}/talks/drafts`, { clauses: CLAUSES(2) }), 409);

  const opened = await json(
    await s.as('ru', 'POST', `${BASE}/talks/rounds`, {
      agenda: 'The tank ceiling in the Area of Separation',
      deadline: ROUND_DEADLINE,
      meeting: { title: 'Leaders meet', at: ROUND_DEADLINE, place: 'Baku' },
    }),
    201,
  );
  assert.equal(opened.round, 2);
  await json(await s.as('ru', 'POST', `${BASE}/talks/rounds`, { agenda: 'again' }), 409);
  const draft = await json(await s.as('ru', 'POST', `${BASE}/talks/drafts`, { clauses: CLAUSES(2) }), 201);
  // c1 is unchanged: its acceptances carry over; c2 changed, it needs both parties again
  await json(await s.as('us', 'POST', `${BASE}/talks/approval`, { draft: draft.version }), 409);
  for (const party of ['il', 'sy'])
    await json(await s.as(party, 'POST', `${BASE}/talks/stances`, { draft: draft.version, clause: 'c2', stance: 'accept' }), 201);
  await json(await s.as('us', 'POST', `${BASE}/talks/approval`, { draft: draft.version }), 201);
  now += 60_000;
  const ann = await json(await s.as('ru', 'POST', `${BASE}/talks/announcement`, { draft: draft.version }), 201);

  const transitions = [...s.deployment.book.after(0)].map((b) => b.finding).filter((f) => f.rule === 'r-t-aos-tanks');
  assert.deepEqual(
    transitions.map((f) => [f.state, f.max, f.observed, f.reason]),
    [
      ['open', 0, 3, undefined],
      ['closed', 0, 3, `superseded by draft ${draft.version} of round 2`],
      ['open', 2, 3, undefined],
    ],
  );
  // within the new limit: closes
  now += 60_000;
  reports.push(observation('o-r2', 'sy-tank-1', 'sy', { tanks: 2 }, new Date(now).toISOString()));
  await json(await s.as('undof', 'POST', `${BASE}/reports`, reports[1]), 202);
  assert.deepEqual(
    s.deployment.openFindings().filter((f) => f.rule === 'r-t-aos-tanks'),
    [],
  );

  // The history: the file, round 1's text, round 2's, each from its record position; every actor reads it.
  const histories = await Promise.all(ACTORS.map(async (a) => json(await s.as(a, 'GET', `${BASE}/history`), 200)));
  for (const h of histories) assert.deepEqual(h, histories[0]);
  const h = histories[0];
  assert.deepEqual(
    h.texts.map((x: { round: number; draft: number | null; from: { index: number } }) => [x.round, x.draft, x.from.index > 0 || x.round === 0]),
    [
      [0, null, true],
      [1, 1, true],
      [2, draft.version, true],
    ],
  );
  assert.equal(h.texts[2].from.index, ann.index);
  assert.deepEqual(h.texts[2].rules, [TANKS(2)]);
  assert.equal(new Set(h.texts.map((x: { sha256: string }) => x.sha256)).size, 3);
  assert.ok((await s.as(null, 'GET', `${BASE}/history`)).statusCode === 401);

  // `detente check --history` judges the same reports under the same texts: the same transitions.
  const tmp = mkdtempSync(join(tmpdir(), 'detente-history-'));
  t.after(() => rmSync(tmp, { recursive: true, force: true }));
  writeFileSync(join(tmp, 'history.json'), JSON.stringify(h));
  writeFileSync(join(tmp, 'reports.ndjson'), reports.map((r) => JSON.stringify(r)).join('\n') + '\n');
  const checked = await detente(['check', EXAMPLE, join(tmp, 'reports.ndjson'), '--history', join(tmp, 'history.json'), '--quiet']);
  assert.ok(checked.code === 0 || checked.code === 1, checked.err);
  const cliTanks = checked.out
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l))
    .filter((f) => f.rule === 'r-t-aos-tanks');
  const serverTanks = [...s.deployment.book.after(0)].map((b) => b.finding).filter((f) => f.rule === 'r-t-aos-tanks');
  assert.deepEqual(
    cliTanks.map((f) => [f.state, f.max, f.observed, f.reason, f.time]),
    serverTanks.map((f) => [f.state, f.max, f.observed, f.reason, f.time]),
  );
  // Without the history, the file alone has no such rule.
  const plain = await detente(['check', EXAMPLE, join(tmp, 'reports.ndjson'), '--quiet']);
  assert.ok(!plain.out.includes('r-t-aos-tanks'));
  // A history that is not the file's, or edited: exit 2 naming the text.
  writeFileSync(join(tmp, 'edited.json'), JSON.stringify({ ...h, texts: h.texts.map((x: object, i: number) => (i === 2 ? { ...x, rules: [TANKS(9)] } : x)) }));
  const edited = await detente(['check', EXAMPLE, join(tmp, 'reports.ndjson'), '--history', join(tmp, 'edited.json')]);
  assert.equal(edited.code, 2);
  assert.match(edited.err, /edited\.json: texts\[2\]\.sha256: the text rebuilt from the arrangement file has another hash/);
  const missing = await detente(['check', EXAMPLE, join(tmp, 'reports.ndjson'), '--history', join(tmp, 'nope.json')]);
  assert.equal(missing.code, 2);
  assert.match(missing.err, /nope\.json: no such file/);

  // Replay from the record alone (the derived state removed) gives the same findings and history.
  const live = { book: [...s.deployment.book.after(0)], history: h, arrangement: s.deployment.arrangementView() };
  await s.stop();
  rmSync(join(dir, 'record', 'southern-syria', 'state.db'), { force: true });
  const again = await startTestServer({ now: () => now, web: false, dir });
  dir = again.dir;
  try {
    assert.deepEqual(JSON.parse(JSON.stringify([...again.deployment.book.after(0)])), JSON.parse(JSON.stringify(live.book)));
    assert.deepEqual(await json(await again.as('il', 'GET', `${BASE}/history`), 200), live.history);
    assert.deepEqual(JSON.parse(JSON.stringify(again.deployment.arrangementView())), JSON.parse(JSON.stringify(live.arrangement)));
  } finally {
    await again.stop();
  }
  // And a restart from the snapshot written at close continues under the switched engine.
  const third = await startTestServer({ now: () => now, web: false, dir });
  try {
    now += 60_000;
    await json(await third.as('undof', 'POST', `${BASE}/reports`, observation('o-r3', 'sy-tank-1', 'sy', { tanks: 4 }, new Date(now).toISOString())), 202);
    assert.deepEqual(
      third.deployment
        .openFindings()
        .filter((f) => f.rule === 'r-t-aos-tanks')
        .map((f) => [f.state, f.max, f.observed]),
      [['open', 2, 4]],
    );
  } finally {
    await third.stop();
  }
});

test("a round's deadline passing is recorded once, for the mediator and the guarantor; an extension approved lets the round go on", async (t) => {
  let now = STORY_START;
  const s = await startTestServer({ now: () => now, web: false });
  t.after(() => s.destroy());
  await session(s);
  await json(await s.as('ru', 'POST', `${BASE}/talks/rounds`, { agenda: 'Phase two', deadline: ROUND_DEADLINE }), 201);
  await json(await s.as('ru', 'POST', `${BASE}/talks/drafts`, { clauses: CLAUSES(1) }), 201);
  now = Date.parse(ROUND_DEADLINE) + 3_600_000;
  s.deployment.clockMoved();
  const deadline = async () => {
    for (let i = 0; i < 50 && !s.deployment.talks.rounds[1].passed; i++) await new Promise((r) => setTimeout(r, 50));
  };
  await deadline();
  assert.ok(s.deployment.talks.rounds[1].passed, 'the deadline passing is recorded');
  const ru = await json(await s.as('ru', 'GET', `${BASE}/talks`), 200);
  const us = await json(await s.as('us', 'GET', `${BASE}/talks`), 200);
  const il = await json(await s.as('il', 'GET', `${BASE}/talks`), 200);
  assert.ok(ru.rounds[1].passed && us.rounds[1].passed);
  assert.equal(il.rounds[1].passed, null);
  assert.equal(ru.deadline.state, 'passed');
  // past the deadline: nothing more in the round
  await json(await s.as('sy', 'POST', `${BASE}/talks/stances`, { draft: 2, clause: 'c2', stance: 'accept' }), 409);
  // an extension: proposed by the mediator, approved by the guarantor
  const to = new Date(Date.parse(ROUND_DEADLINE) + 5 * 86_400_000).toISOString();
  await json(await s.as('us', 'POST', `${BASE}/talks/extensions`, { deadline: to }), 403);
  await json(await s.as('ru', 'POST', `${BASE}/talks/extensions`, { deadline: to, reason: 'the leaders meet later' }), 201);
  await json(await s.as('us', 'POST', `${BASE}/talks/extensions/approval`, { deadline: to }), 201);
  await json(await s.as('sy', 'POST', `${BASE}/talks/stances`, { draft: 2, clause: 'c2', stance: 'accept' }), 201);
  const after = await json(await s.as('ru', 'GET', `${BASE}/talks`), 200);
  assert.equal(after.deadline.at, to);
  assert.equal(after.deadline.state, 'ahead');
  assert.equal(s.deployment.talks.rounds[1].extensions[0].approvedBy, 'us');
});
