import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FINDING_KINDS } from '../monitor/findings.ts';
import { ROLES } from '../policy/policy.ts';
import { formatDate, isLang, LANGS, STRINGS } from './strings.ts';

const SCRIPT = { en: /[A-Za-z]/, ar: /[\u0600-\u06FF]/, he: /[\u0590-\u05FF]/, ru: /[\u0400-\u04FF]/ } as const;

/** Every leaf of a strings table: its path, and its text (a function called with markers). */
function leaves(v: unknown, path = ''): [string, string][] {
  if (typeof v === 'string') return [[path, v]];
  if (typeof v === 'function') return [[path, (v as (...a: string[]) => string)('⟨A⟩', '⟨B⟩', '⟨C⟩')]];
  return Object.entries(v as object).flatMap(([k, x]) => leaves(x, `${path}.${k}`));
}

test('strings: every language has every text, in its own script, with every argument put in', () => {
  const en = new Map(leaves(STRINGS.en));
  for (const lang of LANGS) {
    const mine = new Map(leaves(STRINGS[lang]));
    assert.deepEqual([...mine.keys()].sort(), [...en.keys()].sort(), `${lang} has the same texts as en`);
    for (const [path, text] of mine) {
      if (path === '.dir' || (lang === 'en' && path === '.translationNote')) continue;
      assert.ok(text.trim() !== '', `${lang}${path} is empty`);
      const fn = path.split('.').reduce<unknown>((o, k) => (k ? (o as Record<string, unknown>)[k] : o), STRINGS[lang]);
      if (typeof fn === 'function') for (let i = 0; i < fn.length; i++) assert.ok(text.includes(`⟨${'ABC'[i]}⟩`), `${lang}${path} drops argument ${i + 1}`);
    }
    const body = [...mine].filter(([p]) => p.startsWith('.sections') || p.startsWith('.label') || p === '.subtitle').map(([, t]) => t);
    assert.ok(
      body.every((t) => SCRIPT[lang].test(t)),
      `${lang}'s headings and labels are in its script`,
    );
    if (lang !== 'en') assert.notEqual(mine.get('.subtitle'), en.get('.subtitle'));
  }
  assert.equal(STRINGS.ar.dir, 'rtl');
  assert.equal(STRINGS.he.dir, 'rtl');
  assert.equal(STRINGS.ru.dir, 'ltr');
});

test('strings: every finding kind and every role has a word in every language', () => {
  for (const lang of LANGS) {
    for (const k of FINDING_KINDS) assert.ok(STRINGS[lang].findingKinds[k], `${lang}: ${k}`);
    for (const r of ROLES) assert.ok(STRINGS[lang].roles[r], `${lang}: ${r}`);
  }
});

test('strings: dates are written per language, in UTC', () => {
  const t = Date.parse('2026-01-14T08:27:00Z');
  const written = LANGS.map((l) => formatDate(l, t));
  assert.equal(new Set(written).size, LANGS.length, written.join(' | '));
  for (const [i, l] of LANGS.entries()) {
    assert.match(written[i], /UTC$/);
    assert.ok(written[i].includes('2026') || written[i].includes('٢٠٢٦'), `${l}: ${written[i]}`);
    assert.ok(/\b0?8:27|٠?٨:٢٧/.test(written[i]), `${l} in UTC: ${written[i]}`);
  }
  assert.match(formatDate('en', t), /January/);
  assert.match(formatDate('ru', t), /января/);
  assert.ok(isLang('he') && !isLang('fr') && !isLang('constructor'));
});
