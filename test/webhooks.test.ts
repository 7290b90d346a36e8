// Webhooks end to end (docs/webhooks.md): a local receiver subscribed through the API
// gets signed deliveries, checked with an HMAC computed here from the documented
// scheme; failures are retried with growing gaps and end as dead letters only their
// owner reads; a resent delivery is refused by the documented receiver check.
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import { test } from 'node:test';
import { DeploymentRefused } from '../src/server/deployment.ts';
import { BASE, json, observation, STORY_START, startTestServer, type TestServer } from './helpers/server.ts';
import { check, payloadOf, type Receiver, startReceiver } from './helpers/webhook-receiver.ts';

const T = new Date(STORY_START - 60_000).toISOString();
const FAST = { allowPrivate: true, retry: { attempts: 3, baseMs: 100, capMs: 1000, timeoutMs: 2000 } };

async function subscribe(s: TestServer, actor: string, body: Record<string, unknown>) {
  return json(await s.as(actor, 'POST', `${BASE}/webhooks`, body), 201) as Promise<{ id: string; secret: string }>;
}

/** An Israeli post in the Area of Separation, seen by UNDOF: a finding about Israel opens. */
const ilPost = (id = 'wh-il-post', unit = 'il-post-1') => observation(id, unit, 'il', { troops: 12 }, T);

async function withServer(fn: (s: TestServer, r: Receiver) => Promise<void>, opts = FAST): Promise<void> {
  const s = await startTestServer({ web: false, webhooks: opts });
  const r = await startReceiver();
  try {
    await fn(s, r);
  } finally {
    await r.close();
    await s.destroy();
  }
}

test('a finding is delivered signed: the HMAC of "t.body" under the secret, computed independently, matches', async () => {
  await withServer(async (s, r) => {
    const sub = await subscribe(s, 'il', { url: r.url, events: ['finding.opened'] });
    assert.match(sub.secret, /^whsec_/);
    await json(await s.as('undof', 'POST', `${BASE}/reports`, ilPost()), 202);
    await r.waitFor(1);
    const got = r.got[0];
    const sig = String(got.headers['detente-signature']);
    const m = /^t=(\d+),v1=([0-9a-f]{64})$/.exec(sig);
    assert.ok(m, sig);
    assert.equal(m[2], createHmac('sha256', sub.secret).update(`${m[1]}.${got.body}`).digest('hex'));
    assert.ok(Math.abs(Number(m[1]) - Date.now() / 1000) < 60);
    // A different secret or a changed body does not verify.
    assert.notEqual(m[2], createHmac('sha256', `${sub.secret}x`).update(`${m[1]}.${got.body}`).digest('hex'));
    const p = payloadOf(got);
    assert.equal(p.type, 'finding.opened');
    assert.equal(got.headers['detente-event'], 'finding.opened');
    assert.equal(got.headers['detente-delivery'], p.id);
    assert.equal(p.data.rule, 'r-aos-only-undof');
    // The list shows the subscription, never its secret.
    const list = await json(await s.as('il', 'GET', `${BASE}/webhooks`), 200);
    assert.deepEqual(
      list.map((x: { id: string }) => x.id),
      [sub.id],
    );
    assert.equal(JSON.stringify(list).includes(sub.secret), false);
    assert.deepEqual(await json(await s.as('sy', 'GET', `${BASE}/webhooks`), 200), []);
  });
});

test('a failing receiver is retried with growing gaps: fails twice, then 200 — three attempts, one delivery id', async () => {
  await withServer(async (s, r) => {
    r.answer = (n) => (n < 2 ? 500 : 200);
    await subscribe(s, 'il', { url: r.url, events: ['finding.opened'] });
    await json(await s.as('undof', 'POST', `${BASE}/reports`, ilPost()), 202);
    // The post opens two findings about Israel: the first delivery meets the failures.
    await r.waitFor(4);
    await new Promise((res) => setTimeout(res, 400));
    const first = r.got.filter((g) => g.headers['detente-delivery'] === r.got[0].headers['detente-delivery']);
    assert.equal(first.length, 3, 'three attempts, none after the one that succeeded');
    assert.equal(r.got.length, 4, 'the second delivery, once, after the first');
    const gap1 = first[1].at - first[0].at;
    const gap2 = first[2].at - first[1].at;
    assert.ok(gap1 >= 95, `first wait ${gap1} ms ≥ the base 100 ms`);
    assert.ok(gap2 > gap1, `the wait grows: ${gap1} then ${gap2} ms`);
  });
});

test('after the last attempt a delivery is a dead letter its owner reads (another actor: 404) and can send again', async () => {
  await withServer(async (s, r) => {
    r.answer = () => 503;
    const sub = await subscribe(s, 'il', { url: r.url, events: ['finding.opened'] });
    await json(await s.as('undof', 'POST', `${BASE}/reports`, ilPost()), 202);
    // Two findings about Israel, three attempts each, one after the other.
    await r.waitFor(6);
    let dead: { n: number; delivery: string; reason: string; attempts: number; payload: { type: string } }[] = [];
    for (let i = 0; i < 50 && dead.length < 2; i++) {
      await new Promise((res) => setTimeout(res, 20));
      dead = await json(await s.as('il', 'GET', `${BASE}/webhooks/${sub.id}/dead-letters`), 200);
    }
    assert.equal(dead.length, 2);
    assert.equal(r.got.length, 6, 'no attempt after the last');
    assert.deepEqual(
      dead.map((d) => d.n),
      [1, 2],
    );
    assert.equal(dead[0].attempts, 3);
    assert.equal(dead[0].reason, 'HTTP 503');
    assert.equal(dead[0].delivery, r.got[0].headers['detente-delivery']);
    assert.equal(dead[0].payload.type, 'finding.opened');
    for (const other of ['sy', 'ru', 'tr']) {
      const res = await s.as(other, 'GET', `${BASE}/webhooks/${sub.id}/dead-letters`);
      assert.equal(res.statusCode, 404, `${other}: ${res.body}`);
      assert.equal((await s.as(other, 'DELETE', `${BASE}/webhooks/${sub.id}`)).statusCode, 404);
      assert.equal((await s.as(other, 'POST', `${BASE}/webhooks/${sub.id}/dead-letters/1/retry`)).statusCode, 404);
    }
    // Sent again, with the same delivery id, once the receiver is back.
    r.answer = () => 200;
    await json(await s.as('il', 'POST', `${BASE}/webhooks/${sub.id}/dead-letters/${dead[0].n}/retry`), 202);
    await r.waitFor(7);
    assert.equal(r.got[6].headers['detente-delivery'], dead[0].delivery);
    assert.deepEqual(
      (await json(await s.as('il', 'GET', `${BASE}/webhooks/${sub.id}/dead-letters`), 200)).map((d: { n: number }) => d.n),
      [2],
    );
    assert.equal((await s.as('il', 'DELETE', `${BASE}/webhooks/${sub.id}`)).statusCode, 204);
    assert.equal((await s.as('il', 'GET', `${BASE}/webhooks/${sub.id}/dead-letters`)).statusCode, 404);
  });
});

/** Sends a captured delivery again, byte for byte, as an attacker who saw it would. */
function resend(url: string, headers: Record<string, unknown>, body: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const h = Object.fromEntries(['content-type', 'detente-signature', 'detente-delivery', 'detente-event'].map((k) => [k, String(headers[k])]));
    const req = request(url, { method: 'POST', headers: h }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('error', reject);
    req.end(body);
  });
}

test('replay: a receiver doing the documented check refuses a delivery it has seen, and one older than 5 minutes', async () => {
  await withServer(async (s, r) => {
    const sub = await subscribe(s, 'il', { url: r.url, events: ['finding.opened'] });
    r.secret = sub.secret;
    await json(await s.as('undof', 'POST', `${BASE}/reports`, ilPost()), 202);
    await r.waitFor(2);
    const first = r.got[0];
    assert.equal(first.refused, undefined, 'the genuine delivery is taken');
    assert.equal(r.got[1].refused, undefined, 'and the next');
    assert.equal(await resend(r.url, first.headers, first.body), 400);
    assert.equal(r.got[2].refused, 'seen before');
    // Six minutes on, the same bytes are too old, even to a receiver that forgot the id.
    const seen = new Set<string>();
    assert.equal(check(sub.secret, first.headers, first.body, r.nowS() + 360, seen), 'too old');
    assert.equal(check(sub.secret, first.headers, first.body, r.nowS(), seen), undefined);
    assert.equal(check(sub.secret, first.headers, first.body.replace('"finding.opened"', '"finding.closed"'), r.nowS(), new Set()), 'bad signature');
  });
});

test('subscribing: only http(s) URLs (400 naming url), private addresses only when allowed, known zones, dwell_s with zone.dwell', async () => {
  const s = await startTestServer({ web: false });
  try {
    const bad = async (body: unknown, path: string) => {
      const res = await s.as('il', 'POST', `${BASE}/webhooks`, body);
      assert.equal(res.statusCode, 400, res.body);
      assert.ok(
        JSON.parse(res.body).issues.some((i: { path: string }) => i.path === path),
        `${path}: ${res.body}`,
      );
    };
    await bad({ url: 'ftp://example.org/x', events: ['finding.opened'] }, 'url');
    await bad({ url: 'file:///etc/passwd', events: ['finding.opened'] }, 'url');
    await bad({ url: 'http://127.0.0.1:9/x', events: ['finding.opened'] }, 'url');
    await bad({ url: 'http://[::1]/x', events: ['finding.opened'] }, 'url');
    await bad({ url: 'http://169.254.169.254/latest', events: ['finding.opened'] }, 'url');
    await bad({ url: 'http://localhost/x', events: ['finding.opened'] }, 'url');
    await bad({ url: 'https://example.org/x', events: ['zone.entered'], zones: ['nowhere'] }, 'zones[0]');
    await bad({ url: 'https://example.org/x', events: ['zone.dwell'] }, 'dwell_s');
    await bad({ url: 'https://example.org/x', events: ['finding.opened'], dwell_s: 60 }, 'dwell_s');
    await bad({ url: 'https://example.org/x', events: ['finding.everything'] }, 'events[0]');
    const ok = await subscribe(s, 'il', { url: 'https://example.org/x', events: ['zone.dwell'], zones: ['aos'], dwell_s: 600 });
    assert.match(ok.id, /^wh-/);
    // At most 20 per actor; another actor's count is its own.
    for (let i = 1; i < 20; i++) await subscribe(s, 'il', { url: `https://example.org/${i}`, events: ['finding.opened'] });
    assert.equal((await s.as('il', 'POST', `${BASE}/webhooks`, { url: 'https://example.org/x', events: ['finding.opened'] })).statusCode, 409);
    await subscribe(s, 'sy', { url: 'https://example.org/sy', events: ['finding.opened'] });
    assert.equal((await s.as(null, 'GET', `${BASE}/webhooks`)).statusCode, 401);
    assert.equal((await s.as('il', 'GET', '/api/arrangements/elsewhere/webhooks')).statusCode, 404);
  } finally {
    await s.destroy();
  }
});

test('subscriptions survive a restart, and deliver after it', async () => {
  const s = await startTestServer({ web: false, webhooks: FAST });
  const r = await startReceiver();
  let s2: TestServer | undefined;
  try {
    const sub = await subscribe(s, 'il', { url: r.url, events: ['finding.opened'] });
    await s.stop();
    s2 = await startTestServer({ web: false, webhooks: FAST, dir: s.dir });
    const list = await json(await s2.as('il', 'GET', `${BASE}/webhooks`), 200);
    assert.deepEqual(
      list.map((x: { id: string }) => x.id),
      [sub.id],
    );
    r.secret = sub.secret;
    await json(await s2.as('undof', 'POST', `${BASE}/reports`, ilPost('wh-after-restart')), 202);
    await r.waitFor(1);
    assert.equal(r.got[0].refused, undefined, 'signed with the secret kept across the restart');
  } finally {
    await r.close();
    await (s2 ?? s).destroy();
    await s.destroy();
  }
});

test('a webhooks file the server did not write stops the start, naming it (exit 2 for detente serve)', async () => {
  const s = await startTestServer({ web: false });
  try {
    await s.stop();
    writeFileSync(join(s.dir, 'webhooks.json'), '{"subscriptions": ');
    await assert.rejects(startTestServer({ web: false, dir: s.dir }), (e: Error) => e instanceof DeploymentRefused && e.message.includes('webhooks.json'));
    // Nothing was left open: the same directory starts once the file is moved aside.
    writeFileSync(join(s.dir, 'webhooks.json'), '{"v":1,"subscriptions":[],"dead":{}}');
    const again = await startTestServer({ web: false, dir: s.dir });
    await again.stop();
  } finally {
    await s.destroy();
  }
});
