// Issue 15 through the server, given-when-then: challenge inspections (on time, late,
// access refused), the escalation ladder of an unacknowledged notice (each rung an event
// to its role, an ack stops it, a restart replays the same), and the resolution of disputes.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { dutiesSource } from './helpers/duties.ts';
import { findingAddress } from './helpers/finding-address.ts';
import { BASE, json, observation, STORY_START, startTestServer, type TestServer } from './helpers/server.ts';

type F = {
  finding: string;
  state: string;
  rule: string;
  actor?: string;
  challenge?: string;
  reason?: string;
  escalation?: { step: number; to: string; actors: string[] };
};

const iso = (ms: number) => new Date(ms).toISOString().replace('.000Z', 'Z');
const H = 3600000;

async function server(t: { after: (fn: () => Promise<void>) => void }, clock: { now: number }, dir?: string): Promise<TestServer> {
  const s = await startTestServer({ web: false, source: dutiesSource(), now: () => clock.now, ...(dir ? { dir } : {}) });
  t.after(() => s.destroy());
  return s;
}

async function findings(s: TestServer, actor = 'ru'): Promise<F[]> {
  return (await json(await s.as(actor, 'GET', `${BASE}/findings`), 200)) as F[];
}

/** Moves the clock and lets the server judge the deadlines that passed (it records a clock statement). */
async function passTime(s: TestServer, clock: { now: number }, to: number, until: (fs: F[]) => boolean): Promise<F[]> {
  clock.now = to;
  for (let i = 0; i < 100; i++) {
    s.deployment.clockMoved();
    await new Promise((r) => setTimeout(r, 20));
    const fs = await findings(s);
    if (until(fs)) return fs;
  }
  throw new Error('the server did not judge the deadline');
}

const inspection = (id: string, time: number) => ({ type: 'inspection', id, time: iso(time), source: 'undof', zones: ['il-0-10'] });
const mine = (fs: F[], kinds: string[]) => fs.filter((f) => kinds.includes(f.finding)).map((f) => `${f.finding}:${f.state}:${f.actor}`);
const CH = ['challenge', 'late-inspection', 'access-refused'];

test('challenge inspected on time: the request opens and closes, no violation', async (t) => {
  const clock = { now: STORY_START };
  const s = await server(t, clock);
  const posted = (await json(await s.as('sy', 'POST', `${BASE}/challenges`, { zone: 'il-0-10' }), 202)) as { challenge: string; indexes: number[] };
  assert.equal(posted.challenge, `challenge-${posted.indexes[0]}`);
  clock.now = STORY_START + 20 * H;
  await json(await s.as('undof', 'POST', `${BASE}/reports`, inspection('i-ch-1', clock.now)), 202);
  const fs = await findings(s);
  assert.deepEqual(mine(fs, CH), ['challenge:open:undof', 'challenge:closed:undof']);
  assert.equal(fs.find((f) => f.finding === 'challenge')?.challenge, posted.challenge);
  const open = (await json(await s.as('ru', 'GET', `${BASE}/findings?open=true`), 200)) as F[];
  assert.deepEqual(mine(open, CH), []);
});

test('challenge inspected late: a violation of the inspection duty, closed by the late inspection', async (t) => {
  const clock = { now: STORY_START };
  const s = await server(t, clock);
  await json(await s.as('il', 'POST', `${BASE}/challenges`, { zone: 'il-0-10' }), 202);
  const fs = await passTime(s, clock, STORY_START + 25 * H, (x) => x.some((f) => f.finding === 'late-inspection'));
  assert.deepEqual(mine(fs, CH), ['challenge:open:undof', 'late-inspection:open:undof']);
  await json(await s.as('undof', 'POST', `${BASE}/reports`, inspection('i-ch-2', clock.now)), 202);
  assert.deepEqual(mine(await findings(s), CH).slice(2), ['challenge:closed:undof', 'late-inspection:closed:undof']);
});

test('access refused: a finding against the refusing party; bad refusals are refused naming the field', async (t) => {
  const clock = { now: STORY_START };
  const s = await server(t, clock);
  const { challenge } = (await json(await s.as('sy', 'POST', `${BASE}/challenges`, { zone: 'il-0-10' }), 202)) as { challenge: string };
  const url = `${BASE}/challenges/${challenge}/refusal`;
  await json(await s.as('sy', 'POST', url, { by: 'il' }), 403);
  await json(await s.as('undof', 'POST', `${BASE}/challenges/challenge-999999/refusal`, { by: 'il' }), 404);
  const notParty = (await json(await s.as('undof', 'POST', url, { by: 'tr' }), 400)) as { issues: { path: string }[] };
  assert.equal(notParty.issues[0].path, 'by');
  await json(await s.as('undof', 'POST', url, { by: 'il', reason: 'turned back at the checkpoint' }), 202);
  await json(await s.as('undof', 'POST', url, { by: 'il' }), 409);
  const fs = await findings(s);
  assert.deepEqual(mine(fs, CH), ['challenge:open:undof', 'access-refused:open:il', 'challenge:closed:undof']);
  // Nothing is late for the observer refused: the deadline passes in silence.
  clock.now = STORY_START + 30 * H;
  s.deployment.clockMoved();
  await new Promise((r) => setTimeout(r, 100));
  assert.deepEqual(mine(await findings(s), CH).length, 3);
});

test('challenge requests are refused with a 403 for a non-party and a 400 naming zone for a zone without the duty', async (t) => {
  const clock = { now: STORY_START };
  const s = await server(t, clock);
  const size = s.deployment.log.size;
  await json(await s.as('undof', 'POST', `${BASE}/challenges`, { zone: 'il-0-10' }), 403);
  await json(await s.as('ru', 'POST', `${BASE}/challenges`, { zone: 'il-0-10' }), 403);
  const bad = (await json(await s.as('sy', 'POST', `${BASE}/challenges`, { zone: 'aos' }), 400)) as { issues: { path: string }[] };
  assert.equal(bad.issues[0].path, 'zone');
  await json(await s.as('sy', 'POST', `${BASE}/challenges`, { zone: 'il-0-10', extra: 1 }), 400);
  assert.equal(s.deployment.log.size, size, 'nothing written');
});

const notification = (time: number) => ({
  type: 'notification',
  id: 'n-ladder',
  time: iso(time),
  actor: 'il',
  zone: 'deconf',
  window: { from: iso(time + 2 * H), to: iso(time + 3 * H) },
});
const rungs = (fs: F[]) =>
  fs.filter((f) => f.finding === 'unacknowledged').map((f) => `${f.state}${f.escalation ? ` ${f.escalation.step}:${f.escalation.to}` : ''}`);

test('ladder: each rung comes due in order while unacknowledged, an ack between rungs stops it, a restart gives the same', async (t) => {
  const clock = { now: STORY_START };
  const s = await server(t, clock);
  await json(await s.as('il', 'POST', `${BASE}/reports`, notification(STORY_START)), 202);
  await passTime(s, clock, STORY_START + 16 * 60000, (fs) => rungs(fs).length === 2);
  let fs = await passTime(s, clock, STORY_START + 26 * 60000, (x) => rungs(x).length === 3);
  assert.deepEqual(rungs(fs), ['open', 'open 1:notified', 'open 2:mediator']);
  assert.deepEqual(fs.find((f) => f.escalation?.step === 2)?.escalation?.actors, ['ru']);
  // Both acknowledge before the guarantor's rung (1 h after the deadline): the finding closes, the ladder stops.
  for (const who of ['sy', 'ru']) {
    await json(await s.as(who, 'POST', `${BASE}/reports`, { type: 'ack', id: `k-${who}`, time: iso(clock.now), actor: who, notification: 'n-ladder' }), 202);
  }
  fs = await passTime(s, clock, STORY_START + 3 * H, (x) => rungs(x).includes('closed'));
  await new Promise((r) => setTimeout(r, 100));
  fs = await findings(s);
  assert.deepEqual(rungs(fs), ['open', 'open 1:notified', 'open 2:mediator', 'closed']);
  const before = (await s.as('us', 'GET', `${BASE}/findings`)).body;
  await s.stop();
  const again = await startTestServer({ web: false, source: dutiesSource(), now: () => clock.now, dir: s.dir });
  try {
    assert.equal((await again.as('us', 'GET', `${BASE}/findings`)).body, before, 'replay gives the same transitions');
  } finally {
    await again.stop();
  }
});

test('ladder under a disclosure that shows findings only to those concerned: each rung reaches its role', async (t) => {
  const clock = { now: STORY_START };
  const s = await startTestServer({
    web: false,
    source: dutiesSource({ disclosure: { findings: { full: ['concerned', 'mediator'] } } }),
    now: () => clock.now,
  });
  t.after(() => s.destroy());
  await json(await s.as('il', 'POST', `${BASE}/reports`, notification(STORY_START)), 202);
  await passTime(s, clock, STORY_START + 2 * H, (fs) => rungs(fs).length === 4);
  const seen = async (actor: string) => rungs((await json(await s.as(actor, 'GET', `${BASE}/findings`), 200)) as F[]);
  // The guarantor hears of the notice only at its own rung; Syria, still to acknowledge, from the notified rung; Turkey never.
  assert.deepEqual(await seen('us'), ['open 3:guarantor']);
  assert.deepEqual(await seen('sy'), ['open 1:notified']);
  assert.deepEqual(await seen('tr'), []);
  assert.deepEqual(await seen('il'), ['open', 'open 1:notified', 'open 2:mediator', 'open 3:guarantor'], 'the notifier is concerned throughout');
  // The event stream renders each finding with the same test (Deployment.readsFinding over the finding's actors).
  const booked = [...s.deployment.book.after(0)].filter((b) => b.finding.escalation?.to === 'guarantor');
  assert.equal(booked.length, 1);
  assert.equal(s.deployment.readsFinding(s.deployment.actors.get('us')!, booked[0].actors), true);
  assert.equal(s.deployment.readsFinding(s.deployment.actors.get('tr')!, booked[0].actors), false);
});

/** Israel's own tank finding, recorded, and its dispute by Israel. */
async function disputed(s: TestServer): Promise<{ finding: { entry: number; n: number }; dispute: number }> {
  await json(await s.as('il', 'POST', `${BASE}/reports`, observation('il-own-1', 'il-tk-1', 'il', { tanks: 80 }, iso(STORY_START), [35.75, 33.1], 'il')), 202);
  await s.deployment.recordFindings();
  const finding = await findingAddress(s, 'r-il-tanks-0-10');
  const posted = (await json(await s.as('il', 'POST', `${BASE}/findings/disputes`, { finding, reason: 'in transit under notice' }), 202)) as {
    indexes: number[];
  };
  return { finding, dispute: posted.indexes[0] };
}

type DisputeView = { index: number; by: string; resolution?: { outcome: string; reasons: string; by: string } };

test('dispute resolved as withdrawn: the finding closes with the reason; its history shows opened, disputed, resolved', async (t) => {
  const clock = { now: STORY_START };
  const s = await server(t, clock);
  const { finding, dispute } = await disputed(s);
  const url = `${BASE}/findings/disputes/${dispute}/resolution`;
  await json(await s.as('sy', 'POST', url, { outcome: 'withdrawn', reasons: 'x' }), 403);
  await json(await s.as('undof', 'POST', url, { outcome: 'withdrawn', reasons: 'x' }), 403);
  await json(await s.as('ru', 'POST', `${BASE}/findings/disputes/1/resolution`, { outcome: 'withdrawn', reasons: 'x' }), 404);
  await json(await s.as('ru', 'POST', url, { outcome: 'maybe', reasons: 'x' }), 400);
  await json(await s.as('ru', 'POST', url, { outcome: 'withdrawn', reasons: 'the notice covered the transit' }), 202);
  await json(await s.as('ru', 'POST', url, { outcome: 'upheld', reasons: 'second thoughts' }), 409);
  await json(await s.as('us', 'POST', url, { outcome: 'upheld', reasons: 'the commission too' }), 409);

  const history = (await findings(s)).filter((f) => f.rule === 'r-il-tanks-0-10');
  assert.deepEqual(
    history.map((f) => `${f.state}${f.reason ? ` (${f.reason})` : ''}`),
    ['open', `closed (withdrawn on dispute ${dispute})`],
  );
  // The reasons are the dispute's, sealed with its resolution: no reader gets them through the finding, listed or as CSV.
  for (const actor of ['il', 'sy', 'tr', 'undof', 'ru', 'us']) {
    const listed = JSON.stringify(await findings(s, actor));
    const csv = (await s.as(actor, 'GET', `${BASE}/findings.csv`)).body;
    assert.ok(!listed.includes('covered the transit') && !csv.includes('covered the transit'), `${actor} reads the reasons through the finding`);
  }
  const open = (await json(await s.as('ru', 'GET', `${BASE}/findings?open=true`), 200)) as F[];
  assert.equal(
    open.some((f) => f.rule === 'r-il-tanks-0-10'),
    false,
    'no longer open',
  );
  // The finding's disputes with their resolution: the disputing party (also the accused here), mediator, guarantor; not the others.
  for (const [actor, sees] of [
    ['il', true],
    ['ru', true],
    ['us', true],
    ['sy', false],
    ['tr', false],
    ['undof', false],
  ] as const) {
    const list = (await json(await s.as(actor, 'GET', `${BASE}/findings/disputes?entry=${finding.entry}&n=${finding.n}`), 200)) as DisputeView[];
    assert.equal(list.length, sees ? 1 : 0, actor);
    if (sees)
      assert.deepEqual(list[0].resolution && { ...list[0].resolution, index: 0, time: '' }, {
        outcome: 'withdrawn',
        reasons: 'the notice covered the transit',
        by: 'ru',
        index: 0,
        time: '',
      });
  }
  // A restart replays the resolution: the same history, still not open.
  const before = (await s.as('ru', 'GET', `${BASE}/findings`)).body;
  await s.stop();
  const again = await startTestServer({ web: false, source: dutiesSource(), now: () => clock.now, dir: s.dir });
  try {
    assert.equal((await again.as('ru', 'GET', `${BASE}/findings`)).body, before);
    const reopened = (await json(await again.as('ru', 'GET', `${BASE}/findings?open=true`), 200)) as F[];
    assert.equal(
      reopened.some((f) => f.rule === 'r-il-tanks-0-10'),
      false,
    );
  } finally {
    await again.stop();
  }
});

test('dispute upheld by a member of the joint commission: the finding stays open', async (t) => {
  const clock = { now: STORY_START };
  const s = await server(t, clock);
  const { dispute } = await disputed(s);
  await json(await s.as('us', 'POST', `${BASE}/findings/disputes/${dispute}/resolution`, { outcome: 'upheld', reasons: 'the tanks were inside' }), 202);
  const open = (await json(await s.as('ru', 'GET', `${BASE}/findings?open=true`), 200)) as F[];
  assert.ok(open.some((f) => f.rule === 'r-il-tanks-0-10'));
  const list = (await json(await s.as('il', 'GET', `${BASE}/findings/disputes`), 200)) as DisputeView[];
  assert.equal(list[0].resolution?.outcome, 'upheld');
  assert.equal(list[0].resolution?.by, 'us');
});
