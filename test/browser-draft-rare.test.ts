// Drafting the rare fields without JSON, in Debian's Chromium: the mediator drafts a
// clause whose rules use a notice's escalation ladder, a commitment that waits on another
// (`after`, `within`) and a limit's `where`, each entered through the form and checked
// live by the server's own validation (an escalation without ack, an attribute the asset
// does not declare: each named once, beside its field); and a band along a drawn zone's
// edge, previewed on the map. Issued, the draft holds them as the file writes them, and
// Syria reads each in its sentence.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Browser, Locator, Page } from 'playwright-core';
import { browserSkip } from './helpers/chromium.ts';
import { withBrowserAndServer } from './helpers/browser-server.ts';
import { BASE, json, type TestServer } from './helpers/server.ts';

const why = browserSkip;

let browser: Browser;
let s: TestServer;
let url: string;

type Hooks = { ready: boolean; draftShape?: () => boolean };

async function open(actor: string): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: 1500, height: 950 } });
  await page.goto(`${url}?token=${encodeURIComponent(s.tokens[actor])}&lang=en`);
  await page.waitForFunction(() => (window as unknown as { __detente?: Hooks }).__detente?.ready === true, undefined, { timeout: 30_000 });
  await page.locator('[data-test=tab-talks]').click();
  return page;
}

withBrowserAndServer((b) => {
  ({ browser, s, url } = b);
});

const FITS = 'The rules fit the arrangement.';

/** Waits for the live check to say `what` (a regular expression, or the exact text). */
async function checkSays(page: Page, what: RegExp | string): Promise<void> {
  const source = typeof what === 'string' ? null : what.source;
  const exact = typeof what === 'string' ? what : null;
  await page
    .waitForFunction(
      ([src, text]) => {
        const said = document.querySelector('[data-test=draft-check]')?.textContent ?? '';
        return src !== null ? new RegExp(src).test(said) : said === text;
      },
      [source, exact] as const,
      { timeout: 10_000 },
    )
    .catch(async (e) => {
      throw new Error(`${e}: the check says ${JSON.stringify(await page.locator('[data-test=draft-check]').innerText())}`);
    });
}

/** Waits for the error beside the field at `path` to say `what` (the check runs a moment after each keystroke). */
async function errorSays(rule: Locator, path: string, what: RegExp): Promise<void> {
  await rule.locator(`[data-path="${path}"] > [data-test=rule-field-error]`, { hasText: what }).waitFor({ state: 'visible', timeout: 10_000 });
}

test('escalation, after and within, where, and a band along a zone’s edge: entered, checked live, issued, read as sentences', {
  skip: why,
  timeout: 300_000,
}, async (t) => {
  const ru = await open('ru');
  t.after(() => ru.close());
  const form = ru.locator('[data-test=draft-form]');
  await form.locator('[data-test=zone-drawer]').waitFor({ timeout: 20_000 });
  await form.locator('[data-test=clause-id]').fill('c-rare');
  await form.locator('[data-test=clause-text]').fill('Notice with escalation, a withdrawal after a deployment, long-range artillery.');
  const rules = form.locator('[data-test=rule-editor]');

  // A notice with a ladder but no ack: the check names the escalation, beside its field.
  await form.locator('[data-test=rule-add]').click();
  const notice = rules.nth(0);
  await notice.locator('[data-test=rule-kind]').selectOption('notice');
  await notice.locator('[data-test=rule-id]').fill('n-aos');
  await notice.locator('[data-test=rule-actor]').selectOption('il');
  await notice.locator('[data-test=rule-zone]').selectOption('aos');
  await notice.locator('[data-test=rule-lead]').fill('1');
  await notice.locator('[data-test=escalation-add]').click();
  await notice.locator('[data-test=escalation-to]').selectOption('mediator');
  await notice.locator('[data-test=escalation-after]').fill('15');
  await notice.locator('[data-test=escalation-after-unit]').selectOption('M');
  await checkSays(ru, /^1 problem/);
  await errorSays(notice, 'escalation', /needs ack/);
  assert.equal(await notice.locator('[data-test=rule-field-error]:visible').count(), 1, 'one error, beside the ladder');
  await notice.locator('[data-test=rule-ack]').fill('10');
  await notice.locator('[data-test=rule-ack-unit]').selectOption('M');
  await checkSays(ru, FITS);

  // Two commitments, the second waiting on the first (offered in its `after` select once drafted).
  await form.locator('[data-test=rule-add]').click();
  const first = rules.nth(1);
  await first.locator('[data-test=rule-kind]').selectOption('commitment');
  await first.locator('[data-test=rule-id]').fill('c-deploy');
  await first.locator('[data-test=rule-actor]').selectOption('ru');
  await first.locator('[data-test=rule-due]').fill('2026-06-01T00:00');
  await first.locator('[data-test="rule-cond.zone"]').selectOption('aos');
  await first.locator('[data-test="rule-cond.min"]').fill('100');
  await form.locator('[data-test=rule-add]').click();
  const second = rules.nth(2);
  await second.locator('[data-test=rule-kind]').selectOption('commitment');
  await second.locator('[data-test=rule-id]').fill('c-withdraw');
  await second.locator('[data-test=rule-actor]').selectOption('il');
  await second.locator('[data-test=rule-condition]').selectOption('absent');
  await second.locator('[data-test="rule-cond.zone"]').selectOption('aos');
  await second.locator('[data-test=rule-after] option[value=c-deploy]').waitFor({ state: 'attached', timeout: 10_000 });
  await second.locator('[data-test=rule-after]').selectOption('c-deploy');
  // Neither a date nor a time: the check asks for one.
  await checkSays(ru, /^1 problem/);
  await second.locator('[data-test=rule-error]', { hasText: /needs due .* or within/ }).waitFor({ timeout: 10_000 });
  await second.locator('[data-test=rule-within]').fill('30');
  await second.locator('[data-test=rule-within-unit]').selectOption('D');
  await checkSays(ru, FITS);

  // A limit on long-range artillery: an attribute the asset does not declare is named beside `where`.
  await form.locator('[data-test=rule-add]').click();
  const limit = rules.nth(3);
  await limit.locator('[data-test=rule-kind]').selectOption('limit');
  await limit.locator('[data-test=rule-id]').fill('r-long-guns');
  await limit.locator('[data-test=rule-actor]').selectOption('sy');
  await limit.locator('[data-test=rule-asset]').selectOption('artillery');
  await limit.locator('[data-test=rule-zone]').selectOption('aos');
  await limit.locator('[data-test=rule-max]').fill('0');
  await limit.locator('[data-test=where-add]').click();
  await limit.locator('[data-test=where-attr]').fill('colour');
  await limit.locator('[data-test=where-op]').selectOption('gt');
  await limit.locator('[data-test=where-value]').fill('20');
  await checkSays(ru, /^1 problem/);
  await errorSays(limit, 'where', /no attribute "colour"/);
  assert.equal(await limit.locator('[data-test=rule-field-error]:visible').count(), 1, 'one error, beside the conditions');
  await limit.locator('[data-test=where-attr]').fill('range_km');
  await checkSays(ru, FITS);

  // A band 2 km east of the Area of Separation's edge, previewed on the map as it is typed.
  await form.locator('[data-test=draw-zone-band]').click();
  await form.locator('[data-test=zone-id]').fill('aos-east-2');
  await form.locator('[data-test=zone-of]').selectOption('aos');
  await form.locator('[data-test=zone-side]').selectOption('east');
  assert.equal(await ru.evaluate(() => (window as unknown as { __detente: Hooks }).__detente.draftShape?.()), false, 'no width yet: nothing to draw');
  await form.locator('[data-test=zone-width]').fill('2');
  await ru.waitForFunction(() => (window as unknown as { __detente: Hooks }).__detente.draftShape?.() === true, undefined, { timeout: 30_000 });
  assert.match(await form.locator('[data-test=zone-summary]').innerText(), /a band 2 km wide, east of the edge of Area of Separation/);
  await checkSays(ru, FITS);

  await form.locator('[data-test=draft-form-submit]').click();
  await ru
    .locator('[data-test=clause][data-clause=c-rare]')
    .waitFor({ timeout: 15_000 })
    .catch(async (e) => {
      throw new Error(`${e}: ${await form.locator('[data-test=draft-form-status]').innerText()}`);
    });
  const talks = (await json(await s.as('ru', 'GET', `${BASE}/talks`), 200)) as {
    drafts: { clauses: { rules: unknown[] }[]; sections: { zones: unknown[] } }[];
  };
  const draft = talks.drafts[0];
  assert.deepEqual(draft.clauses[0].rules, [
    { id: 'n-aos', kind: 'notice', actor: 'il', zone: 'aos', lead: 'PT1H', ack: 'PT10M', escalation: [{ to: 'mediator', after: 'PT15M' }] },
    { id: 'c-deploy', kind: 'commitment', actor: 'ru', due: '2026-06-01T00:00:00Z', present: { zone: 'aos', min: 100 } },
    { id: 'c-withdraw', kind: 'commitment', actor: 'il', within: 'P30D', after: 'c-deploy', absent: { zone: 'aos' } },
    { id: 'r-long-guns', kind: 'limit', actor: 'sy', asset: 'artillery', zone: 'aos', max: 0, where: { range_km: { gt: 20 } } },
  ]);
  assert.deepEqual(draft.sections.zones.at(-1), { id: 'aos-east-2', band: { of: 'aos', km: [0, 2], side: 'east' } });

  // Syria reads each rule's rare fields in its sentence.
  const sy = await open('sy');
  t.after(() => sy.close());
  const sentences = sy.locator('[data-test=rule-sentence]');
  await sentences.first().waitFor({ timeout: 10_000 });
  const said = await sentences.allInnerTexts();
  assert.equal(
    said[0],
    'Israel: give notice 1 hour before entering Area of Separation; the others acknowledge within 10 minutes; unacknowledged, it goes to the mediator 15 minutes after the deadline',
  );
  assert.equal(said[2], 'Israel: within 30 days of c-deploy being fulfilled, none of its units in Area of Separation');
  assert.equal(said[3], 'Syria: no artillery in Area of Separation, counting only those where range_km is more than 20');
});
