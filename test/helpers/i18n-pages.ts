// The shared half of the per-language browser tests (test/browser-i18n-<lang>.test.ts):
// a server through the talks to the announcement, a finding on the list and the bench's
// model, one Chromium; and the scan of every text node and of the title, placeholder and
// aria-label attributes for strings of the English table (web/src/i18n/messages.ts).
// One file per language, so that each stays well inside the runner's per-file limit on a
// loaded machine. Screenshots go to a temporary folder unless DETENTE_I18N_SCREENSHOTS
// names one (`DETENTE_I18N_SCREENSHOTS=docs/img node scripts/test.js browser-i18n`
// refreshes the README's docs/img/ui-<lang>.png on purpose).
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { readModelFile } from '../../src/server/core/bench-store.ts';
import { EXAMPLE_DIR } from '../../src/sim/demo.ts';
import { en } from '../../web/src/i18n/messages.ts';
import { browserSkip, launchChromium } from './chromium.ts';
import { BASE, json, observation, session, startTestServer, type TestServer } from './server.ts';

export const why = browserSkip;
export const SHOTS = process.env.DETENTE_I18N_SCREENSHOTS ?? mkdtempSync(join(tmpdir(), 'detente-i18n-'));

/**
 * Words the same in every language by nature: the product's name, names of formats,
 * programs and data sources kept in Latin. A message whose only letters are these is not
 * looked for. Nothing else is allowed through.
 */
const SAME_IN_EVERY_LANGUAGE = [
  'Détente',
  'JSON',
  'WebGL',
  'IndexedDB',
  'WebCrypto',
  '@noble/curves',
  'Ed25519',
  'OpenStreetMap',
  'ODbL',
  'Natural Earth',
  'UTC',
];

interface Probe {
  key: string;
  source: string;
  /** several words: found inside a longer text too; else only as a whole text or attribute */
  inside: boolean;
}

const escapeRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** A pattern per English text (each plural form), its {parameters} matching anything. */
function probes(): Probe[] {
  const out: Probe[] = [];
  for (const [key, m] of Object.entries(en)) {
    for (const text of typeof m === 'string' ? [m] : Object.values(m)) {
      const parts = text.split(/\{\w+\}/);
      let letters = parts.join(' ');
      for (const w of SAME_IN_EVERY_LANGUAGE) letters = letters.replaceAll(w, ' ');
      const count = (letters.match(/[A-Za-z]/g) ?? []).length;
      // No letters of its own, or a word or two around parameters ("{actor} in {zone}",
      // "{m} m"): such a pattern matches any English the server sends, so it proves nothing.
      if (count === 0 || (parts.length > 1 && count < 4)) continue;
      const words = letters.split(/[^A-Za-z’']+/).filter((w) => /[A-Za-z]/.test(w)).length;
      // Not inside a longer word: "open" is not found in "opened".
      const source = `(?<![A-Za-z])${parts.map((p) => escapeRe(p.trim())).join('[\\s\\S]*?')}(?![A-Za-z])`;
      out.push({ key, source, inside: words >= 3 });
    }
  }
  return out;
}

/** Every text node and title, placeholder and aria-label attribute of the page, with where it is. */
async function texts(page: Page): Promise<[string, string][]> {
  // No named functions inside: the test runner's transform would wrap them in a helper the page lacks.
  return page.evaluate(() => {
    const out: [string, string][] = [['title', document.title]];
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT | NodeFilter.SHOW_ELEMENT);
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      if (n.nodeType === Node.TEXT_NODE) {
        const parent = n.parentElement?.tagName;
        if (parent !== 'SCRIPT' && parent !== 'STYLE' && n.nodeValue?.trim()) out.push(['text', n.nodeValue]);
      } else
        for (const a of ['title', 'placeholder', 'aria-label']) {
          const v = (n as Element).getAttribute(a);
          if (v?.trim()) out.push([a, v]);
        }
    }
    return out;
  });
}

const PROBES = probes().map((p) => ({ key: p.key, re: new RegExp(p.inside ? p.source : `^\\s*${p.source}\\s*$`) }));

/** Every English table string the page shows, with where (text, or attribute name). */
export async function english(page: Page): Promise<string[]> {
  const found: string[] = [];
  for (const [where, value] of await texts(page))
    for (const { key, re } of PROBES) if (re.test(value)) found.push(`${key} in ${where}: ${JSON.stringify(value.slice(0, 80))}`);
  return found;
}

/** The browser and the server one file's tests share, set up before them and stopped after them. */
export interface I18nPages {
  browser: Browser;
  s: TestServer;
  url: string;
}

/** Registers the file's before and after hooks; the fields are filled once `before` has run. */
export function i18nPages(): I18nPages {
  const c = {} as I18nPages;
  before(async () => {
    if (why) return;
    c.browser = await launchChromium();
    c.s = await startTestServer();
    c.url = `${await c.s.app.listen({ port: 0, host: '127.0.0.1' })}/`;
    // Talks through to the announcement, and a finding on the list: most of the page's words in use.
    await session(c.s);
    await json(await c.s.as('undof', 'POST', `${BASE}/reports`, observation('i18n-1', 'sy-tank', 'sy', { tanks: 3 }, '2025-12-27T07:00:00Z')), 202);
    // Round 1's bench model: a zone on one issue and a gap on the other, the frontier and a forecast.
    await json(await c.s.as('ru', 'PUT', `${BASE}/talks/bench`, readModelFile(join(EXAMPLE_DIR, 'bench.yaml'))), 200);
  });
  after(async () => {
    await c.browser?.close();
    await c.s?.destroy();
  });
  return c;
}

export const ready = (page: Page) =>
  page.waitForFunction(() => (window as unknown as { __detente?: { ready: boolean } }).__detente?.ready === true, undefined, { timeout: 30_000 });

/** The page as `actor`, in the browser's `locale`; then, if `lang` is given, switched to it from the menu. */
export async function open(c: I18nPages, actor: string, opts: { locale?: string; lang?: string } = {}): Promise<Page> {
  const page = await c.browser.newPage({ viewport: { width: 1400, height: 900 }, locale: opts.locale ?? 'en-GB' });
  await page.goto(`${c.url}?token=${encodeURIComponent(c.s.tokens[actor])}`);
  await ready(page);
  if (opts.lang) {
    await Promise.all([page.waitForEvent('load'), page.locator('[data-test=language]').selectOption(opts.lang)]);
    await ready(page);
  }
  // Everything loaded: the talks (for those who read them) and the finding.
  await page.waitForFunction(() => !document.querySelector('[data-test=loading]:not([hidden])'), undefined, { timeout: 20_000 });
  await page.locator('[data-test=finding]').first().waitFor({ timeout: 20_000 });
  return page;
}

/** The mediator's talks tab, open on the bench with all its pictures drawn. */
export async function openBench(page: Page): Promise<void> {
  await page.locator('[data-test=tab-talks]').click();
  for (const picture of ['bench-issue', 'bench-frontier', 'bench-forecast'])
    await page.locator(`[data-test=bench] svg[data-test=${picture}]`).first().waitFor({ timeout: 30_000 });
}

export async function lang(page: Page): Promise<{ lang: string; dir: string }> {
  return page.evaluate(() => ({ lang: document.documentElement.lang, dir: document.documentElement.dir }));
}

/**
 * The page in `code` as each of `actors`, chosen from the menu: lang and dir right, no
 * English string of the table; the mediator's bench labels on their side of their marks;
 * the language remembered over a reload (for the mediator, and in Russian), then a screenshot.
 */
export async function checkLanguage(c: I18nPages, code: 'ar' | 'he' | 'ru', dir: 'rtl' | 'ltr', actors: string[]): Promise<void> {
  for (const actor of actors) {
    const page = await open(c, actor, { lang: code });
    try {
      assert.deepEqual(await lang(page), { lang: code, dir }, actor);
      if (actor === 'ru') {
        await openBench(page);
        // The number lines read left to right in every language; a label keeps its side of its
        // mark (the Nash point's label to the right of the dot) in the reader's direction.
        const nash = await page.$eval('svg[data-test=bench-frontier] [data-test=nash]', (g) => {
          const dot = (g.querySelector('circle') as SVGGraphicsElement).getBBox();
          const text = g.querySelector('text') as SVGTextElement;
          return {
            svg: getComputedStyle(g.closest('svg') as Element).direction,
            text: getComputedStyle(text).direction,
            dot: dot.x + dot.width,
            label: text.getBBox().x,
          };
        });
        assert.equal(nash.svg, 'ltr');
        assert.equal(nash.text, dir);
        assert.ok(nash.label >= nash.dot, `the Nash label starts at ${nash.label}, left of its dot's edge ${nash.dot}`);
      }
      assert.deepEqual(await english(page), [], `${actor}'s page in ${code}`);
      if (actor === 'ru' || code === 'ru') {
        // Remembered: a reload keeps the language.
        await page.reload();
        await ready(page);
        assert.deepEqual(await lang(page), { lang: code, dir });
        await page.waitForFunction(() => !document.querySelector('[data-test=loading]:not([hidden])'), undefined, { timeout: 20_000 });
        await page.screenshot({ path: join(SHOTS, `ui-${code}.png`) });
      }
    } finally {
      await page.close();
    }
  }
}
