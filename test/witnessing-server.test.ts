// The log submits its checkpoints to the arrangement's witnesses (C2SP tlog-witness
// v1.0.0) and serves the newest checkpoint a quorum cosigned: quorum with a witness
// down, a witness that comes up late, 409 resends, state kept across a restart, and a
// second history signed with the same log key caught by the witness.
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { openCheckpoint } from '../src/record/checkpoint.ts';
import { cosignaturesOf, noteParts, parseCosignatureKey } from '../src/record/cosignature.ts';
import { logDir } from '../src/store/layout.ts';
import { WITNESSING_FILE } from '../src/server/witnessing/witnessing.ts';
import type { WitnessingStatus } from '../src/server/witnessing/witnessing.ts';
import { BASE, ID, json, observation } from './helpers/server.ts';
import { eventually, logKeyFor, makeTestWitness, startWitnessedServer, TEST_ORIGIN, type TestWitness, witnessedSource } from './helpers/test-witness.ts';
import type { TestServer } from './helpers/server.ts';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { EventStreamParser, type StreamEvent } from '../web/src/api/events.ts';

const dirs: string[] = [];
after(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

/** A data directory, removed once every test (and its servers) is done. */
function tmp(_t: unknown): string {
  const dir = mkdtempSync(join(tmpdir(), 'detente-witnessing-'));
  dirs.push(dir);
  return dir;
}

/** Posts a report and waits for the findings statement it brings, so that the log's size is settled after it. */
async function report(s: TestServer, n: number): Promise<void> {
  await json(await s.as('undof', 'POST', `${BASE}/reports`, observation(`w-${n}`, `sy-u${n}`, 'sy', { troops: 1 }, '2025-12-27T07:00:00Z')), 202);
  await s.deployment.recordFindings();
}

async function status(s: TestServer): Promise<WitnessingStatus> {
  return json(await s.as('tr', 'GET', `${BASE}/record/witnesses`), 200);
}

/** Witnesses that trust the log the server in `dir` will sign with, listening. */
async function witnesses(t: { after: (fn: () => Promise<void>) => void }, dir: string, names: string[]): Promise<TestWitness[]> {
  const key = logKeyFor(dir);
  const ws = names.map((n) => makeTestWitness(n));
  for (const w of ws) {
    w.trust(TEST_ORIGIN, key);
    await w.listen();
    t.after(() => w.close());
  }
  return ws;
}

test('quorum 2 of 3 with one witness down: the checkpoint carries two cosignatures that verify', async (t) => {
  const dir = tmp(t);
  const ws = await witnesses(t, dir, ['w-il', 'w-sy', 'w-us']);
  const downUrl = ws[2].url;
  await ws[2].close();
  const s = await startWitnessedServer({ dir, source: witnessedSource(ws, 2), urls: new Map(ws.map((w) => [w.name, w.url || downUrl])) });
  t.after(() => s.stop());
  for (let i = 0; i < 3; i++) await report(s, i);
  const size = s.deployment.log.size;
  const res = await eventually('witnessed at the log size', 5000, async () => {
    const r = await s.as('sy', 'GET', `${BASE}/record/checkpoint`);
    return r.statusCode === 200 && openCheckpoint(r.body, s.deployment.log.verifierKey).size === size ? r : undefined;
  });
  assert.equal(res.headers['detente-witnessed'], 'quorum');
  const cos = cosignaturesOf(
    res.body,
    ws.map((w) => parseCosignatureKey(w.vkey)),
  );
  assert.deepEqual([...cos.keys()].sort(), [ws[0].vkey, ws[1].vkey].sort());
  // The log's signature still opens it, the cosignatures set aside as unknown keys.
  assert.equal(openCheckpoint(res.body, s.deployment.log.verifierKey, TEST_ORIGIN).signatures.length, 1);

  const plain = await s.as('sy', 'GET', `${BASE}/record/checkpoint?witnessed=false`);
  assert.equal(plain.statusCode, 200);
  assert.equal(plain.headers['detente-witnessed'], 'false');
  assert.equal(noteParts(plain.body).lines.length, 1);
  assert.equal(plain.body, s.deployment.log.checkpoint());

  const st = await status(s);
  assert.equal(st.quorum, 2);
  assert.equal(st.witnessed?.size, size);
  assert.equal(st.behind.entries, 0);
  assert.equal(st.witnesses[0].cosigned?.size, size);
  assert.equal(st.witnesses[0].actor, 'il');
  assert.equal(st.witnesses[2].url, true);
  assert.equal(st.witnesses[2].cosigned, undefined);
  assert.ok(st.witnesses[2].lastError, 'the witness that is down shows its error');
});

test('no quorum yet: the checkpoint route says so and ?witnessed=false serves the log-signed one', async (t) => {
  const dir = tmp(t);
  const ws = await witnesses(t, dir, ['w-a', 'w-b']);
  const s = await startWitnessedServer({ dir, source: witnessedSource(ws, 2), urls: new Map([[ws[0].name, ws[0].url]]) });
  t.after(() => s.stop());
  await report(s, 1);
  await eventually('w-a cosigned', 5000, async () => ((await status(s)).witnesses[0].cosigned ? true : undefined));
  const r = await s.as('il', 'GET', `${BASE}/record/checkpoint`);
  assert.equal(r.statusCode, 404);
  assert.match(r.body, /quorum/);
  const st = await status(s);
  assert.equal(st.witnessed, null);
  assert.equal(st.witnesses[1].url, false);
  assert.ok(st.behind.entries > 0);
  assert.equal((await s.as('il', 'GET', `${BASE}/record/checkpoint?witnessed=false`)).statusCode, 200);
});

test('a witness down at start and up later gets the current checkpoint within the backoff cap', async (t) => {
  const dir = tmp(t);
  const [w] = await witnesses(t, dir, ['w-late']);
  const port = Number(new URL(w.url).port);
  await w.close();
  const s = await startWitnessedServer({
    dir,
    source: witnessedSource([w], 1),
    urls: new Map([[w.name, w.url]]),
    timing: { minBackoffMs: 50, maxBackoffMs: 500 },
  });
  t.after(() => s.stop());
  await report(s, 1);
  await eventually('an error while it is down', 3000, async () => ((await status(s)).witnesses[0].lastError ? true : undefined));
  await new Promise((r) => setTimeout(r, 1500)); // the backoff has reached its cap
  await w.listen(port);
  const upAt = Date.now();
  const size = s.deployment.log.size;
  await eventually('cosigned once up', 3000, async () => ((await status(s)).witnessed?.size === size ? true : undefined));
  assert.ok(Date.now() - upAt < 500 + 1000, 'served within the cap (plus slack)');
});

test('409: the witness holds more than the server remembers; the request is made again from its size', async (t) => {
  const dir = tmp(t);
  const [w] = await witnesses(t, dir, ['w-409']);
  const urls = new Map([[w.name, w.url]]);
  const source = witnessedSource([w], 1);
  let s = await startWitnessedServer({ dir, source, urls });
  await report(s, 1);
  const first = s.deployment.log.size;
  await eventually('cosigned', 5000, async () => ((await status(s)).witnessed?.size === first ? true : undefined));
  const kept = (await s.as('il', 'GET', `${BASE}/record/checkpoint`)).body;
  await s.stop();

  // Restarted with the witness down: the witnessed checkpoint is the one kept on disk.
  await w.close();
  s = await startWitnessedServer({ dir, source, urls: new Map([[w.name, 'http://127.0.0.1:9/']]) });
  const again = await s.as('il', 'GET', `${BASE}/record/checkpoint`);
  assert.equal(again.statusCode, 200);
  assert.equal(again.body, kept);
  await s.stop();

  // Restarted remembering what the witness acknowledged: no 409, the next request is right.
  await w.listen(Number(new URL(urls.get(w.name)!).port));
  let before = w.answers.length;
  s = await startWitnessedServer({ dir, source, urls });
  await report(s, 3);
  const second = s.deployment.log.size;
  await eventually('cosigned after the restart', 5000, async () => ((await status(s)).witnessed?.size === second ? true : undefined));
  assert.ok(!w.answers.slice(before).includes(409), `answers: ${w.answers.slice(before)}`);
  await s.stop();

  // Restarted having forgotten what the witness acknowledged: it sends old 0, is told 409.
  rmSync(join(logDir(dir, ID), WITNESSING_FILE));
  before = w.answers.length;
  s = await startWitnessedServer({ dir, source, urls });
  t.after(() => s.stop());
  await report(s, 2);
  const size = s.deployment.log.size;
  await eventually('cosigned after the 409', 5000, async () => ((await status(s)).witnessed?.size === size ? true : undefined));
  const answers = w.answers.slice(before);
  assert.equal(answers[0], 409, `answers: ${answers}`);
  assert.ok(answers.includes(200));
  assert.ok(size > first);
});

test('a second history signed with the same log key: the witness refuses it and the server shows the fork', async (t) => {
  const a = tmp(t);
  const [w] = await witnesses(t, a, ['w-fork']);
  const urls = new Map([[w.name, w.url]]);
  const source = witnessedSource([w], 1);
  const sa = await startWitnessedServer({ dir: a, source, urls });
  t.after(() => sa.stop());
  for (let i = 0; i < 3; i++) await report(sa, i);
  const sizeA = sa.deployment.log.size;
  await eventually('A cosigned', 5000, async () => ((await status(sa)).witnessed?.size === sizeA ? true : undefined));
  const held = w.state.get(TEST_ORIGIN)!;

  // The operator starts over in another directory with the same log key.
  const b = tmp(t);
  const { cpSync } = await import('node:fs');
  cpSync(join(a, 'keys'), join(b, 'keys'), { recursive: true });
  assert.equal(logKeyFor(b), logKeyFor(a));
  const warnings: string[] = [];
  const sb = await startWitnessedServer({ dir: b, source, urls, warnings });
  t.after(() => sb.stop());
  for (let i = 0; i < 6; i++) await report(sb, 100 + i);
  const forked = await eventually('B flagged as a fork', 5000, async () => (await status(sb)).witnesses[0].forked);
  assert.match(forked, /entries/);
  assert.ok(warnings.some((m) => /FORK/.test(m)));
  assert.equal((await status(sb)).witnessed, null);
  assert.equal((await sb.as('il', 'GET', `${BASE}/record/checkpoint`)).statusCode, 404);
  // The witness still holds A's tree.
  assert.deepEqual(w.state.get(TEST_ORIGIN), held);
  assert.ok(w.answers.includes(422) || w.answers.includes(409));
});

test('every role sees an event when the witnessed head moves', async (t) => {
  const dir = tmp(t);
  const [w] = await witnesses(t, dir, ['w-ev']);
  const s = await startWitnessedServer({ dir, source: witnessedSource([w], 1), urls: new Map([[w.name, w.url]]) });
  t.after(() => s.stop());
  // Read as a page reads the stream: one write may carry several events (the bus joins what a stream is due in a round).
  const events: StreamEvent[] = [];
  const parser = new EventStreamParser((e) => events.push(e));
  const write = (c: Buffer): boolean => {
    parser.push(c.toString());
    return true;
  };
  const sink = { write, writableLength: 0, once: () => undefined, destroy: () => undefined };
  const stream = s.deployment.bus.subscribe(s.deployment.actors.get('tr')!, 'test-token', sink);
  t.after(() => stream.close());
  await report(s, 1);
  const size = s.deployment.log.size;
  const event = await eventually('a witnessed event at the log size', 5000, () =>
    events.find((e) => e.type === 'witnessed' && JSON.parse(e.data).size === size),
  );
  const data = JSON.parse(event.data) as { size: number; checkpoint: string };
  assert.equal(data.checkpoint, (await s.as('tr', 'GET', `${BASE}/record/checkpoint`)).body);
});
