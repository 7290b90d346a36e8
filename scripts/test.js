#!/usr/bin/env node
// Node 20's test runner does not expand globs, so this collects the test files
// (unit tests beside their code in src/ and web/src/, cross-part tests in test/) and hands
// them to `node --test`. Extra arguments narrow the run to files whose path
// contains any of them: `npm test -- geo record`.
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join, relative } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const filters = process.argv.slice(2).filter((a) => !a.startsWith('-'));
const flags = process.argv.slice(2).filter((a) => a.startsWith('-'));

function walk(dir, out) {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    if (e.name === 'node_modules' || e.name.startsWith('.')) continue;
    const p = join(dir, e.name);
    if (e.isDirectory()) walk(p, out);
    else if (e.name.endsWith('.test.ts')) out.push(relative(root, p));
  }
  return out;
}

const files = [...walk(join(root, 'src'), []), ...walk(join(root, 'web', 'src'), []), ...walk(join(root, 'test'), [])]
  .filter((f) => filters.length === 0 || filters.some((x) => f.includes(x)))
  .sort();
if (files.length === 0) {
  console.error('no test files matched');
  process.exit(1);
}
// A test that waits for something that never comes fails after TEST_TIMEOUT_MS (the
// longest single test takes about 30 s on two busy cores); a file that leaves something
// running after its tests is failed by the watchdog (scripts/test-watchdog.js).
const TEST_TIMEOUT_MS = 300_000;
const watchdog = join(root, 'scripts', 'test-watchdog.js');
const r = spawnSync(
  process.execPath,
  ['--import', 'tsx', '--import', watchdog, '--test', `--test-timeout=${TEST_TIMEOUT_MS}`, '--test-reporter=spec', ...flags, ...files],
  {
    cwd: root,
    stdio: 'inherit',
  },
);
process.exit(r.status ?? 1);
