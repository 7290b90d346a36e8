// Reports in the record under need-to-know (design §2): a restricted report is only its
// own salted commitment in the public entry, its opening stored apart and applied from
// there, live and on replay alike; a self-signed statement brings its openings along.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { canonicalJson } from '../src/record/canonical.ts';
import { readSignerKeyFile } from '../src/record/key-file.ts';
import { verifyDisclosure } from '../src/record/sealed.ts';
import { signStatement } from '../src/record/statement.ts';
import { signSealed } from './helpers/sealed-reports.ts';
import { BASE, json, STORY_START, startTestServer } from './helpers/server.ts';

const T = new Date(STORY_START - 60_000).toISOString();
const track = (id: string, lon: number) => ({
  type: 'track',
  id,
  time: T,
  source: 'il',
  unit: `jet-${id}`,
  actor: 'il',
  category: 'aircraft',
  position: [lon, 33.1234567],
  altitude_m: 5000,
  velocity: { east_mps: 120, north_mps: 3, up_mps: 0 },
});

test('a posted track is only { sealed } in its entry; its opening is stored apart, checks against it, and the engine applied it', async () => {
  const s = await startTestServer();
  try {
    const r = track('nk-1', 35.7654321);
    const { indexes } = await json(await s.as('il', 'POST', `${BASE}/reports`, [r, track('nk-2', 35.7)]), 202);
    const page = await json(await s.as('tr', 'GET', `${BASE}/record/entries?from=${indexes[0]}&to=${indexes[0] + 1}`), 200);
    const entry = JSON.parse(page.entries[0]);
    assert.equal(entry.statement.type, 'reports');
    assert.equal(entry.statement.body.reports.length, 2);
    // Its commitment, and its time in the clear (so a reader who cannot open it still passes deadlines where the server did).
    for (const item of entry.statement.body.reports) assert.deepEqual(Object.keys(item), ['sealed', 'time']);
    assert.doesNotMatch(page.entries[0], /35\.7654321|nk-1/);
    // One commitment per report, each opening checks against its own.
    const digest = entry.statement.body.reports[0].sealed;
    const opened = (await s.deployment.openSealed(digest))!;
    assert.equal(Buffer.from(opened.content).toString('utf8'), canonicalJson(r));
    assert.ok(verifyDisclosure(digest, opened.content, opened.salt));
    assert.notEqual(entry.statement.body.reports[1].sealed, digest);
    const posture = await json(await s.as('ru', 'GET', `${BASE}/posture`), 200);
    assert.ok(
      posture.units.some((u: { report: string }) => u.report === 'nk-1'),
      'the engine applied the opened report',
    );
  } finally {
    await s.destroy();
  }
});

test('a restart applies the opened reports from the sealed store: the same posture as live', async () => {
  const s = await startTestServer();
  let again: Awaited<ReturnType<typeof startTestServer>> | undefined;
  try {
    await json(await s.as('il', 'POST', `${BASE}/reports`, [track('rs-1', 35.71), track('rs-2', 35.72)]), 202);
    await json(await s.as('il', 'POST', `${BASE}/reports`, track('rs-3', 35.73)), 202);
    const live = await json(await s.as('ru', 'GET', `${BASE}/posture`), 200);
    await s.stop();
    again = await startTestServer({ dir: s.dir });
    const replayed = await json(await again.as('ru', 'GET', `${BASE}/posture`), 200);
    assert.deepEqual(replayed.units, live.units);
    assert.equal(replayed.units.filter((u: { report: string }) => u.report.startsWith('rs-')).length, 3);
  } finally {
    await again?.destroy();
    await s.destroy();
  }
});

test('a self-signed statement: openings beside it; a missing, wrong or unused opening, a bad report inside one, and a raw restricted report are 400s naming the place', async () => {
  const s = await startTestServer();
  try {
    const signer = readSignerKeyFile(join(s.dir, 'keys', 'actors', 'undof.key'));
    const obs = (id: string) => ({
      type: 'observation',
      id,
      time: T,
      source: 'undof',
      unit: `sy-${id}`,
      actor: 'sy',
      position: [35.9, 33.05],
      holdings: { troops: 3 },
    });
    const ok = signSealed(signer, { type: 'reports', arrangement: 'southern-syria', body: { reports: [obs('ss-1'), obs('ss-2')] } });
    const res = await json(await s.as('undof', 'POST', `${BASE}/statements`, ok), 202);
    const entry = JSON.parse(Buffer.from(await s.deployment.log.entry(res.indexes[0])).toString('utf8'));
    assert.deepEqual(Object.keys(entry.statement.body.reports[1]), ['sealed', 'time']);
    const posture = await json(await s.as('ru', 'GET', `${BASE}/posture`), 200);
    assert.ok(posture.units.some((u: { report: string }) => u.report === 'ss-2'));

    const path = async (body: unknown) => (await json(await s.as('undof', 'POST', `${BASE}/statements`, body), 400)).issues[0].path;
    const two = signSealed(signer, { type: 'reports', arrangement: 'southern-syria', body: { reports: [obs('ss-3'), obs('ss-4')] } });
    assert.equal(await path({ ...two, sealed: [two.sealed[0]] }), 'statement.body.reports[1]');
    assert.equal(await path({ ...two, sealed: [two.sealed[1], { ...two.sealed[0], salt: two.sealed[1].salt }] }), 'statement.body.reports[0]');
    const extra = signSealed(signer, { type: 'report', arrangement: 'southern-syria', body: obs('ss-5') });
    assert.equal(await path({ ...two, sealed: [...two.sealed, extra.sealed[0]] }), 'sealed[2]');
    const bad = signSealed(signer, { type: 'report', arrangement: 'southern-syria', body: { ...obs('ss-6'), holdings: 'many' } });
    assert.match(await path(bad), /^sealed\[0\]\.content/);
    const raw = signStatement(signer, { type: 'reports', arrangement: 'southern-syria', body: { reports: [obs('ss-7')] } });
    assert.equal(await path(raw), 'statement.body.reports[0]');
    // The time beside a commitment is the report's own: another is refused, and so is none.
    const timed = signSealed(signer, { type: 'reports', arrangement: 'southern-syria', body: { reports: [obs('ss-8')] } });
    const item = (timed.statement.body as { reports: { sealed: string; time: string }[] }).reports[0];
    for (const body of [{ reports: [{ ...item, time: '2025-12-27T06:00:00Z' }] }, { reports: [{ sealed: item.sealed }] }]) {
      const resigned = { ...signStatement(signer, { type: 'reports', arrangement: 'southern-syria', body, time: timed.statement.time }), sealed: timed.sealed };
      assert.equal(await path(resigned), 'statement.body.reports[0].time');
    }
  } finally {
    await s.destroy();
  }
});

test('GET …/record/sealed/:hash releases a report per the policy: full with its salt, coarse without, else 404 as for an unknown hash', async () => {
  const s = await startTestServer();
  try {
    const il = await json(await s.as('il', 'POST', `${BASE}/reports`, track('rel-1', 35.7654321)), 202);
    const ilHash = JSON.parse(Buffer.from(await s.deployment.log.entry(il.indexes[0])).toString('utf8')).statement.body.sealed;
    const obs = {
      type: 'observation',
      id: 'rel-2',
      time: T,
      source: 'undof',
      unit: 'sy-rel',
      actor: 'sy',
      position: [35.91234, 33.04321],
      holdings: { troops: 3 },
    };
    const un = await json(await s.as('undof', 'POST', `${BASE}/reports`, obs), 202);
    const unHash = JSON.parse(Buffer.from(await s.deployment.log.entry(un.indexes[0])).toString('utf8')).statement.body.sealed;
    const unknown = await s.as('il', 'GET', `${BASE}/record/sealed/${'0'.repeat(64)}`);
    assert.equal(unknown.statusCode, 404);
    for (const who of ['il', 'ru', 'us']) {
      const got = await json(await s.as(who, 'GET', `${BASE}/record/sealed/${ilHash}`), 200);
      assert.ok(verifyDisclosure(ilHash, got.content, Buffer.from(got.salt, 'base64')), who);
      assert.equal(JSON.parse(got.content).id, 'rel-1');
    }
    for (const who of ['sy', 'tr', 'undof']) {
      const res = await s.as(who, 'GET', `${BASE}/record/sealed/${ilHash}`);
      assert.equal(res.statusCode, 404, who);
      const other = await s.as(who, 'GET', `${BASE}/record/sealed/${'0'.repeat(64)}`);
      assert.equal(res.body, other.body.replaceAll('0'.repeat(64), ilHash), `${who}: refused as if unknown`);
    }
    // undof's observation of a Syrian unit: Syria (its subject) in full, Israel (a party) coarsened, Turkey not at all.
    assert.equal(JSON.parse((await json(await s.as('sy', 'GET', `${BASE}/record/sealed/${unHash}`), 200)).content).position[0], 35.91234);
    const coarse = await json(await s.as('il', 'GET', `${BASE}/record/sealed/${unHash}`), 200);
    assert.equal(coarse.salt, undefined);
    assert.deepEqual(coarse.coarse, { position_m: 5000, time_s: 3600 });
    assert.notEqual(JSON.parse(coarse.content).position[0], 35.91234);
    assert.equal((await s.as('tr', 'GET', `${BASE}/record/sealed/${unHash}`)).statusCode, 404);
  } finally {
    await s.destroy();
  }
});
