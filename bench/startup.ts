// `npm start` to its first finding: `detente demo` spawned as `npm start` runs it, timed
// to its login links (the server up, talks replayed) and to the first finding the API
// serves the mediator (what the page lists first). Beside it, in the same run, the CLI's
// fixed cost: `detente --help` spawned the same way (node, tsx, the CLI's modules). The
// page's own share (assets, map, first idle) is measured by test/browser.test.ts's npm-start test.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Suite } from './harness.ts';

const BIN = new URL('../bin/detente.js', import.meta.url).pathname;
const TARGET_S = 5;

function cliStart(): number {
  const t0 = performance.now();
  spawnSync(process.execPath, [BIN, '--help'], { stdio: 'ignore' });
  return (performance.now() - t0) / 1000;
}

async function demoToFirstFinding(): Promise<{ links: number; finding: number }> {
  const dir = mkdtempSync(join(tmpdir(), 'detente-bench-start-'));
  const t0 = performance.now();
  const child = spawn(process.execPath, [BIN, 'demo', '--data', join(dir, 'data'), '--port', '0'], { stdio: ['ignore', 'pipe', 'inherit'] });
  try {
    const link = await new Promise<string>((resolve, reject) => {
      let out = '';
      child.stdout.on('data', (c) => {
        out += c;
        const m = /Russia\s+mediator\s+(\S+)/.exec(out);
        if (m) resolve(m[1]);
      });
      child.once('exit', (code) => reject(new Error(`detente demo exited ${code}: ${out}`)));
    });
    const links = (performance.now() - t0) / 1000;
    const u = new URL(link);
    const token = u.searchParams.get('token')!;
    for (;;) {
      const r = await fetch(new URL('/api/arrangements/southern-syria/findings?limit=1', u), { headers: { authorization: `Bearer ${token}` } });
      if (r.ok && ((await r.json()) as unknown[]).length > 0) break;
      await new Promise((r) => setTimeout(r, 20));
    }
    return { links, finding: (performance.now() - t0) / 1000 };
  } finally {
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));
    rmSync(dir, { recursive: true, force: true });
  }
}

export const suite: Suite = async () => {
  const anchor = cliStart();
  const d = await demoToFirstFinding();
  return [
    {
      suite: 'startup',
      case: `npm start (detente demo) to the first finding the API serves (login links at ${d.links.toFixed(2)} s)`,
      value: d.finding,
      unit: 's',
      anchor: { name: 'detente --help, spawned the same way', value: anchor },
      ratio: anchor / d.finding,
      target: `≤ ${TARGET_S} s to the first finding on screen (the page adds its load: test/browser.test.ts)`,
      met: d.finding <= TARGET_S,
    },
  ];
};
