// The test runner's watchdog (scripts/test-watchdog.js): a file that leaves something
// running after its tests fails, naming why, instead of hanging npm test.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { test } from 'node:test';

const root = new URL('..', import.meta.url).pathname;
// Without the runner's own marker: this file runs under `node --test`, and a child that
// inherits NODE_TEST_CONTEXT would report to it instead of running as a runner of its own.
const { NODE_TEST_CONTEXT: _, ...env } = process.env;
const run = (fixture: string) =>
  spawnSync(process.execPath, ['--import', join(root, 'scripts/test-watchdog.js'), '--test', join(root, 'test/fixtures/watchdog', fixture)], {
    env: { ...env, DETENTE_TEST_EXIT_GRACE_MS: '300' },
    encoding: 'utf8',
    timeout: 60_000,
  });

test('a file that leaves a server open is failed, saying why, instead of hanging', () => {
  const r = run('leaks.mjs');
  assert.equal(r.signal, null, 'the run ended by itself');
  assert.equal(r.status, 1);
  assert.match(r.stdout + r.stderr, /still running/);
});

test('a file that stops what it starts passes', () => {
  const r = run('clean.mjs');
  assert.equal(r.status, 0, r.stdout + r.stderr);
  assert.doesNotMatch(r.stdout + r.stderr, /still running/);
});
