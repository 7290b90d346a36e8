// The page in English, in Debian's Chromium: <html lang dir> right, and the scan of the
// page (test/helpers/i18n-pages.ts) finding the English table's strings there, the talks
// tab open on the bench's pictures, or the scans of the other languages could not find
// anything. Skipped, saying why, where there is no Chromium or no built UI.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { english, i18nPages, lang, open, openBench, SHOTS, why } from './helpers/i18n-pages.ts';

const c = i18nPages();

test('English: lang="en", left to right, and the scan finds the table’s strings', { skip: why }, async () => {
  const page = await open(c, 'ru');
  try {
    assert.deepEqual(await lang(page), { lang: 'en', dir: 'ltr' });
    await openBench(page);
    const found = await english(page);
    // The scan works: tabs, filters, the record's, the talks' and the bench's words (in the
    // pictures' descriptions too) are all seen.
    for (const key of [
      'tab.findings',
      'findings.everyKind',
      'record.verify',
      'talks.agenda',
      'tf.announced',
      'bench.title',
      'bench.gapWords',
      'bench.zopaWords',
    ])
      assert.ok(
        found.some((f) => f.startsWith(`${key} in`)),
        `${key} not found on the English page`,
      );
    await page.screenshot({ path: join(SHOTS, 'ui-en.png') });
  } finally {
    await page.close();
  }
});
