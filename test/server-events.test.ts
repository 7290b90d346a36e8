// The event stream under load and across reconnections: a token's streams are bounded,
// a subscriber that never reads is dropped before its socket holds much, one audience's
// frames are rendered once and shared, and Last-Event-ID (a record position) resumes
// with exactly the history the client missed.
import assert from 'node:assert/strict';
import { connect } from 'node:net';
import test from 'node:test';
import { EventStreamParser, type StreamEvent } from '../web/src/api/events.ts';
import { BASE, json, observation, STORY_START, startTestServer, type TestServer } from './helpers/server.ts';

const T0 = new Date(STORY_START).toISOString().replace('.000Z', 'Z');

async function addressOf(s: TestServer): Promise<string> {
  if (s.app.server.listening) return `http://127.0.0.1:${(s.app.server.address() as { port: number }).port}`;
  return s.app.listen({ port: 0, host: '127.0.0.1' });
}

interface Follower {
  events: StreamEvent[];
  raw: string;
  lastId(): string | undefined;
  /** resolves once `pred` holds for what came so far */
  until(pred: (f: Follower) => boolean): Promise<void>;
  close(): Promise<void>;
}

async function follow(s: TestServer, actor: string, headers: Record<string, string> = {}): Promise<Follower> {
  const ac = new AbortController();
  const res = await fetch(`${await addressOf(s)}${BASE}/events`, { headers: { authorization: `Bearer ${s.tokens[actor]}`, ...headers }, signal: ac.signal });
  assert.equal(res.status, 200, await (res.status === 200 ? '' : res.text()));
  const f: Follower = {
    events: [],
    raw: '',
    lastId: () => parser.lastId,
    async until(pred) {
      for (let i = 0; i < 400 && !pred(f); i++) await new Promise((r) => setTimeout(r, 25));
      assert.ok(pred(f), `timed out; got ${f.raw}`);
    },
    async close() {
      ac.abort();
      await pump;
    },
  };
  const parser = new EventStreamParser((e) => f.events.push(e));
  const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader();
  const pump = (async () => {
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        f.raw += value;
        parser.push(value);
      }
    } catch {
      // aborted
    }
  })();
  return f;
}

const history = (es: StreamEvent[]) => es.filter((e) => e.type === 'finding' || e.type === 'talks');
/** The greeting ends with an id-only event: the stream is subscribed once it came. */
const greeted = (f: Follower) => f.lastId() !== undefined;

test('the ninth stream of one token is refused with 429; another token still opens one', async () => {
  const s = await startTestServer();
  const open: Follower[] = [];
  try {
    for (let i = 0; i < 8; i++) open.push(await follow(s, 'ru'));
    const res = await fetch(`${await addressOf(s)}${BASE}/events`, { headers: { authorization: `Bearer ${s.tokens.ru}` } });
    assert.equal(res.status, 429);
    const body = (await res.json()) as { error: string; issues: { path: string }[] };
    assert.match(body.error, /8 event streams/);
    assert.equal(body.issues[0].path, 'headers.authorization');
    open.push(await follow(s, 'il'));
    // Closing one frees its place.
    await open.shift()!.close();
    for (let i = 0; i < 100 && s.deployment.bus.size > 8; i++) await new Promise((r) => setTimeout(r, 10));
    open.push(await follow(s, 'ru'));
  } finally {
    for (const f of open) await f.close();
    await s.destroy();
  }
});

/** An event stream on a raw socket that never reads; resolves once the bus holds `streams` streams. */
async function silentStream(s: TestServer, streams: number) {
  const url = new URL(await addressOf(s));
  const sock = connect(Number(url.port), url.hostname);
  await new Promise((r) => sock.once('connect', r));
  sock.write(`GET ${BASE}/events HTTP/1.1\r\nhost: x\r\nauthorization: Bearer ${s.tokens.ru}\r\n\r\n`);
  // Never read: the kernel's buffers fill, then the server's.
  sock.pause();
  for (let i = 0; i < 100 && s.deployment.bus.size < streams; i++) await new Promise((r) => setTimeout(r, 10));
  return sock;
}

test('a subscriber that never reads is dropped, and what the server holds for it stays bounded', async () => {
  const s = await startTestServer();
  const bus = s.deployment.bus;
  bus.limits.maxBufferedBytes = 256 << 10;
  const reader = await follow(s, 'ru');
  try {
    const sock = await silentStream(s, 2);
    assert.equal(bus.size, 2);
    const payload = 'x'.repeat(16 << 10);
    let most = 0;
    let sent = 0;
    // 64 MiB in all, were nothing dropped.
    for (; sent < 4096 && bus.size === 2; sent++) {
      bus.publish({ type: 'checkpoint', render: () => ({ payload, n: sent }) });
      most = Math.max(most, bus.bufferedBytes);
      await new Promise((r) => setImmediate(r));
    }
    assert.equal(bus.size, 1, `the silent subscriber was not dropped after ${sent} events`);
    // The bound, a frame over it, and what the reader has not taken yet.
    assert.ok(most <= 2 * (256 << 10) + 2 * (payload.length + 100), `held ${most} bytes`);
    // The reading subscriber is still there and gets the latest.
    await reader.until((f) => f.events.some((e) => e.type === 'checkpoint' && JSON.parse(e.data).n === sent - 1));
    sock.destroy();
  } finally {
    await reader.close();
    await s.destroy();
  }
});

test('two subscribers of one actor get byte-identical frames, rendered once', async () => {
  const s = await startTestServer();
  const a = await follow(s, 'ru');
  const b = await follow(s, 'ru');
  const other = await follow(s, 'il');
  try {
    await Promise.all([a, b, other].map((f) => f.until(greeted)));
    const bus = s.deployment.bus;
    let published = 0;
    const publish = bus.publish.bind(bus);
    bus.publish = (e) => {
      published++;
      publish(e);
    };
    const before = bus.renderCount;
    const n = 5;
    for (let i = 0; i < n; i++) await json(await s.as('sy', 'POST', `${BASE}/talks/submissions`, { text: `note ${i}` }), 201);
    const talks = (f: Follower) => f.events.filter((e) => e.type === 'talks').length >= n;
    await Promise.all([a.until(talks), b.until(talks)]);
    await new Promise((r) => setImmediate(r));
    // One render per event and audience (not per socket): ru's two share one, il is the other.
    assert.ok(published >= n);
    assert.equal(bus.renderCount - before, 2 * published);
    const tail = (f: Follower) => f.raw.slice(f.raw.indexOf('event: talks'));
    assert.equal(tail(a), tail(b));
  } finally {
    for (const f of [a, b, other]) await f.close();
    await s.destroy();
  }
});

test('Last-Event-ID resumes with exactly the history missed: ids are record positions', async () => {
  const s = await startTestServer();
  const always = await follow(s, 'ru');
  const first = await follow(s, 'ru');
  let resumed: Follower | undefined;
  try {
    await Promise.all([always.until(greeted), first.until(greeted)]);
    assert.equal(first.lastId(), String(s.deployment.log.size));
    const post = async (k: string) => {
      await json(await s.as('sy', 'POST', `${BASE}/talks/submissions`, { text: `before ${k}` }), 201);
      await json(
        await s.as('undof', 'POST', `${BASE}/reports`, [
          observation(`${k}-1`, `${k}-t`, 'sy', { tanks: 4 }, T0),
          observation(`${k}-2`, `${k}-tr`, 'tr', { troops: 40 }, T0, [36.1, 32.9]),
        ]),
        202,
      );
    };
    await post('a');
    const sizeA = s.deployment.log.size;
    await first.until((f) => f.lastId() === String(sizeA) || history(f.events).length >= history(always.events).length);
    const seen = history(first.events).length;
    assert.ok(seen > 0);
    const lastId = first.lastId()!;
    await first.close();
    await post('b');
    await post('c');
    const end = s.deployment.log.size;
    await always.until((f) => Number(f.lastId()) >= end || history(f.events).length > seen + 2);
    resumed = await follow(s, 'ru', { 'last-event-id': lastId });
    await resumed.until(greeted);
    const missed = history(always.events).slice(seen);
    assert.ok(missed.some((e) => e.type === 'talks'));
    assert.deepEqual(
      history(resumed.events).map((e) => [e.type, e.data]),
      missed.map((e) => [e.type, e.data]),
    );
    // Every history event's id is a position in the record, and they only grow.
    const ids = history(always.events)
      .map((e) => e.id)
      .filter((x) => x !== undefined)
      .map(Number);
    assert.ok(ids.length > 0 && ids.every((x, i) => x <= end && (i === 0 || x > ids[i - 1])));
    // The posture is sent on connecting, as state.
    assert.equal(resumed.events.filter((e) => e.type === 'posture').length, 1);
  } finally {
    await always.close();
    await first.close();
    await resumed?.close();
    await s.destroy();
  }
});

test('a malformed Last-Event-ID is a 400 naming the header', async () => {
  const s = await startTestServer();
  try {
    const res = await s.as('ru', 'GET', `${BASE}/events`, undefined, { 'last-event-id': 'abc' });
    assert.equal(res.statusCode, 400);
    assert.equal(JSON.parse(res.body).issues[0].path, 'headers.last-event-id');
  } finally {
    await s.destroy();
  }
});

test('a stream backpressured past skipAfterMs is written nothing more, so silent subscribers cost no writes', async () => {
  const s = await startTestServer();
  const bus = s.deployment.bus;
  bus.limits.maxBufferedBytes = 64 << 20;
  bus.limits.maxStalledMs = 60_000;
  bus.limits.skipAfterMs = 100;
  try {
    const sock = await silentStream(s, 1);
    const payload = 'x'.repeat(16 << 10);
    // Fill the kernel's buffers and then the server's, until writes are refused.
    for (let n = 0; n < 2000 && bus.bufferedBytes === 0; n++) {
      bus.publish({ type: 'checkpoint', render: () => ({ payload, n }) });
      await new Promise((r) => setImmediate(r));
    }
    assert.ok(bus.bufferedBytes > 0, 'the socket filled up');
    await new Promise((r) => setTimeout(r, 150));
    const held = bus.bufferedBytes;
    for (let n = 0; n < 200; n++) bus.publish({ type: 'checkpoint', render: () => ({ payload, n }) });
    await new Promise((r) => setImmediate(r));
    assert.equal(bus.bufferedBytes, held, 'nothing more was written to the stalled stream');
    assert.equal(bus.size, 1, 'it is kept until maxStalledMs (or ended when it drains)');
    sock.destroy();
  } finally {
    await s.destroy();
  }
});
