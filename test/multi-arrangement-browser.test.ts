// The web UI for a token with a part in two arrangements (the United States: guarantor in
// southern Syria, mediator in Sinai): the page shows the picker, the choice loads that
// arrangement (its title, the actor's role there) and goes in the address, and the
// header's switch moves to the other. A token of one arrangement sees no picker.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { browserSkip, launchChromium } from './helpers/chromium.ts';
import { SINAI_ID, startTwo, SYRIA_ID } from './helpers/multi.ts';

// The page is ready once its map has drawn or given up (20 s in the page), so this waits longer.
const ready = (page: Page) =>
  page.waitForFunction(() => (window as unknown as { __detente?: { ready: boolean } }).__detente?.ready === true, undefined, { timeout: 60_000 });

test('a user of two arrangements picks one, and switches to the other', { skip: browserSkip, timeout: 240_000 }, async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'detente-multi-web-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const shared = `dt_both-${'y'.repeat(30)}`;
  mkdirSync(join(dir, 'tokens'), { recursive: true });
  writeFileSync(join(dir, 'tokens.json'), JSON.stringify({ us: shared }));
  writeFileSync(join(dir, 'tokens', `${SINAI_ID}.json`), JSON.stringify({ us: shared }));
  const s = await startTwo({ dataDir: dir });
  t.after(() => s.stop());
  const browser: Browser = await launchChromium();
  t.after(() => browser.close());
  const page = await browser.newPage({ viewport: { width: 1200, height: 800 } });
  await page.goto(`${s.url}?token=${encodeURIComponent(shared)}`);
  await ready(page);
  const picker = page.locator('[data-test=arrangement-picker]');
  assert.equal(await picker.count(), 1, 'the picker is shown');
  assert.equal(await page.locator('[data-test^=pick-]').count(), 2);

  await page.locator(`[data-test=pick-${SINAI_ID}]`).click();
  await page.waitForURL((u) => u.searchParams.get('arrangement') === SINAI_ID);
  await ready(page);
  assert.match(await page.locator('[data-test=who]').innerText(), /\(mediator\)/);
  assert.match(await page.locator('header .title').innerText(), /1979/);

  await page.locator('[data-test=arrangement-switch]').selectOption(SYRIA_ID);
  await page.waitForURL((u) => u.searchParams.get('arrangement') === SYRIA_ID);
  await ready(page);
  assert.match(await page.locator('[data-test=who]').innerText(), /\(guarantor\)/);
  assert.doesNotMatch(await page.locator('header .title').innerText(), /1979/);

  // A token of one arrangement goes straight to it.
  const egypt = s.deployments[1].tokens.eg;
  const one = await browser.newPage();
  await one.goto(`${s.url}?token=${encodeURIComponent(egypt)}`);
  await ready(one);
  assert.equal(await one.locator('[data-test=arrangement-picker]').count(), 0);
  assert.equal(await one.locator('[data-test=arrangement-switch]').count(), 0);
  assert.match(await one.locator('[data-test=who]').innerText(), /\(party\)/);
});
