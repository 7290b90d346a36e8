#!/usr/bin/env node
// Refreshes docs/screenshot.png, the README's picture of the demo, on purpose: runs
// the browser test that opens `detente demo` in Chromium with DETENTE_SCREENSHOT
// pointing at it (tests otherwise write their screenshot to a temporary folder).
// Needs Chromium (CHROMIUM, default /usr/bin/chromium) and the built UI (npm run build:web).
import { spawnSync } from 'node:child_process';
import { statSync } from 'node:fs';

const root = new URL('..', import.meta.url).pathname;
const target = new URL('../docs/screenshot.png', import.meta.url).pathname;

function mtime(path) {
  try {
    return statSync(path).mtimeMs;
  } catch {
    return 0;
  }
}

const before = mtime(target);
const r = spawnSync(process.execPath, ['--import', 'tsx', '--test', '--test-name-pattern', '^npm start', 'test/browser.test.ts'], {
  cwd: root,
  stdio: 'inherit',
  env: { ...process.env, DETENTE_SCREENSHOT: target },
});
if (r.status !== 0) process.exit(r.status ?? 1);
// The test skips without Chromium or a built UI, and passes: that refreshed nothing.
if (mtime(target) === before) {
  console.error('docs/screenshot.png was not refreshed: the browser test was skipped (see its reason above)');
  process.exit(1);
}
console.log(`refreshed ${target}`);
