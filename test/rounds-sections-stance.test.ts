// A round's draft that sets sections (here a new zone) binds the parties only once each
// has accepted them: the parties accept every clause, yet the guarantor's approval is a
// 409 naming `sections` until both accept the sections too, their hash as the draft
// shows it. Nothing binds a party it did not accept.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { BASE, json, session, startTestServer, STORY_START } from './helpers/server.ts';
import { EXAMPLE_ZONES, WD3 } from './helpers/round-drafts.ts';

const zones = EXAMPLE_ZONES;
const CLAUSES = [
  { id: 'c1', text: 'The parties respect the 1974 lines.' },
  {
    id: 'c2',
    text: 'No Syrian tanks in the Area of Separation.',
    rules: [{ id: 'r-t-aos-tanks', kind: 'limit', zone: 'aos', actor: 'sy', asset: 'tanks', max: 0 }],
  },
  { id: 'c4', text: 'A third withdrawal area is drawn north of the second.' },
];

test('the guarantor cannot approve while a party has not accepted the sections: 409 naming sections', async (t) => {
  let now = STORY_START;
  const s = await startTestServer({ now: () => now, web: false });
  t.after(() => s.destroy());
  await session(s);
  now += 60_000;
  await json(await s.as('ru', 'POST', `${BASE}/talks/rounds`, { agenda: 'A third withdrawal area' }), 201);
  const sections = { zones: [...zones, WD3] };
  const draft = await json(await s.as('ru', 'POST', `${BASE}/talks/drafts`, { clauses: CLAUSES, sections }), 201);
  for (const party of ['il', 'sy'])
    await json(await s.as(party, 'POST', `${BASE}/talks/stances`, { draft: draft.version, clause: 'c4', stance: 'accept' }), 201);

  // Every clause is accepted by both parties; the sections by neither.
  const refused = await json(await s.as('us', 'POST', `${BASE}/talks/approval`, { draft: draft.version }), 409);
  assert.equal(refused.code, 'not-agreed');
  assert.match(refused.error, /il has not accepted sections \(no stance\); sy has not accepted sections \(no stance\)/);

  // A party is shown what it is asked to accept: the sections and their hash, listed in the gap as "sections".
  const view = await json(await s.as('sy', 'GET', `${BASE}/talks`), 200);
  const current = view.drafts.at(-1);
  assert.deepEqual(current.sections, sections);
  assert.match(current.sections_hash, /^[0-9a-f]{64}$/);
  assert.deepEqual(
    view.gap.clauses.map((c: { id: string; accepted: boolean }) => [c.id, c.accepted]),
    [
      ['c1', true],
      ['c2', true],
      ['c4', true],
      ['sections', false],
    ],
  );

  // A stance on other sections than the draft's is refused, naming the field.
  const stale = await json(
    await s.as('il', 'POST', `${BASE}/talks/stances`, { draft: draft.version, clause: 'sections', stance: 'accept', sections_hash: '0'.repeat(64) }),
    409,
  );
  assert.equal(stale.code, 'sections-changed');
  assert.match(JSON.stringify(stale), /sections_hash/);

  await json(
    await s.as('il', 'POST', `${BASE}/talks/stances`, { draft: draft.version, clause: 'sections', stance: 'accept', sections_hash: current.sections_hash }),
    201,
  );
  const still = await json(await s.as('us', 'POST', `${BASE}/talks/approval`, { draft: draft.version }), 409);
  assert.match(still.error, /sy has not accepted sections/);
  assert.doesNotMatch(still.error, /il has not/);
  now += 60_000;
  // Without an approval there is no announcement either: the engine stays on the text in force.
  await json(await s.as('ru', 'POST', `${BASE}/talks/announcement`, { draft: draft.version }), 409);

  await json(await s.as('sy', 'POST', `${BASE}/talks/stances`, { draft: draft.version, clause: 'sections', stance: 'accept' }), 201);
  await json(await s.as('us', 'POST', `${BASE}/talks/approval`, { draft: draft.version }), 201);
  await json(await s.as('ru', 'POST', `${BASE}/talks/announcement`, { draft: draft.version }), 201);
  const history = await json(await s.as('undof', 'GET', `${BASE}/history`), 200);
  assert.deepEqual(history.texts.at(-1).sections.zones.at(-1), WD3);
});
