// kill -9 a follower mid-catch-up, start it again: it resumes from what is durable and
// ends with a mirror identical to the server's record. Restart the server mid-catch-up:
// the follower goes on.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { Follower } from '../src/follow/follower.ts';
import { STATE_FILE, readState } from '../src/follow/state.ts';
import { storedEntries, listen, postReports } from './helpers/follow-server.ts';
import { ID, startTestServer } from './helpers/server.ts';

const CHILD = new URL('./helpers/follow-child.ts', import.meta.url).pathname;

function runChild(url: string, token: string, dir: string) {
  const p = spawn(process.execPath, ['--import', 'tsx', CHILD, url, token, dir], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  p.stdout.on('data', (c) => (out += c));
  p.stderr.on('data', (c) => (err += c));
  const done = new Promise<{ code: number | null; signal: NodeJS.Signals | null; out: string; err: string }>((resolve) =>
    p.on('close', (code, signal) => resolve({ code, signal, out, err })),
  );
  return { p, done };
}

test('a follower killed with SIGKILL mid-catch-up resumes from what is durable and ends identical', async (t) => {
  const s = await startTestServer({ web: false });
  t.after(() => s.destroy());
  const url = await listen(s);
  await postReports(s, 900);
  // The engine's findings go into the record after the reports they rest on: wait for them, and for the checkpoint.
  await s.deployment.recordFindings();
  for (let i = 0; i < 300 && Number(s.deployment.log.checkpoint().split('\n')[1]) < s.deployment.log.size; i++) await new Promise((r) => setTimeout(r, 10));
  const total = s.deployment.log.size;
  assert.ok(total > 3 * 256);

  // A proxy that holds the third entry bundle for ever: the follower is mid-catch-up.
  let bundles = 0;
  let held: () => void = () => {};
  const heldOne = new Promise<void>((r) => (held = r));
  const proxy = createServer((req, res) => {
    if (req.url?.includes('/tile/entries/') && ++bundles >= 3) {
      held();
      return; // never answered
    }
    const up = request(`${url}${req.url}`, { method: req.method, headers: req.headers }, (r) => {
      res.writeHead(r.statusCode ?? 502, r.headers);
      r.pipe(res);
    });
    req.pipe(up);
  });
  await new Promise<void>((r) => proxy.listen(0, '127.0.0.1', () => r()));
  t.after(() => {
    proxy.closeAllConnections();
    proxy.close();
  });
  const proxyUrl = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;

  const dir = mkdtempSync(join(tmpdir(), 'detente-follow-crash-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const first = runChild(proxyUrl, s.tokens.il, dir);
  await heldOne;
  // The two bundles before the held one are verified and appended (256 entries a batch).
  for (let i = 0; i < 500; i++) {
    if (existsSync(join(dir, 'record')) && (await storedEntries(dir).catch(() => [])).length >= 512) break;
    await new Promise((r) => setTimeout(r, 10));
  }
  first.p.kill('SIGKILL');
  const killed = await first.done;
  assert.equal(killed.signal, 'SIGKILL', killed.err);
  const mirrored = (await storedEntries(dir)).length;
  assert.equal(mirrored, 512, 'two bundles durable when killed');
  assert.equal(existsSync(join(dir, STATE_FILE)), false, 'nothing remembered before the round ended');

  const second = runChild(url, s.tokens.il, dir);
  const r = await second.done;
  assert.equal(r.code, 0, r.err);
  const result = JSON.parse(r.out) as { size: number; appended: number; discrepancies: unknown[] };
  assert.deepEqual(result.discrepancies, []);
  assert.equal(result.size, total);
  assert.equal(result.appended, total, 'the round counts from what was remembered (nothing)');
  assert.equal(readState(dir)?.size, total);
  const mine = (await storedEntries(dir)).map((e) => Buffer.from(e).toString('hex'));
  const theirs = (await storedEntries(s.dir)).map((e) => Buffer.from(e).toString('hex'));
  assert.deepEqual(mine, theirs);
});

test('the server restarted mid-catch-up: the round fails, the next goes on from what is durable and ends identical', async (t) => {
  const s = await startTestServer({ web: false });
  const url = await listen(s);
  const port = Number(new URL(url).port);
  await postReports(s, 900);
  // The engine's findings go into the record after the reports they rest on: wait for them, and for the checkpoint.
  await s.deployment.recordFindings();
  for (let i = 0; i < 300 && Number(s.deployment.log.checkpoint().split('\n')[1]) < s.deployment.log.size; i++) await new Promise((r) => setTimeout(r, 10));
  const total = s.deployment.log.size;

  // Between the follower and the server, a proxy that cuts the third entry bundle off.
  let bundles = 0;
  let cut: () => void = () => {};
  const cutOne = new Promise<void>((r) => (cut = r));
  const proxy = createServer((req, res) => {
    if (req.url?.includes('/tile/entries/') && ++bundles === 3) {
      cut();
      req.socket.destroy();
      return;
    }
    const up = request(`${url}${req.url}`, { method: req.method, headers: req.headers }, (r) => {
      res.writeHead(r.statusCode ?? 502, r.headers);
      r.pipe(res);
    });
    up.on('error', () => res.destroy());
    req.pipe(up);
  });
  await new Promise<void>((r) => proxy.listen(0, '127.0.0.1', () => r()));
  t.after(() => {
    proxy.closeAllConnections();
    proxy.close();
  });
  const proxyUrl = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
  const dir = mkdtempSync(join(tmpdir(), 'detente-follow-restart-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const f = new Follower({ dir, url: proxyUrl, arrangement: ID, token: s.tokens.il, appendBatch: 256 });
  t.after(() => f.close());

  const first = f.round();
  await cutOne;
  await s.stop();
  await assert.rejects(first);
  const s2 = await startTestServer({ web: false, dir: s.dir });
  t.after(() => s2.destroy());
  await listen(s2, port);
  assert.ok((await storedEntries(dir)).length < total, 'the first round was cut short');

  const r = await f.round();
  assert.deepEqual(r.discrepancies, []);
  assert.equal(r.size, s2.deployment.log.size);
  assert.ok(r.size >= total);
  const mine = (await storedEntries(dir)).map((e) => Buffer.from(e).toString('hex'));
  const theirs = (await storedEntries(s2.dir)).map((e) => Buffer.from(e).toString('hex'));
  assert.deepEqual(mine, theirs);
});
