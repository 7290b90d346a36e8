import assert from 'node:assert/strict';
import { test } from 'node:test';
import { interpolate, pluralForm, setLocale, t, TABLES, tIn } from './i18n.ts';
import { dirOf, LOCALES, pickLocale } from './locale.ts';
import { localized } from './localized.ts';
import { en, type MessageKey } from './messages.ts';

test('Arabic plurals: 0, 1, 2, 3, 11 and 100 take the six categories', () => {
  const rules = new Intl.PluralRules('ar');
  assert.deepEqual(
    [0, 1, 2, 3, 11, 100].map((n) => rules.select(n)),
    ['zero', 'one', 'two', 'few', 'many', 'other'],
  );
  // Each count gives a different form of the same message, none the English one.
  const forms = [0, 1, 2, 3, 11, 100].map((n) => tIn('ar', 'talks.rules', { n }));
  assert.equal(new Set(forms).size, 6, forms.join(' | '));
  assert.equal(tIn('ar', 'talks.rules', { n: 2 }), 'قاعدتان');
  assert.match(tIn('ar', 'talks.rules', { n: 3 }), /قواعد$/);
  assert.match(tIn('ar', 'talks.rules', { n: 11 }), /قاعدةً$/);
});

test('Russian plurals: 1, 2, 5, 21 and 1.5 pick one, few, many, one, other', () => {
  assert.equal(tIn('ru', 'talks.rules', { n: 1 }), '1 правило');
  assert.equal(tIn('ru', 'talks.rules', { n: 2 }), '2 правила');
  assert.equal(tIn('ru', 'talks.rules', { n: 5 }), '5 правил');
  assert.equal(tIn('ru', 'talks.rules', { n: 21 }), '21 правило');
  assert.equal(tIn('ru', 'talks.rules', { n: 1.5 }), '1,5 правила');
});

test('Hebrew plurals: one, two and other', () => {
  assert.deepEqual(new Intl.PluralRules('he').resolvedOptions().pluralCategories.sort(), ['one', 'other', 'two']);
  assert.equal(tIn('he', 'talks.rules', { n: 1 }), 'כלל אחד');
  assert.equal(tIn('he', 'talks.rules', { n: 2 }), 'שני כללים');
  assert.equal(tIn('he', 'talks.rules', { n: 7 }), '7 כללים');
});

test('every table gives every plural message the categories its language uses, and no other', () => {
  for (const l of LOCALES) {
    const cats = new Set(new Intl.PluralRules(l).resolvedOptions().pluralCategories);
    for (const [key, m] of Object.entries(TABLES[l])) {
      const english = en[key as MessageKey];
      assert.equal(typeof m, typeof english, `${l} ${key}: a plural in one table is a plural in all`);
      if (typeof m === 'string') continue;
      for (const c of Object.keys(m)) assert.ok(cats.has(c as Intl.LDMLPluralRule), `${l} ${key}: ${c} is not a category of ${l}`);
      for (const c of cats) assert.ok(c in m, `${l} ${key}: no ${c} form`);
    }
  }
});

test('every table fills the same parameters as the English text', () => {
  const names = (m: unknown) => new Set(JSON.stringify(m).match(/\{\w+\}/g) ?? []);
  for (const l of LOCALES)
    for (const key of Object.keys(en) as MessageKey[]) {
      const want = names(en[key]);
      const got = names(TABLES[l][key]);
      // A plural form may say the count in words ("قاعدتان") instead of {n}.
      got.add('{n}');
      want.add('{n}');
      assert.deepEqual(got, want, `${l} ${key}`);
    }
});

test('t() fills parameters, writes numbers the language’s way and falls back to `other`', () => {
  setLocale('en');
  assert.equal(t('talks.rules', { n: 1 }), '1 rule');
  assert.equal(t('talks.rules', { n: 1234 }), '1,234 rules');
  setLocale('ru');
  assert.equal(t('fact.zone', { zone: 'Альфа' }), 'зона Альфа');
  assert.equal(t('legend.unitCount', { n: 12345 }), '12\u00a0345 подразделений в доступной вам дислокации.');
  setLocale('en');
  assert.equal(pluralForm({ other: 'x', one: 'y' }, 5, new Intl.PluralRules('ar')), 'x');
  assert.equal(interpolate('{a} and {b}', { a: 'A' }), 'A and {b}');
});

test('the browser’s languages pick the page’s, right to left for Arabic and Hebrew', () => {
  assert.equal(pickLocale(['fr-FR', 'he-IL', 'en']), 'he');
  assert.equal(pickLocale(['iw']), 'he');
  assert.equal(pickLocale(['ar-SY']), 'ar');
  assert.equal(pickLocale(['RU']), 'ru');
  assert.equal(pickLocale(['de', 'fr']), 'en');
  assert.equal(pickLocale([]), 'en');
  assert.deepEqual(
    LOCALES.map((l) => dirOf(l)),
    ['ltr', 'rtl', 'rtl', 'ltr'],
  );
});

test('a text given in several languages shows the reader’s, else English, else the first', () => {
  assert.equal(localized({ en: 'Area of Separation', ar: 'منطقة الفصل' }, 'ar'), 'منطقة الفصل');
  assert.equal(localized({ en: 'Area of Separation', ar: 'منطقة الفصل' }, 'ru'), 'Area of Separation');
  assert.equal(localized({ he: 'אזור' }, 'ru'), 'אזור');
  assert.equal(localized('plain', 'he'), 'plain');
});
