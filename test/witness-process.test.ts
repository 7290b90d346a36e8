// `detente witness` as a process, over real HTTP: what it prints and keeps, every
// status of tlog-witness v1.0.0, its state across a clean restart, and across kill -9
// in the middle of a stream of add-checkpoints (never behind what it answered 200 for).
import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { type TestContext, test } from 'node:test';
import { cosignaturesOf, parseCosignatureKey } from '../src/record/cosignature.ts';
import { tempDir } from './helpers/record-fixtures.ts';
import { type TestLog, testLog } from './helpers/witness-log.ts';

const BIN = new URL('../bin/detente.js', import.meta.url).pathname;

interface Running {
  proc: ChildProcess;
  url: string;
  vkey: string;
  /** resolves with the exit code, or the signal's name */
  exited: Promise<number | string>;
}

function runWitness(args: string[]): Promise<Running> {
  return new Promise((resolve, reject) => {
    const proc = spawn(process.execPath, [BIN, 'witness', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    let vkey: string | undefined;
    const exited = new Promise<number | string>((res) => proc.on('exit', (code, signal) => res(code ?? signal ?? -1)));
    proc.stderr?.on('data', (d) => (stderr += d));
    createInterface({ input: proc.stdout! }).on('line', (line) => {
      if (vkey === undefined) vkey = line;
      const m = /listening at (http:\/\/\S+)/.exec(line);
      if (m && vkey) resolve({ proc, url: m[1], vkey, exited });
    });
    void exited.then((code) => reject(new Error(`detente witness exited (${code}) before listening: ${stderr}`)));
    proc.on('error', reject);
  });
}

async function started(t: TestContext, dir: string, logs: TestLog[], extra: string[] = []): Promise<Running> {
  const w = await runWitness(['--data', dir, '--port', '0', ...logs.flatMap((l) => ['--log', `${l.origin}=${l.vkey}`]), ...extra]);
  t.after(() => {
    if (w.proc.exitCode === null && w.proc.signalCode === null) w.proc.kill('SIGKILL');
  });
  return w;
}

async function post(url: string, body: string): Promise<{ status: number; type: string | null; body: string }> {
  // a Uint8Array body: fetch sends no Content-Type, as a C2SP client need not
  const r = await fetch(`${url}/add-checkpoint`, { method: 'POST', body: new TextEncoder().encode(body) });
  return { status: r.status, type: r.headers.get('content-type'), body: await r.text() };
}

test('detente witness: prints its key and URL, keeps them in --data, and answers every status', { timeout: 60_000 }, async (t) => {
  const dir = join(tempDir(t, 'detente-witness-'), 'w');
  const log = await testLog();
  const unknown = await testLog('detente/test/unknown');
  const w = await started(t, dir, [log], ['--name', 'il.example/witness']);
  assert.equal(readFileSync(join(dir, 'witness.vkey'), 'utf8'), `${w.vkey}\n`);
  assert.match(w.vkey, /^il\.example\/witness\+[0-9a-f]{8}\+/);
  assert.match(w.url, /^http:\/\/127\.0\.0\.1:\d+$/);
  await log.grow(30);
  await unknown.grow(3);

  const ok = await post(w.url, await log.request(0, 10));
  assert.equal(ok.status, 200, ok.body);
  assert.equal(cosignaturesOf((await log.checkpoint(10)) + ok.body, [parseCosignatureKey(w.vkey)]).size, 1);
  assert.equal((await post(w.url, 'old 1\nnot a hash\n\n')).status, 400);
  assert.equal((await post(w.url, (await log.request(10, 30)).replace('old 10', 'old 31'))).status, 400);
  assert.equal((await post(w.url, await unknown.request(0, 3))).status, 404);
  const other = await testLog(log.origin);
  await other.grow(30);
  assert.equal((await post(w.url, await other.request(0, 30))).status, 403);
  const stale = await post(w.url, await log.request(0, 30));
  assert.deepEqual([stale.status, stale.type, stale.body], [409, 'text/x.tlog.size', '10\n']);
  assert.equal((await post(w.url, (await log.request(10, 30)).replace(/\n[^\n]+\n\n/, '\n\n'))).status, 422);
  assert.equal((await post(w.url, await log.request(10, 30))).status, 200);

  w.proc.kill('SIGTERM');
  assert.equal(await w.exited, 0);
});

test('detente witness: a malformed --log key and a changed --name are exit 2, naming them', { timeout: 60_000 }, async (t) => {
  const dir = tempDir(t, 'detente-witness-');
  const log = await testLog();
  const run = (args: string[]) =>
    new Promise<{ code: number | null; stderr: string }>((resolve) => {
      const p = spawn(process.execPath, [BIN, 'witness', '--data', dir, '--port', '0', ...args], { stdio: ['ignore', 'ignore', 'pipe'] });
      let stderr = '';
      p.stderr.on('data', (d) => (stderr += d));
      p.on('close', (code) => resolve({ code, stderr }));
    });
  const bad = await run(['--log', `${log.origin}=${log.vkey.slice(0, -4)}`]);
  assert.equal(bad.code, 2);
  assert.ok(bad.stderr.includes(log.vkey.slice(0, -4)), bad.stderr);
  const w = await started(t, dir, [log], ['--name', 'first']);
  w.proc.kill('SIGTERM');
  assert.equal(await w.exited, 0);
  const renamed = await run(['--name', 'second', '--log', `${log.origin}=${log.vkey}`]);
  assert.equal(renamed.code, 2);
  assert.match(renamed.stderr, /not "second"/);
});

test('detente witness: state and key survive a restart', { timeout: 60_000 }, async (t) => {
  const dir = tempDir(t, 'detente-witness-');
  const log = await testLog();
  await log.grow(50);
  const first = await started(t, dir, [log]);
  assert.equal((await post(first.url, await log.request(0, 20))).status, 200);
  first.proc.kill('SIGTERM');
  assert.equal(await first.exited, 0);

  const second = await started(t, dir, [log]);
  assert.equal(second.vkey, first.vkey);
  const stale = await post(second.url, await log.request(0, 50));
  assert.deepEqual([stale.status, stale.body], [409, '20\n']);
  assert.equal((await post(second.url, await log.request(20, 50))).status, 200);
  second.proc.kill('SIGTERM');
  assert.equal(await second.exited, 0);
});

/** Submits a growing log to the witness, one request after another, until a request fails. */
async function stream(url: string, log: TestLog, from: number, limit: number, acked: { size: number; tried: number }): Promise<void> {
  let old = from;
  while (old < limit) {
    const size = Math.min(limit, old + 1 + Math.floor(Math.random() * 3));
    const body = await log.request(old, size);
    acked.tried = Math.max(acked.tried, size);
    let r: Awaited<ReturnType<typeof post>>;
    try {
      r = await post(url, body);
    } catch {
      return; // the witness is gone
    }
    assert.equal(r.status, 200, r.body);
    acked.size = size;
    old = size;
  }
}

test('kill -9 mid-stream: after restart each log is at the last size answered 200, or later, never earlier', { timeout: 120_000 }, async (t) => {
  const dir = tempDir(t, 'detente-witness-');
  const logs = await Promise.all(['a', 'b', 'c'].map((n) => testLog(`detente/test/${n}`)));
  const LIMIT = 1500;
  await Promise.all(logs.map((l) => l.grow(LIMIT)));
  const at = logs.map(() => 0);
  let inFlight = 0; // requests sent and not answered when the process died
  for (let round = 0; round < 3; round++) {
    const w = await started(t, dir, logs);
    const acked = logs.map((_, i) => ({ size: at[i], tried: at[i] }));
    const streams = logs.map((l, i) => stream(w.url, l, at[i], LIMIT, acked[i]));
    // kill while requests are in flight: after some have been answered
    while (acked.reduce((n, a, i) => n + a.size - at[i], 0) < 20 + round * 15) await new Promise((r) => setTimeout(r, 5));
    await new Promise((r) => setTimeout(r, Math.random() * 200));
    w.proc.kill('SIGKILL');
    assert.equal(await w.exited, 'SIGKILL');
    await Promise.all(streams);

    const again = await started(t, dir, logs);
    inFlight += acked.filter((a) => a.tried > a.size).length;
    for (const [i, l] of logs.entries()) {
      // old 0 with the newest checkpoint: a 409 says the stored size (0 would be a 200)
      const r = await post(again.url, await l.request(0, LIMIT));
      assert.equal(r.status, 409, r.body);
      const stored = Number(r.body);
      assert.ok(stored >= acked[i].size, `${l.origin}: stored ${stored} is behind the acknowledged ${acked[i].size}`);
      assert.ok(stored <= acked[i].tried, `${l.origin}: stored ${stored} was never sent (at most ${acked[i].tried})`);
      // and the stored root is the log's: a proof from it verifies
      const next = Math.min(LIMIT, stored + 1);
      assert.equal((await post(again.url, await l.request(stored, next))).status, 200);
      at[i] = next;
    }
    again.proc.kill('SIGTERM');
    assert.equal(await again.exited, 0);
  }
  assert.ok(inFlight > 0, 'no kill landed while a request was in flight');
});
