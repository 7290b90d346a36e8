// Zone events from the posture: a unit entering a zone, staying past the subscription's
// dwell (reported once per stay), and leaving it; the subscription's zone and unit
// filters narrow what is sent.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { BASE, json, observation, STORY_START, startTestServer } from './helpers/server.ts';
import { payloadOf, startReceiver } from './helpers/webhook-receiver.ts';

const T0 = STORY_START - 120_000;
const at = (s: number) => new Date(T0 + s * 1000).toISOString();
const AOS: [number, number] = [35.825, 33.3];
const OUTSIDE: [number, number] = [36.6, 33.6];
/** the posture goes out once a second */
const settle = () => new Promise((r) => setTimeout(r, 1300));

test('zone.entered, zone.dwell once per stay past dwell_s, zone.exited; filtered by zone and unit', { timeout: 60_000 }, async () => {
  const s = await startTestServer({ web: false, webhooks: { allowPrivate: true } });
  const r = await startReceiver();
  const other = await startReceiver();
  try {
    const events = ['zone.entered', 'zone.exited', 'zone.dwell'];
    await json(await s.as('il', 'POST', `${BASE}/webhooks`, { url: r.url, events, zones: ['aos'], dwell_s: 2 }), 201);
    await json(await s.as('il', 'POST', `${BASE}/webhooks`, { url: other.url, events, units: ['il-post-6'], dwell_s: 2 }), 201);
    const post = async (id: string, t: number, position: [number, number]) => {
      await json(await s.as('undof', 'POST', `${BASE}/reports`, observation(id, 'il-post-5', 'il', { troops: 3 }, at(t), position)), 202);
      await settle();
    };
    await post('z1', 0, AOS);
    await post('z2', 1, AOS);
    await post('z3', 3, AOS);
    await post('z4', 4, AOS);
    await post('z5', 5, OUTSIDE);
    const got = r.got.map(payloadOf).map((p) => [p.type, p.data.zone, p.data.unit, p.data.time]);
    assert.deepEqual(got, [
      ['zone.entered', 'aos', 'il-post-5', at(0).replace('.000', '')],
      ['zone.dwell', 'aos', 'il-post-5', at(3).replace('.000', '')],
      ['zone.exited', 'aos', 'il-post-5', at(5).replace('.000', '')],
    ]);
    const dwell = payloadOf(r.got[1]).data;
    assert.equal(dwell.dwell_s, 2);
    assert.deepEqual(dwell.position, AOS);
    // The other subscription names another unit: nothing about this one.
    assert.equal(other.got.length, 0);
  } finally {
    await Promise.all([r.close(), other.close()]);
    await s.destroy();
  }
});
