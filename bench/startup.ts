// `npm start` to its first finding: `detente demo` spawned as `npm start` runs it, timed
// to its login links (the server up, zones traced, talks replayed), to the first finding
// the API serves the mediator, and, in the same run, to the first finding on the
// mediator's page in headless Chromium (the page loaded, then its list drawn: the issue's
// figure). Beside it, the CLI's fixed cost: `detente --help` spawned the same way (node,
// tsx, the CLI's modules). Where there is no Chromium (or no built UI) the on-screen row
// is left out, saying why in the API row's note.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { browserSkip, launchChromium } from '../test/helpers/chromium.ts';
import type { BenchRow, Suite } from './harness.ts';

const BIN = new URL('../bin/detente.js', import.meta.url).pathname;
const TARGET_S = 5;

function cliStart(): number {
  const t0 = performance.now();
  spawnSync(process.execPath, [BIN, '--help'], { stdio: 'ignore' });
  return (performance.now() - t0) / 1000;
}

interface Start {
  links: number;
  /** the first finding the API serves */
  finding: number;
  /** the page's load event, and its first finding on screen */
  page?: { loaded: number; shown: number };
}

async function firstFindingFromApi(link: URL, since: () => number): Promise<number> {
  const token = link.searchParams.get('token')!;
  for (;;) {
    const r = await fetch(new URL('/api/arrangements/southern-syria/findings?limit=1', link), { headers: { authorization: `Bearer ${token}` } });
    if (r.ok && ((await r.json()) as unknown[]).length > 0) return since();
    await new Promise((r) => setTimeout(r, 20));
  }
}

async function firstFindingOnScreen(page: Page, link: string, since: () => number): Promise<{ loaded: number; shown: number }> {
  try {
    await page.goto(link);
    const loaded = since();
    await page.waitForFunction(() => ((window as unknown as { __detente?: { findingsShown(): number } }).__detente?.findingsShown() ?? 0) > 0, undefined, {
      timeout: 60_000,
      polling: 20,
    });
    return { loaded, shown: since() };
  } finally {
    await page.close();
  }
}

async function demoToFirstFinding(browser: Browser | undefined): Promise<Start> {
  const dir = mkdtempSync(join(tmpdir(), 'detente-bench-start-'));
  // The browser's window is open before the command runs, as a person's is when they click
  // the link: making a fresh page (a new browser context) is the harness's cost, not the start's.
  const tab = await browser?.newPage({ viewport: { width: 1400, height: 900 } });
  const t0 = performance.now();
  const since = () => (performance.now() - t0) / 1000;
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
    const links = since();
    // Both at once, as a person opening the link and a script polling would.
    const [finding, page] = await Promise.all([firstFindingFromApi(new URL(link), since), tab ? firstFindingOnScreen(tab, link, since) : undefined]);
    return { links, finding, ...(page ? { page } : {}) };
  } finally {
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));
    rmSync(dir, { recursive: true, force: true });
  }
}

export const suite: Suite = async () => {
  const anchor = cliStart();
  // Launched before the clock starts: a person's browser is already open.
  const browser = browserSkip ? undefined : await launchChromium();
  let d: Start;
  try {
    d = await demoToFirstFinding(browser);
  } finally {
    await browser?.close();
  }
  const cli = { name: 'detente --help, spawned the same way', value: anchor };
  const rows: BenchRow[] = [
    {
      suite: 'startup',
      case: `npm start (detente demo) to the first finding the API serves (login links at ${d.links.toFixed(2)} s)`,
      value: d.finding,
      unit: 's',
      anchor: cli,
      ratio: anchor / d.finding,
      target: `≤ ${TARGET_S} s to the first finding on screen (next row)`,
      met: d.finding <= TARGET_S,
      ...(browserSkip ? { note: `no on-screen figure: ${browserSkip}` } : {}),
    },
  ];
  if (d.page)
    rows.push({
      suite: 'startup',
      case: `npm start (detente demo) to the first finding on screen, headless Chromium (login links at ${d.links.toFixed(2)} s, page loaded at ${d.page.loaded.toFixed(2)} s)`,
      value: d.page.shown,
      unit: 's',
      anchor: cli,
      ratio: anchor / d.page.shown,
      target: `≤ ${TARGET_S} s`,
      met: d.page.shown <= TARGET_S,
      note: `the page's share: ${(d.page.shown - d.links).toFixed(2)} s from the links to the first finding on screen`,
    });
  return rows;
};
