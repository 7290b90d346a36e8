// `detente follow` as a process: it keeps following (each new entry verified within a
// few intervals) until SIGTERM, then exits 0; bad arguments exit 2.
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { readState } from '../src/follow/state.ts';
import { listen, postReports } from './helpers/follow-server.ts';
import { ID, startTestServer } from './helpers/server.ts';
import { eventually } from './helpers/test-witness.ts';

const BIN = new URL('../bin/detente.js', import.meta.url).pathname;

test('detente follow keeps following until SIGTERM, then exits 0', async (t) => {
  const s = await startTestServer({ web: false });
  t.after(() => s.destroy());
  const url = await listen(s);
  await postReports(s, 2);
  const dir = mkdtempSync(join(tmpdir(), 'detente-follow-cli-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const p = spawn(process.execPath, [BIN, 'follow', url, '--arrangement', ID, '--token', s.tokens.il, '--data', dir, '--interval', '50'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let err = '';
  p.stderr.on('data', (c) => (err += c));
  const exited = new Promise<number | null>((r) => p.on('close', (code) => r(code)));
  t.after(() => p.kill('SIGKILL'));

  const verified = (n: number) => eventually(`${n} entries verified`, 20_000, () => ((readState(dir)?.size ?? 0) >= n ? true : undefined));
  await verified(s.deployment.log.size);
  await postReports(s, 1, 'later');
  await verified(s.deployment.log.size);
  p.kill('SIGTERM');
  assert.equal(await exited, 0, err);
  assert.equal(err, '');
});

test('detente follow refuses bad arguments with exit 2', () => {
  for (const args of [
    [],
    ['http://x'],
    ['ftp://x', '--arrangement', 'a', '--token', 't', '--data', 'd'],
    ['http://x', '--arrangement', 'a', '--token', 't', '--data', 'd', '--listen', '1'],
    ['http://x', '--arrangement', 'a', '--token', 't', '--data', 'd', '--check-findings', 'arrangement.yaml'],
  ]) {
    const r = spawnSync(process.execPath, [BIN, 'follow', ...args], { encoding: 'utf8' });
    assert.equal(r.status, 2, `${args.join(' ')}: ${r.stderr}`);
    assert.match(r.stderr, /detente follow: /);
  }
});
