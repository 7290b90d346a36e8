// Drafting without JSON, in Debian's Chromium: the mediator drafts a clause with a limit
// rule on a band drawn on the map (a line clicked, a width and a side given), sees the
// live check name the missing asset beside its field, then accept the rule, and issues
// the draft; Syria reads the rule as a sentence and, clicking it, sees the band on the
// map; once the text is announced the draft form is disabled with its reason.
// DETENTE_SCREENSHOTS=1 writes docs/img/draft.png (the README's picture); otherwise the
// screenshot goes to a temporary file, so that tests never change the tree.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { browserSkip } from './helpers/chromium.ts';
import { withBrowserAndServer } from './helpers/browser-server.ts';
import { BASE, json, type TestServer } from './helpers/server.ts';

const why = browserSkip;
const tmp = mkdtempSync(join(tmpdir(), 'detente-draft-'));
const SHOT = process.env.DETENTE_SCREENSHOTS ? new URL('../docs/img/draft.png', import.meta.url).pathname : join(tmp, 'draft.png');
// A line east of Line B, clicked on the map point by point.
const LINE: [number, number][] = [
  [35.99, 33.2],
  [36.02, 33.05],
  [35.99, 32.9],
];

let browser: Browser;
let s: TestServer;
let url: string;

type Hooks = { ready: boolean; project?: (lon: number, lat: number) => [number, number]; draftShape?: () => boolean };

async function open(actor: string): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: 1500, height: 950 } });
  await page.goto(`${url}?token=${encodeURIComponent(s.tokens[actor])}&lang=en`);
  await page.waitForFunction(() => (window as unknown as { __detente?: Hooks }).__detente?.ready === true, undefined, { timeout: 30_000 });
  await page.waitForFunction(() => typeof (window as unknown as { __detente: Hooks }).__detente.project === 'function', undefined, { timeout: 30_000 });
  await page.locator('[data-test=tab-talks]').click();
  return page;
}

withBrowserAndServer((b) => {
  ({ browser, s, url } = b);
});

after(async () => {
  rmSync(tmp, { recursive: true, force: true });
});

test('a band drawn on the map, a limit on it checked live, issued; read as a sentence; closed after the announcement', {
  skip: why,
  timeout: 300_000,
}, async () => {
  const ru = await open('ru');
  const form = ru.locator('[data-test=draft-form]');
  await form.locator('[data-test=zone-drawer]').waitFor({ timeout: 20_000 });
  await form.locator('[data-test=clause-id]').fill('c-strip');
  await form.locator('[data-test=clause-text]').fill('No Syrian tanks in the 3 km strip east of the new line.');

  // The band: a line clicked on the map, its width and side.
  await form.locator('[data-test=draw-band]').click();
  for (const [lon, lat] of LINE) {
    const [x, y] = await ru.evaluate(([a, b]) => (window as unknown as { __detente: Hooks }).__detente.project!(a, b), [lon, lat] as const);
    await ru.mouse.click(x, y);
  }
  await ru.waitForFunction(() => document.querySelector('[data-test=zone-points]')?.textContent?.startsWith('3'), undefined, { timeout: 5000 });
  await form.locator('[data-test=zone-finish]').click();
  await form.locator('[data-test=zone-id]').fill('draft-strip');
  await form.locator('[data-test=zone-name]').fill('the 3 km strip');
  await form.locator('[data-test=zone-width]').fill('3');
  await form.locator('[data-test=zone-side]').selectOption('east');
  await ru.waitForFunction(() => (window as unknown as { __detente: Hooks }).__detente.draftShape?.() === true, undefined, { timeout: 5000 });

  // The rule, its asset forgotten: the live check names it beside the asset field.
  await form.locator('[data-test=rule-add]').click();
  const rule = form.locator('[data-test=rule-editor]');
  await rule.locator('[data-test=rule-kind]').selectOption('limit');
  await rule.locator('[data-test=rule-id]').fill('r-strip-tanks');
  await rule.locator('[data-test=rule-actor]').selectOption('sy');
  await rule.locator('[data-test=rule-zone]').selectOption('draft-strip');
  await rule.locator('[data-test=rule-max]').fill('0');
  const assetError = rule.locator('[data-path=asset] [data-test=rule-field-error]');
  await ru.waitForFunction(() => /^1 problem/.test(document.querySelector('[data-test=draft-check]')?.textContent ?? ''), undefined, { timeout: 5000 });
  await assetError.waitFor({ state: 'visible', timeout: 5000 });
  assert.match(await assetError.innerText(), /\S/);
  assert.equal(await rule.locator('[data-test=rule-field-error]:visible').count(), 1, 'one error, beside the field it is about');
  assert.match(await form.locator('[data-test=draft-check]').innerText(), /1 problem/);

  await rule.locator('[data-test=rule-asset]').selectOption('tanks');
  await ru.waitForFunction(() => document.querySelector('[data-test=draft-check]')?.textContent === 'The rules fit the arrangement.', undefined, {
    timeout: 5000,
  });
  assert.equal(await assetError.isVisible(), false);

  await form.locator('[data-test=draft-form-submit]').click();
  // Issued: the single text shows the clause (the form is built anew for draft 2).
  await ru
    .locator('[data-test=clause][data-clause=c-strip]')
    .waitFor({ timeout: 15_000 })
    .catch(async (e) => {
      throw new Error(`${e}: ${await form.locator('[data-test=draft-form-status]').innerText()}`);
    });
  const talks = await json(await s.as('ru', 'GET', `${BASE}/talks`), 200);
  const draft = (talks as { drafts: { clauses: { rules: unknown[] }[]; sections: { zones: { id: string; band?: unknown }[] } }[] }).drafts[0];
  assert.deepEqual(draft.clauses[0].rules, [{ id: 'r-strip-tanks', kind: 'limit', actor: 'sy', asset: 'tanks', zone: 'draft-strip', max: 0 }]);
  assert.deepEqual(draft.sections.zones.at(-1), { id: 'draft-strip', name: 'the 3 km strip', band: { of: 'draft-strip-line', km: [0, 3], side: 'east' } });

  // Syria reads it as a sentence; a click shows the band on the map.
  const sy = await open('sy');
  const sentence = sy.locator('[data-test=rule-sentence]').first();
  await sentence.waitFor({ timeout: 10_000 });
  assert.equal(await sentence.innerText(), 'Syria: no tanks in the 3 km strip');
  assert.equal(await sy.evaluate(() => (window as unknown as { __detente: Hooks }).__detente.draftShape?.()), false);
  await sentence.click();
  await sy.waitForFunction(() => (window as unknown as { __detente: Hooks }).__detente.draftShape?.() === true, undefined, { timeout: 5000 });
  await sy.waitForTimeout(800);
  await sy.screenshot({ path: SHOT });

  // The band is a change to the arrangement's own zones: Syria accepts those sections in the page,
  // the stance binding their hash; until Israel has too, the guarantor cannot approve.
  const sectionsItem = sy.locator('[data-test=clause][data-clause=sections]');
  await sectionsItem.waitFor({ timeout: 10_000 });
  assert.match(await sectionsItem.innerText(), /Changes to the arrangement itself[\s\S]*lines, zones/);
  await sectionsItem.locator('[data-test=stance-value]').selectOption('accept');
  await sectionsItem.locator('[data-test=stance-form-submit]').click();
  const stanceOf = async (party: string) =>
    (
      (await json(await s.as('ru', 'GET', `${BASE}/talks`), 200)) as { stances: { party: string; clause: string; stance: string; sections_hash?: string }[] }
    ).stances.find((x) => x.party === party && x.clause === 'sections');
  for (let i = 0; i < 100 && !(await stanceOf('sy')); i++) await sy.waitForTimeout(100);
  assert.equal((await stanceOf('sy'))?.stance, 'accept', 'Syria accepted the sections from the page');
  for (const p of ['il', 'sy']) await json(await s.as(p, 'POST', `${BASE}/talks/stances`, { draft: 1, clause: 'c-strip', stance: 'accept' }), 201);
  const refused = (await json(await s.as('us', 'POST', `${BASE}/talks/approval`, { draft: 1 }), 409)) as { error: string };
  assert.match(refused.error, /il has not accepted sections/);
  await json(await s.as('il', 'POST', `${BASE}/talks/stances`, { draft: 1, clause: 'sections', stance: 'accept' }), 201);
  // Agreed, approved, announced: the mediator's draft form closes, saying why.
  await json(await s.as('us', 'POST', `${BASE}/talks/approval`, { draft: 1 }), 201);
  await json(await s.as('ru', 'POST', `${BASE}/talks/announcement`, { draft: 1 }), 201);
  await ru
    .waitForFunction(() => (document.querySelector('[data-test=draft-form-submit]') as HTMLButtonElement | null)?.disabled === true, undefined, {
      timeout: 10_000,
    })
    .catch(async (e) => {
      throw new Error(`${e}: ${await ru.locator('[data-test=talks-status]').innerText()}`);
    });
  assert.match(await ru.locator('[data-test=draft-form-reason]').innerText(), /The text has been announced. Draft 1 was announced/);
  assert.match(await ru.locator('[data-test=deadline]').innerText(), /^Announced .* before the deadline/);
  assert.equal(await ru.locator('[data-test=deadline].late').count(), 0, 'announced in time: not red');
  await ru.close();
  await sy.close();
});
