// A party's replica against a real server (the demo arrangement): it mirrors and
// verifies the record, `detente export` and `detente verify` work on its directory, it
// holds the sealed content its actor may read and remembers what it may not, it goes on
// after an honest restart of the server, and it names exactly what differs when the
// server's record was rewritten offline (an entry removed, a report changed and re-signed).
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { run as exportCli } from '../src/cli/export.ts';
import { run as followCli } from '../src/cli/follow.ts';
import { run as verifyCli } from '../src/cli/verify.ts';
import { DISCREPANCIES_FILE, type Discrepancy } from '../src/follow/discrepancy.ts';
import { Follower } from '../src/follow/follower.ts';
import { STATE_FILE } from '../src/follow/state.ts';
import { leafHash } from '../src/record/merkle.ts';
import { parseEntry } from '../src/record/statement.ts';
import { seal, sealedOf } from '../src/record/sealed.ts';
import { indexOfReport, listen, postReports, resign, rewriteRecord, storedEntries } from './helpers/follow-server.ts';
import { ID, session, startTestServer, type TestServer } from './helpers/server.ts';

const dirs: string[] = [];
after(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});
function tmp(): string {
  const d = mkdtempSync(join(tmpdir(), 'detente-follow-'));
  dirs.push(d);
  return d;
}

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');

/** Waits until the server's latest checkpoint covers every entry (checkpoints follow appends asynchronously). */
async function settled(s: TestServer): Promise<number> {
  // The findings of what was posted are recorded within a second: now, so the size holds still.
  await s.deployment.recordFindings();
  for (let i = 0; i < 200; i++) {
    const size = Number(s.deployment.log.checkpoint().split('\n')[1]);
    if (size === s.deployment.log.size) return size;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error('the checkpoint never caught up');
}

/** A server with the talks done (one confidential submission of il's) and `n` reports, listening. */
async function demoServer(n: number, dir?: string): Promise<{ s: TestServer; url: string; port: number }> {
  const s = await startTestServer({ web: false, ...(dir ? { dir } : {}) });
  const url = await listen(s);
  if (!dir) {
    await session(s, 'MARKER-follow');
    await postReports(s, n);
  }
  // The findings of those reports are recorded within a second: wait for them, so the record is still while the test reads it.
  await s.deployment.recordFindings();
  await settled(s);
  return { s, url, port: Number(new URL(url).port) };
}

function follower(url: string, s: TestServer, actor: string, dir = tmp()): Follower {
  return new Follower({ dir, url, arrangement: ID, token: s.tokens[actor] });
}

function discrepancies(dir: string): Discrepancy[] {
  const path = join(dir, DISCREPANCIES_FILE);
  return existsSync(path)
    ? readFileSync(path, 'utf8')
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l) as Discrepancy)
    : [];
}

test('a follower mirrors and verifies the record; export and verify work on its directory; it holds what its actor may read', async (t) => {
  const { s, url } = await demoServer(5);
  t.after(() => s.destroy());
  const entries = await storedEntries(s.dir);
  const digest = entries.map((e) => sealedOf(parseEntry(e).statement.body)).find((d) => d !== undefined);
  assert.ok(digest, 'the confidential submission is sealed in the record');

  const il = follower(url, s, 'il');
  t.after(() => il.close());
  const r = await il.round();
  assert.deepEqual(r.discrepancies, []);
  assert.equal(r.size, entries.length);
  assert.equal(r.appended, entries.length);
  assert.equal(hex(il.verified!.root), hex(s.deployment.log.root()));
  assert.equal(il.openings.get(digest)?.level, 'full', 'il reads its own confidential submission');
  const again = await il.round();
  assert.equal(again.appended, 0);

  const sy = follower(url, s, 'sy');
  t.after(() => sy.close());
  assert.deepEqual((await sy.round()).discrepancies, []);
  assert.equal(sy.openings.get(digest)?.level, 'none', 'sy is told only that it exists, and it is remembered');

  const out = join(tmp(), 'bundle');
  assert.equal(await exportCli(['--data', il.dir, '--out', out]), 0);
  assert.equal(await verifyCli([out, '--no-state']), 0);
  assert.deepEqual(
    readFileSync(join(out, 'entries.ndjson'), 'utf8').trim().split('\n'),
    entries.map((e) => Buffer.from(e).toString('utf8')),
  );
});

test('an honest restart of the server: the follower goes on, and finds nothing', async (t) => {
  const { s, url, port } = await demoServer(3);
  const f = follower(url, s, 'il');
  t.after(() => f.close());
  assert.deepEqual((await f.round()).discrepancies, []);
  await s.stop();
  await assert.rejects(f.round(), /fetch failed|ECONNREFUSED/);
  const s2 = await startTestServer({ web: false, dir: s.dir });
  t.after(() => s2.destroy());
  await listen(s2, port);
  await postReports(s2, 2, 'after');
  const size = await settled(s2);
  const r = await f.round();
  assert.deepEqual(r.discrepancies, []);
  assert.equal(r.size, size);
  assert.equal(hex(f.verified!.root), hex(s2.deployment.log.root()));
  assert.deepEqual(discrepancies(f.dir), []);
});

test('one entry removed from the server’s record: entry-removed at its index, with both hashes and both checkpoints; --once exits 1', async (t) => {
  const { s, url, port } = await demoServer(4);
  const f = follower(url, s, 'il');
  t.after(() => f.close());
  await f.round();
  const remembered = f.verified!.checkpoint;
  const before = await storedEntries(s.dir);
  const k = await indexOfReport(s, before, 'r-1');
  await s.stop();
  await rewriteRecord(s.dir, (es) => es.filter((_, i) => i !== k));
  const s2 = await startTestServer({ web: false, dir: s.dir });
  t.after(() => s2.destroy());
  await listen(s2, port);
  await settled(s2);

  const r = await f.round();
  assert.equal(r.stopped, true);
  assert.equal(r.discrepancies.length, 1);
  const d = r.discrepancies[0];
  assert.equal(d.kind, 'entry-removed');
  assert.equal(d.index, k);
  assert.equal(d.mirrored, hex(leafHash(before[k])));
  assert.equal(d.served, hex(leafHash(before[k + 1])));
  assert.equal(d.remembered, remembered);
  assert.equal(d.checkpoint, s2.deployment.log.checkpoint());
  assert.deepEqual(
    discrepancies(f.dir).map((x) => [x.kind, x.index]),
    [['entry-removed', k]],
  );
  await f.close();

  // The CLI, started again on the same directory, finds it again and exits 1 (without recording it twice).
  assert.equal(await followCli([url, '--arrangement', ID, '--token', s.tokens.il, '--data', f.dir, '--once']), 1);
  assert.equal(discrepancies(f.dir).length, 1);
  assert.equal(JSON.parse(readFileSync(join(f.dir, STATE_FILE), 'utf8')).checkpoint, remembered, 'the remembered checkpoint is kept');
});

test('one report changed and re-signed with the custodial key: entry-changed at its index, naming the fields', async (t) => {
  const { s, url, port } = await demoServer(4);
  const f = follower(url, s, 'il');
  t.after(() => f.close());
  await f.round();
  const before = await storedEntries(s.dir);
  const k = await indexOfReport(s, before, 'r-2');
  // The report is sealed: the mediator changes its content under a new commitment, stores the new opening, and re-signs.
  const old = sealedOf(parseEntry(before[k]).statement.body)!;
  const content = Buffer.from((await s.deployment.log.openSealed(old, { entry: k, n: 0 }))!.content).toString('utf8');
  const changed = seal(content.replace('"troops":12', '"troops":2'));
  assert.notEqual(changed.sealed, old);
  await s.stop();
  await rewriteRecord(s.dir, (es) => es.map((e, i) => (i !== k ? e : resign(s.dir, e, (body) => ({ ...body, sealed: changed.sealed })))), [changed]);
  const s2 = await startTestServer({ web: false, dir: s.dir });
  t.after(() => s2.destroy());
  await listen(s2, port);
  await settled(s2);

  const r = await f.round();
  assert.equal(r.discrepancies.length, 1);
  const d = r.discrepancies[0];
  assert.equal(d.kind, 'entry-changed');
  assert.equal(d.index, k);
  assert.equal(d.mirrored, hex(leafHash(before[k])));
  assert.notEqual(d.served, d.mirrored);
  assert.ok(d.changed && Object.keys(d.changed).some((p) => p.endsWith('.sealed')), JSON.stringify(d.changed));
  assert.ok(d.changed && '$.sig' in d.changed);
});
