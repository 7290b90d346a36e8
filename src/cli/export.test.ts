import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { openCheckpoint } from '../record/checkpoint.ts';
import { generateKey, parseSignerKey } from '../record/keys.ts';
import { logDir } from '../store/layout.ts';
import { appendEntries, detente } from '../../test/helpers/record-bundle.ts';
import { newSigner, ORIGIN, tempDir } from '../../test/helpers/record-fixtures.ts';

test('export works while another process appends: each bundle is a consistent snapshot', { timeout: 60_000 }, async (t) => {
  const dir = tempDir(t);
  const data = join(dir, 'data');
  const keys = { origin: ORIGIN, log: generateKey(ORIGIN).skey, authors: ['il', 'sy'].map((n) => generateKey(n).skey) };
  writeFileSync(join(dir, 'keys.json'), JSON.stringify(keys));
  const child = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      new URL('../../test/helpers/record-crash-child.ts', import.meta.url).pathname,
      logDir(data, 'southern-syria'),
      join(dir, 'keys.json'),
      '1',
    ],
    {
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  t.after(() => child.kill('SIGKILL'));
  let checkpoints = 0;
  await new Promise<void>((resolve) => {
    createInterface({ input: child.stdout }).on('line', (line) => {
      if (line.startsWith('cp ') && ++checkpoints === 2) resolve();
    });
  });
  const logKey = parseSignerKey(keys.log).verifier.vkey;
  let previous = -1;
  for (let i = 0; i < 3; i++) {
    const out = join(dir, `bundle-${i}`);
    const ex = detente(['export', '--data', data, '--out', out]);
    assert.equal(ex.code, 0, ex.stderr);
    const v = detente(['verify', out]);
    assert.equal(v.code, 0, v.stderr + v.stdout);
    const size = openCheckpoint(readFileSync(join(out, 'checkpoint')), logKey).size;
    assert.ok(size >= previous, 'later exports are never smaller');
    assert.ok(size > 0);
    previous = size;
  }
  child.kill('SIGKILL');
});

test('export refuses an existing bundle, and finds logs by arrangement', async (t) => {
  const dir = tempDir(t);
  const data = join(dir, 'data');
  const logSigner = newSigner(ORIGIN);
  await appendEntries(data, logSigner, [newSigner('il')], 0, 3);
  const out = join(dir, 'bundle');
  assert.equal(detente(['export', '--data', data, '--out', out]).code, 0);
  assert.deepEqual(readdirSync(out).sort(), ['checkpoint', 'entries.ndjson', 'keys.json', 'leaf-hashes', 'log-key.vkey']);
  const again = detente(['export', '--data', data, '--out', out]);
  assert.equal(again.code, 1);
  assert.match(again.stderr, /already exists/);
  assert.equal(detente(['export', '--data', logDir(data, 'southern-syria'), '--out', join(dir, 'b2')]).code, 0);
  assert.equal(detente(['export', '--data', data, '--arrangement', 'southern-syria', '--out', join(dir, 'b3')]).code, 0);
  const none = detente(['export', '--data', data, '--arrangement', 'sinai', '--out', join(dir, 'b4')]);
  assert.equal(none.code, 2);
  assert.match(none.stderr, /no log for arrangement "sinai"/);
  assert.ok(!existsSync(join(dir, 'b4')));
  assert.deepEqual(
    readdirSync(dir).filter((f) => f.includes('partial')),
    [],
    'no half-written bundle left behind',
  );
});

test('export: usage errors exit 2', (t) => {
  const dir = tempDir(t);
  for (const args of [
    ['export'],
    ['export', '--data', dir],
    ['export', '--out', dir],
    ['export', '--data', join(dir, 'nope'), '--out', join(dir, 'b')],
    ['export', 'x'],
  ]) {
    assert.equal(detente(args).code, 2, args.join(' '));
  }
});
