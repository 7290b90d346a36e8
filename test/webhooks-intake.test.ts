// Delivery never blocks the engine: with every actor subscribed to a receiver that
// never answers, posting reports (each opening findings, each finding a delivery per
// subscriber) takes about as long as with no subscription at all. Measured in the same
// test, as a ratio, loosely.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ACTORS, BASE, json, observation, STORY_START, startTestServer, type TestServer } from './helpers/server.ts';
import { startReceiver } from './helpers/webhook-receiver.ts';

const T = new Date(STORY_START - 60_000).toISOString();
const N = 60;

async function postMany(s: TestServer, tag: string): Promise<number> {
  const t0 = performance.now();
  for (let i = 0; i < N; i++)
    await json(await s.as('undof', 'POST', `${BASE}/reports`, observation(`${tag}-${i}`, `${tag}-unit-${i}`, 'il', { troops: 5 }, T)), 202);
  return performance.now() - t0;
}

test('a receiver that hangs does not slow report acknowledgements', { timeout: 120_000 }, async (t) => {
  const s = await startTestServer({ web: false, webhooks: { allowPrivate: true, retry: { attempts: 2, timeoutMs: 30_000 }, maxQueue: 20 } });
  const r = await startReceiver();
  r.answer = () => 'hang';
  try {
    await postMany(s, 'warm');
    const without = await postMany(s, 'plain');
    for (const a of ACTORS)
      await json(
        await s.as(a, 'POST', `${BASE}/webhooks`, { url: r.url, events: ['finding.opened', 'finding.closed', 'zone.entered', 'notice.unacknowledged'] }),
        201,
      );
    const withHooks = await postMany(s, 'hooked');
    // Deliveries were made (and hang): the receiver was reached while reports were taken.
    await r.waitFor(1);
    const ratio = withHooks / without;
    t.diagnostic(`${N} reports: ${without.toFixed(0)} ms without webhooks, ${withHooks.toFixed(0)} ms with six hanging (×${ratio.toFixed(2)})`);
    assert.ok(ratio < 3, `reports took ${withHooks.toFixed(0)} ms with hanging webhooks, ${without.toFixed(0)} ms without (×${ratio.toFixed(2)})`);
    // The hanging lanes are bounded: the oldest waiting went to the dead letters, saying why.
    const [sub] = await json(await s.as('ru', 'GET', `${BASE}/webhooks`), 200);
    assert.ok(sub.pending <= 20, `pending ${sub.pending}`);
    const dead = await json(await s.as('ru', 'GET', `${BASE}/webhooks/${sub.id}/dead-letters`), 200);
    assert.ok(dead.length > 0 && dead.every((d: { reason: string }) => d.reason.startsWith('queue full')), JSON.stringify(dead[0]));
  } finally {
    await r.close();
    await s.destroy();
  }
});
