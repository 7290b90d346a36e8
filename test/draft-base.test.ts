// GET …/draft-base gives the page what the server checks a draft over; the page's check
// (web/src/views/rule-check.ts, the same checkAmendment) then finds what the server finds:
// a band drawn from a new line with a limit on it is accepted by both, and the same rule
// without its asset is refused by both, at the same path with the same message.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { checkDraftParts, type DraftBase, sectionOf } from '../web/src/views/rule-check.ts';
import { BASE, json, startTestServer } from './helpers/server.ts';

const LINE = {
  id: 'draft-line',
  geometry: {
    type: 'LineString',
    coordinates: [
      [35.85, 33.2],
      [35.87, 33.05],
      [35.84, 32.9],
    ],
  },
};
const BAND = { id: 'draft-band', name: 'The 3 km strip', band: { of: 'draft-line', km: [0, 3], side: 'east' } };
const RULE = { id: 'r-draft-tanks', kind: 'limit', zone: 'draft-band', actor: 'sy', asset: 'tanks', max: 0 };

test('the page checks a draft over the draft base as the server does', async (t) => {
  const s = await startTestServer();
  t.after(() => s.destroy());
  const base = (await json(await s.as('ru', 'GET', `${BASE}/draft-base`), 200)) as DraftBase;
  assert.equal((base.document as { id: string }).id, 'southern-syria');
  assert.ok(Object.keys(base.geo_files).length > 0, 'the GeoJSON files the document names come with it');
  const sections = { lines: [...sectionOf(base, 'lines'), LINE], zones: [...sectionOf(base, 'zones'), BAND] };

  const { asset: _asset, ...noAsset } = RULE;
  const bad = { clauses: [{ id: 'c1', text: 'No Syrian tanks in the strip.', rules: [noAsset] }], sections };
  const refused = await json(await s.as('ru', 'POST', `${BASE}/talks/drafts`, bad), 400);
  const page = checkDraftParts(base, { sections, rules: [noAsset] });
  assert.deepEqual(
    page.map((i) => i.path),
    ['rules[0].asset'],
    'the page finds the missing asset',
  );
  assert.deepEqual(
    (refused as { issues: { path: string; message: string }[] }).issues.map((i) => ({ path: i.path, message: i.message })),
    page.map((i) => ({ path: i.path.replace(/^rules\[0\]/, 'clauses[0].rules[0]'), message: i.message })),
  );

  assert.deepEqual(checkDraftParts(base, { sections, rules: [RULE] }), []);
  await json(
    await s.as('ru', 'POST', `${BASE}/talks/drafts`, { clauses: [{ id: 'c1', text: 'No Syrian tanks in the strip.', rules: [RULE] }], sections }),
    201,
  );
});

test('every actor reads the draft base (the arrangement is theirs); no token, no base', async (t) => {
  const s = await startTestServer();
  t.after(() => s.destroy());
  for (const a of ['il', 'sy', 'us', 'undof', 'tr']) await json(await s.as(a, 'GET', `${BASE}/draft-base`), 200);
  assert.equal((await s.app.inject({ method: 'GET', url: `${BASE}/draft-base` })).statusCode, 401);
});
