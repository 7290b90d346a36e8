// The map that speaks, in Debian's Chromium: the demo's map as an observer in English and
// in Arabic shows the place labels (Quneitra / القنيطرة) over it, no two visible labels
// overlap, a layer switched off hides its labels and is remembered, switched on from the
// switcher shows them again, and the findings list puts open findings before closed ones,
// each titled in words. Skipped, saying why, where there is no Chromium or no built UI.
// DETENTE_MAP_SCREENSHOT=docs/img/map-labels.png refreshes the README's picture.
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { browserSkip } from './helpers/chromium.ts';
import { withBrowserAndServer } from './helpers/browser-server.ts';
import { BASE, json, observation, type TestServer } from './helpers/server.ts';

const why = browserSkip;
const SHOT = process.env.DETENTE_MAP_SCREENSHOT ?? join(mkdtempSync(join(tmpdir(), 'detente-map-')), 'map-labels.png');

let browser: Browser;
let s: TestServer;
let url: string;

withBrowserAndServer(async (b) => {
  ({ browser, s, url } = b);
  // Two Syrian units enter the Area of Separation (only UNDOF may be there); the second
  // leaves again. Its closed finding is the newest activity, yet the open one comes first.
  const post = async (r: object) => json(await s.as('undof', 'POST', `${BASE}/reports`, r), 202);
  await post(observation('m-1', 'sy-armd-coy', 'sy', { tanks: 10 }, '2025-12-27T06:50:00Z'));
  await post(observation('m-2', 'sy-recce', 'sy', { troops: 20 }, '2025-12-27T06:52:00Z', [35.83, 33.2]));
  await post(observation('m-3', 'sy-recce', 'sy', { troops: 20 }, '2025-12-27T06:55:00Z', [36.25, 33.45]));
});

type Hooks = { ready: boolean; labels?: () => { id: string; text: string }[]; layers?: { set(g: string, on: boolean): void; hidden(g: string): boolean } };

async function open(locale: string): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: 1400, height: 900 }, locale });
  await page.goto(`${url}?token=${encodeURIComponent(s.tokens.undof)}`);
  await page.waitForFunction(() => (window as unknown as { __detente?: Hooks }).__detente?.ready === true, undefined, { timeout: 30_000 });
  await page.waitForFunction(() => ((window as unknown as { __detente: Hooks }).__detente.labels?.().length ?? 0) > 0, undefined, { timeout: 30_000 });
  return page;
}

/** The screen boxes of the labels shown now. */
function boxes(page: Page) {
  return page.$$eval('.map-label:not([hidden])', (els) =>
    els.map((e) => {
      const r = e.getBoundingClientRect();
      return { id: (e as HTMLElement).dataset.label ?? '', text: e.textContent ?? '', x: r.x, y: r.y, w: r.width, h: r.height };
    }),
  );
}

const quneitra = (page: Page) => page.locator('.map-label[data-label="place:quneitra"]');

for (const [locale, name, dir] of [
  ['en-GB', 'Quneitra', 'ltr'],
  ['ar', 'القنيطرة', 'rtl'],
] as const) {
  test(`${locale}: labels on the map, none overlapping; a layer switched off and on; open findings first`, { skip: why, timeout: 120_000 }, async () => {
    const page = await open(locale);
    try {
      assert.equal(await page.evaluate(() => document.documentElement.dir), dir);
      await quneitra(page).waitFor({ state: 'visible', timeout: 10_000 });
      assert.equal((await quneitra(page).textContent())?.trim(), name);
      const shown = await boxes(page);
      assert.ok(shown.length >= 5, `only ${shown.length} labels: ${shown.map((b) => b.text).join(', ')}`);
      // Lines and zones are labelled too, in the reader's language.
      assert.ok(
        shown.some((b) => b.id.startsWith('line:') || b.id.startsWith('zone:')),
        shown.map((b) => b.id).join(', '),
      );
      for (let i = 0; i < shown.length; i++)
        for (let j = i + 1; j < shown.length; j++) {
          const [a, b] = [shown[i], shown[j]];
          const apart = a.x + a.w <= b.x || b.x + b.w <= a.x || a.y + a.h <= b.y || b.y + b.h <= a.y;
          assert.ok(apart, `"${a.text}" overlaps "${b.text}"`);
        }
      if (locale === 'en-GB') await page.screenshot({ path: SHOT });

      // Places off (through the hook): the label goes, and the choice is kept.
      await page.evaluate(() => (window as unknown as { __detente: Hooks }).__detente.layers?.set('places', false));
      await quneitra(page).waitFor({ state: 'hidden', timeout: 5_000 });
      assert.deepEqual(JSON.parse((await page.evaluate(() => localStorage.getItem('detente.map.hidden-layers'))) ?? '[]'), ['places']);
      // … and on again from the switcher on the map.
      await page.locator('[data-test=layer-switcher] summary').click();
      const box = page.locator('[data-test=layer-switcher] input[data-layer=places]');
      assert.equal(await box.isChecked(), false);
      await box.check();
      await quneitra(page).waitFor({ state: 'visible', timeout: 5_000 });
      assert.equal(await page.evaluate(() => (window as unknown as { __detente: Hooks }).__detente.layers?.hidden('places')), false);

      // Findings: open ones first, titled with names, not ids.
      await page.waitForFunction(() => document.querySelectorAll('[data-test=finding][data-state=closed]').length > 0, undefined, { timeout: 20_000 });
      const states = await page.$$eval('[data-test=finding]', (els) => els.map((e) => (e as HTMLElement).dataset.state));
      const firstClosed = states.indexOf('closed');
      assert.ok(firstClosed > 0, states.join(','));
      assert.ok(
        states.slice(firstClosed).every((x) => x === 'closed'),
        `open after closed: ${states.join(',')}`,
      );
      const title = await page.locator('[data-test=finding] .finding-head strong').first().textContent();
      assert.ok(title?.includes(locale === 'ar' ? 'منطقة الفصل' : 'Area of Separation'), title ?? '');
      assert.ok(!title?.includes(' aos'), title ?? '');
    } finally {
      await page.close();
    }
  });
}
