// A round that changes zones elsewhere keeps a withdrawal's progress (issue 13, part 1):
// the Russian deployment starts Israel's first withdrawal phase, due 14 days later; a
// second round adds a zone (and a rule on it); at its announcement the phase is still
// due at the same time, nothing about it closes or opens again, and a replay agrees.
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { BASE, json, observation, session, startTestServer, STORY_START } from './helpers/server.ts';
import { agreeAndApprove, EXAMPLE_ZONES, WD3 } from './helpers/round-drafts.ts';

const zones = EXAMPLE_ZONES;
const CLAUSES = [
  { id: 'c1', text: 'The parties respect the 1974 lines.' },
  {
    id: 'c2',
    text: 'No Syrian tanks in the Area of Separation.',
    rules: [{ id: 'r-t-aos-tanks', kind: 'limit', zone: 'aos', actor: 'sy', asset: 'tanks', max: 0 }],
  },
  {
    id: 'c4',
    text: 'Israel withdraws from the third area by 1 June 2026.',
    rules: [{ id: 'c-il-withdraw-3', kind: 'commitment', actor: 'il', due: '2026-06-01T00:00:00Z', absent: { zone: 'il-wd-3', asset: 'troops' } }],
  },
];
const PHASE = 'c-il-withdraw-1';

test('a round adds a zone elsewhere: the withdrawal due at T stays due at T, on replay too', async (t) => {
  let now = STORY_START;
  const s = await startTestServer({ now: () => now, web: false });
  const dir = s.dir;
  t.after(() => s.destroy());
  await session(s);
  const time = () => new Date(now).toISOString();
  now += 60_000;
  // Israeli troops in the first phase's area, then the Russian deployment: the phase's clock starts.
  await json(await s.as('undof', 'POST', `${BASE}/reports`, observation('z-1', 'il-post-1', 'il', { troops: 40 }, time(), [35.95, 33.05])), 202);
  now += 60_000;
  const deployed = time();
  await json(await s.as('ru', 'POST', `${BASE}/reports`, observation('z-2', 'ru-bde-1', 'ru', { troops: 600 }, deployed, [36.0, 33.1])), 202);
  const due = () => s.deployment.openFindings().filter((f) => f.rule === PHASE);
  const T = new Date(Date.parse(deployed) + 14 * 86_400_000).toISOString().replace('.000Z', 'Z');
  assert.deepEqual(
    due().map((f) => [f.state, f.deadline]),
    [['due', T]],
  );

  now += 60_000;
  await json(await s.as('ru', 'POST', `${BASE}/talks/rounds`, { agenda: 'A third withdrawal area' }), 201);
  const draft = await json(await s.as('ru', 'POST', `${BASE}/talks/drafts`, { clauses: CLAUSES, sections: { zones: [...zones, WD3] } }), 201);
  // The sections bind the parties too: each accepts them, as the draft's hash of them says.
  await agreeAndApprove(s, draft.version, ['c4']);
  now += 60_000;
  await json(await s.as('ru', 'POST', `${BASE}/talks/announcement`, { draft: draft.version }), 201);

  // Still due at T: no close, no second "due".
  assert.deepEqual(
    due().map((f) => [f.state, f.deadline]),
    [['due', T]],
  );
  const phase = [...s.deployment.book.after(0)].map((b) => b.finding).filter((f) => f.rule === PHASE);
  assert.deepEqual(
    phase.map((f) => [f.state, f.deadline]),
    [['due', T]],
  );
  // The new rule judged the posture at the announcement: nobody in the new area, met at once.
  const third = [...s.deployment.book.after(0)].map((b) => b.finding).filter((f) => f.rule === 'c-il-withdraw-3');
  assert.deepEqual(
    third.map((f) => f.state),
    ['due', 'fulfilled'],
  );

  const live = JSON.parse(JSON.stringify([...s.deployment.book.after(0)]));
  await s.stop();
  rmSync(join(dir, 'record', 'southern-syria', 'state.db'), { force: true });
  const again = await startTestServer({ now: () => now, web: false, dir });
  try {
    assert.deepEqual(JSON.parse(JSON.stringify([...again.deployment.book.after(0)])), live);
    assert.deepEqual(
      again.deployment
        .openFindings()
        .filter((f) => f.rule === PHASE)
        .map((f) => [f.state, f.deadline]),
      [['due', T]],
    );
  } finally {
    await again.stop();
  }
});
