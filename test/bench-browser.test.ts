// The mediator's bench in the page, on the demo (both rounds run at its start, so round
// 2's model is on the bench): the mediator sees the pictures, and the ZOPA band of each
// issue spans the zone `detente analyze` computes, on the scale the picture is drawn at;
// a party's page has no bench and never asks the server for it. Skipped, saying why,
// where there is no Chromium or no built UI (npm run build:web).
// DETENTE_BENCH_SCREENSHOT=docs/img/bench.png refreshes the README's picture on purpose;
// otherwise the screenshot goes to a temporary file, so that tests never change the tree.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { analyze } from '../src/analyze/analyze.ts';
import { parseModel } from '../src/analyze/model.ts';
import { readModelFile } from '../src/server/core/bench-store.ts';
import { type Demo, EXAMPLE_DIR, startDemo } from '../src/sim/demo.ts';
import { browserSkip, launchChromium } from './helpers/chromium.ts';

const why = browserSkip;
const SCREENSHOT = process.env.DETENTE_BENCH_SCREENSHOT;

let browser: Browser;
let demo: Demo;
let dir: string;

before(async () => {
  if (why) return;
  dir = mkdtempSync(join(tmpdir(), 'detente-bench-ui-'));
  browser = await launchChromium();
  demo = await startDemo({ dataDir: dir, port: 0, host: '127.0.0.1', speed: 1, witnesses: false });
});

after(async () => {
  await browser?.close();
  await demo?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** The page as an actor of the demo, every request it makes collected. */
async function open(actor: string): Promise<{ page: Page; requests: string[] }> {
  const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
  const requests: string[] = [];
  page.on('request', (r) => requests.push(r.url()));
  const token = demo.server.deployment.tokens[actor];
  await page.goto(`${demo.server.url}?token=${encodeURIComponent(token)}`);
  await page.waitForFunction(() => (window as unknown as { __detente?: { ready: boolean } }).__detente?.ready === true, undefined, { timeout: 30_000 });
  await page.locator('[data-test=tab-talks]').click();
  return { page, requests };
}

test("the mediator sees the bench: each issue's ZOPA band spans the analysis's zone on the drawn scale", { skip: why, timeout: 240_000 }, async () => {
  const expected = analyze(parseModel(readModelFile(join(EXAMPLE_DIR, 'bench-round2.yaml'))));
  const { page } = await open('ru');
  try {
    await page.locator('[data-test=bench] svg[data-test=bench-issue]').first().waitFor({ timeout: 30_000 });
    const drawn = await page.$$eval('svg[data-test=bench-issue]', (svgs) =>
      svgs.map((svg) => {
        const band = svg.querySelector('[data-test=zopa-band]');
        return {
          issue: svg.getAttribute('data-issue'),
          domain: (svg.getAttribute('data-domain') ?? '').split(' ').map(Number),
          range: (svg.getAttribute('data-range') ?? '').split(' ').map(Number),
          band: band && { x: Number(band.getAttribute('x')), width: Number(band.getAttribute('width')) },
          title: svg.querySelector('title')?.textContent,
          desc: svg.querySelector('desc')?.textContent,
        };
      }),
    );
    const zopas = expected.zopa!;
    assert.deepEqual(
      drawn.map((d) => d.issue),
      zopas.map((z) => z.issue),
    );
    for (const z of zopas) {
      assert.ok(!('empty' in z) && z.from !== null && z.to !== null, 'the example has a bounded zone');
      const d = drawn.find((x) => x.issue === z.issue)!;
      const [d0, d1] = d.domain;
      const [r0, r1] = d.range;
      const at = (v: number) => r0 + ((v - d0) / (d1 - d0)) * (r1 - r0);
      assert.ok(d.band, `${z.issue}: a ZOPA band`);
      assert.ok(Math.abs(d.band.x - at(z.from)) < 0.01, `${z.issue}: band starts at ${d.band.x}, the zone's ${z.from} is at ${at(z.from)}`);
      assert.ok(Math.abs(d.band.x + d.band.width - at(z.to)) < 0.01, `${z.issue}: band ends at ${d.band.x + d.band.width}, ${z.to} is at ${at(z.to)}`);
      // The picture says its numbers in words.
      assert.match(d.desc ?? '', new RegExp(`from ${z.from} to ${z.to}`));
    }
    // The frontier with both solutions, and the forecast's three marks.
    const nash = page.locator('svg[data-test=bench-frontier] [data-test=nash]');
    assert.equal(Number(await nash.getAttribute('data-u1')), expected.nash!.u[0]);
    assert.equal(await page.locator('svg[data-test=bench-frontier] [data-test=kalai-smorodinsky]').count(), 1);
    const fc = expected.forecast![0];
    const forecast = page.locator(`svg[data-test=bench-forecast][data-issue=${fc.issue}]`);
    assert.equal(Number(await forecast.locator('[data-test=median]').getAttribute('data-value')), fc.median_voter);
    assert.equal(Number(await forecast.locator('[data-test=mean]').getAttribute('data-value')), fc.weighted_mean);
    assert.equal(Number(await forecast.locator('[data-test=outcome]').getAttribute('data-value')), fc.outcome);
    assert.equal(await forecast.locator('[data-test=stakeholder]').count(), 5);
    // The mediator's form: a bad model is refused naming the field, and round 1's model
    // (a zone on one issue, a gap on the other) redraws the bench.
    const box = page.locator('[data-test=bench-model]');
    assert.deepEqual(JSON.parse(await box.inputValue()), readModelFile(join(EXAMPLE_DIR, 'bench-round2.yaml')));
    const round1 = readModelFile(join(EXAMPLE_DIR, 'bench.yaml')) as { issues: { parties: Record<string, { reservation: unknown }> }[] };
    const bad = structuredClone(round1);
    bad.issues[1].parties.sy.reservation = 'six hundred';
    await box.fill(JSON.stringify(bad));
    await page.locator('[data-test=bench-put-submit]').click();
    await page.locator('[data-test=bench-put-status] li').first().waitFor({ timeout: 60_000 });
    assert.match(await page.locator('[data-test=bench-put-status]').innerText(), /issues\[1\]\.parties\.sy\.reservation expected a number/);
    await box.fill(JSON.stringify(round1));
    await page.locator('[data-test=bench-put-submit]').click();
    const gap = page.locator('svg[data-test=bench-issue][data-issue=russian-troops] [data-test=gap-band]');
    await gap.waitFor({ timeout: 60_000 });
    const gapped = analyze(parseModel(round1)).zopa!.find((z) => z.issue === 'russian-troops')!;
    assert.ok('empty' in gapped);
    assert.equal(Number(await gap.getAttribute('data-to')) - Number(await gap.getAttribute('data-from')), gapped.gap);
    assert.equal(await page.locator('svg[data-test=bench-issue][data-issue=strip-km] [data-test=zopa-band]').count(), 1);
    // Tall enough for the whole panel: the tabs' panel scrolls, and an element shot shows only what is in view.
    await page.setViewportSize({ width: 1400, height: 3600 });
    const shot = SCREENSHOT ?? join(dir, 'bench.png');
    await page.locator('[data-test=bench]').screenshot({ path: shot });
    assert.deepEqual([...readFileSync(shot).subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  } finally {
    await page.close();
  }
});

test("a party's page has no bench and never asks for it", { skip: why, timeout: 240_000 }, async () => {
  for (const actor of ['il', 'sy']) {
    const { page, requests } = await open(actor);
    try {
      await page.locator('[data-test=agenda]').waitFor({ timeout: 60_000 });
      await page.waitForTimeout(500);
      assert.equal(await page.locator('[data-test=bench]').count(), 0, `${actor}: no bench panel`);
      assert.ok(
        requests.some((u) => u.includes('/talks/gap')),
        `${actor}: the talks were fetched (${requests.length} requests)`,
      );
      assert.deepEqual(
        requests.filter((u) => u.includes('/bench')),
        [],
        `${actor} asked for the bench`,
      );
    } finally {
      await page.close();
    }
  }
});
