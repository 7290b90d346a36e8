// The page in Arabic, in Debian's Chromium: chosen from the header's menu, right to left,
// remembered, and no string of the English table on it (test/helpers/i18n-pages.ts), as
// the mediator (the talks forms and the bench), a party (stances) and an observer (the
// report form) see it. Skipped, saying why, where there is no Chromium or no built UI.
import { test } from 'node:test';
import { checkLanguage, i18nPages, why } from './helpers/i18n-pages.ts';

const c = i18nPages();

test('ar: chosen from the menu, dir=rtl, remembered, and no English string of the table on the page', { skip: why }, async () => {
  // Each page load draws the map in software, so the roles are spread over the languages, not repeated.
  await checkLanguage(c, 'ar', 'rtl', ['ru', 'il', 'undof']);
});
