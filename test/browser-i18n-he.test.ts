// The page in Hebrew, in Debian's Chromium: chosen from the header's menu as the mediator,
// and from the browser's own locale (he-IL) as a party; right to left with the panels
// mirrored, remembered, no string of the English table on it (test/helpers/i18n-pages.ts),
// and the UTC switch naming the zone in every time. Skipped, saying why, where there is no
// Chromium or no built UI.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { checkLanguage, english, i18nPages, lang, open, ready, why } from './helpers/i18n-pages.ts';

const c = i18nPages();

test('he: chosen from the menu, dir=rtl, remembered, and no English string of the table on the page', { skip: why }, async () => {
  await checkLanguage(c, 'he', 'rtl', ['ru']);
});

test('the browser’s own locale picks the language: he-IL opens in Hebrew, right to left', { skip: why }, async () => {
  const page = await open(c, 'il', { locale: 'he-IL' });
  try {
    assert.deepEqual(await lang(page), { lang: 'he', dir: 'rtl' });
    assert.deepEqual(await english(page), []);
    // The panels mirror: the side panel sits on the left of the map in a right-to-left page.
    const [map, side] = await Promise.all([page.locator('.map').boundingBox(), page.locator('.side').boundingBox()]);
    assert.ok(map && side && side.x < map.x, `side panel at ${side?.x}, map at ${map?.x}`);
    // The UTC switch is remembered and names the zone in every time.
    await Promise.all([page.waitForEvent('load'), page.locator('[data-test=utc]').check()]);
    await ready(page);
    await page.locator('[data-test=finding]').first().waitFor();
    assert.ok(await page.locator('[data-test=utc]').isChecked());
    assert.match(await page.locator('[data-test=finding] .finding-head .muted').first().innerText(), /UTC/);
  } finally {
    await page.close();
  }
});
