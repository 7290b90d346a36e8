// A webhook never carries more than its actor's event stream: a third party's
// subscription gets the finding about its own forces and its own unit's zone entry,
// never a finding about Israel nor an Israeli position; a party sees the observer
// team's unit only coarsened, as its posture shows it.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { BASE, json, observation, STORY_START, startTestServer } from './helpers/server.ts';
import { payloadOf, startReceiver } from './helpers/webhook-receiver.ts';

const T = new Date(STORY_START - 60_000).toISOString();
const ALL = ['finding.opened', 'finding.closed', 'zone.entered', 'zone.exited', 'notice.unacknowledged'];
const JET = { lon: 35.7311119, lat: 33.0199913 };
const TEAM = { lon: 35.8456789, lat: 33.1567891 };

test("a third party's webhook gets only what the policy lets it see; a party gets the observer team coarsened", { timeout: 60_000 }, async () => {
  const s = await startTestServer({ web: false, webhooks: { allowPrivate: true, retry: { attempts: 1 } } });
  const tr = await startReceiver();
  const sy = await startReceiver();
  const il = await startReceiver();
  try {
    for (const [a, r] of [
      ['tr', tr],
      ['sy', sy],
      ['il', il],
    ] as const)
      await json(await s.as(a, 'POST', `${BASE}/webhooks`, { url: r.url, events: ALL }), 201);
    // An Israeli jet over the Golan (Israel's own report, seen by Israel and the mediator only).
    await json(
      await s.as('il', 'POST', `${BASE}/reports`, {
        type: 'track',
        id: 'nk-jet-1',
        time: T,
        source: 'il',
        unit: 'jet-9',
        actor: 'il',
        category: 'aircraft',
        position: [JET.lon, JET.lat],
        altitude_m: 6100,
        velocity: { east_mps: 140, north_mps: -20, up_mps: 0 },
      }),
      202,
    );
    await json(await s.as('undof', 'POST', `${BASE}/reports`, observation('nk-post-il', 'il-post-9', 'il', { troops: 12 }, T)), 202);
    await json(await s.as('undof', 'POST', `${BASE}/reports`, observation('nk-south-tr', 'tr-unit-9', 'tr', { troops: 40 }, T, [36.1, 32.75])), 202);
    await json(await s.as('undof', 'POST', `${BASE}/reports`, observation('nk-team', 'undof-team-1', 'undof', { troops: 8 }, T, [TEAM.lon, TEAM.lat])), 202);
    // Zone events follow the posture, sent once a second.
    await new Promise((r) => setTimeout(r, 2500));

    const text = (r: typeof tr) => r.got.map((g) => g.body).join('\n');
    const events = (r: typeof tr) => r.got.map(payloadOf);
    // Turkey: its own finding and its own unit entering the south; nothing Israeli.
    assert.ok(
      events(tr).some((p) => p.type === 'finding.opened' && p.data.rule === 'r-south-no-turkey'),
      text(tr),
    );
    assert.ok(events(tr).some((p) => p.type === 'zone.entered' && p.data.unit === 'tr-unit-9' && p.data.zone === 'south'));
    for (const needle of ['r-aos-only-undof', 'jet-9', 'il-post-9', 'nk-jet-1', String(JET.lon), '"actor":"il"', 'undof-team-1'])
      assert.equal(text(tr).includes(needle), false, `Turkey was sent ${needle}`);
    // Israel: its own jet's exact position, the finding about its post.
    assert.ok(events(il).some((p) => p.type === 'finding.opened' && p.data.rule === 'r-aos-only-undof'));
    const jet = events(il).find((p) => p.type === 'zone.entered' && p.data.unit === 'jet-9' && p.data.zone === 'golan');
    assert.deepEqual(jet?.data.position, [JET.lon, JET.lat], 'Israel is told its jet entered the Golan, exactly where');
    // Syria: never the Israeli jet (Israel's own report); UNDOF's team only coarsened.
    for (const needle of ['jet-9', 'nk-jet-1', String(JET.lon), String(TEAM.lon), String(TEAM.lat)])
      assert.equal(text(sy).includes(needle), false, `Syria was sent ${needle}`);
    const team = events(sy).filter((p) => p.data.unit === 'undof-team-1');
    assert.ok(team.length > 0, 'Syria is told the team entered a zone, coarsened');
    for (const p of team) assert.ok(p.data.coarse, JSON.stringify(p));
  } finally {
    await Promise.all([tr.close(), sy.close(), il.close()]);
    await s.destroy();
  }
});
