import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { test } from 'node:test';
import { type Delivery, Dispatcher, type Failure } from './dispatcher.ts';

/** A receiver answering each request as `answer` says ('hang': never). */
async function receiver(answer: (n: number) => number | 'hang') {
  const got: { id: string; at: number }[] = [];
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      const a = answer(got.length);
      got.push({ id: String(req.headers['detente-delivery']), at: performance.now() });
      if (a !== 'hang') res.writeHead(a).end();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  return {
    url,
    got,
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

const delivery = (id: string): Delivery => ({ id, type: 'finding.opened', body: JSON.stringify({ id }) });
const until = async (cond: () => boolean, ms = 5000) => {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 10));
  }
};

test('one lane delivers in order; a failure is retried, then dead-lettered with the last reason', async () => {
  const r = await receiver((n) => (n === 0 ? 500 : n < 3 ? 200 : 418));
  const dead: Failure[] = [];
  const d = new Dispatcher({ allowPrivate: true, retry: { attempts: 2, baseMs: 20, capMs: 100, timeoutMs: 1000 }, onDead: (_, f) => dead.push(f) });
  try {
    const t = { id: 's1', url: r.url, secret: 'k' };
    d.send(t, delivery('a'));
    d.send(t, delivery('b'));
    d.send(t, delivery('c'));
    await until(() => dead.length === 1);
    // a: 500 then 200; b: 200; c: 418 twice, then dead.
    assert.deepEqual(
      r.got.map((g) => g.id),
      ['a', 'a', 'b', 'c', 'c'],
    );
    assert.equal(dead[0].delivery.id, 'c');
    assert.equal(dead[0].reason, 'HTTP 418');
    assert.equal(dead[0].attempts, 2);
    assert.equal(d.pending('s1'), 0);
  } finally {
    d.close();
    await r.close();
  }
});

test('a hanging receiver: the attempt times out; a full lane sends its oldest waiting delivery to the dead letters', async () => {
  const r = await receiver(() => 'hang');
  const dead: Failure[] = [];
  const d = new Dispatcher({ allowPrivate: true, maxQueue: 3, retry: { attempts: 1, timeoutMs: 150 }, onDead: (_, f) => dead.push(f) });
  try {
    const t = { id: 's1', url: r.url, secret: 'k' };
    const t0 = performance.now();
    for (const id of ['a', 'b', 'c', 'd', 'e']) d.send(t, delivery(id));
    assert.ok(performance.now() - t0 < 50, 'send never waits');
    // a is on its way; b and c made room for d and e.
    assert.deepEqual(
      dead.map((f) => [f.delivery.id, f.reason.startsWith('queue full')]),
      [
        ['b', true],
        ['c', true],
      ],
    );
    await until(() => dead.length === 3);
    assert.equal(dead[2].delivery.id, 'a');
    assert.match(dead[2].reason, /no answer within 150 ms/);
  } finally {
    d.close();
    await r.close();
  }
});

test('a private address is refused at delivery unless allowed (a name or URL that turned inward after subscribing)', async () => {
  const r = await receiver(() => 200);
  const dead: Failure[] = [];
  const d = new Dispatcher({ retry: { attempts: 1 }, onDead: (_, f) => dead.push(f) });
  try {
    d.send({ id: 's1', url: r.url, secret: 'k' }, delivery('a'));
    await until(() => dead.length === 1);
    assert.match(dead[0].reason, /private|loopback/);
    assert.equal(r.got.length, 0);
  } finally {
    d.close();
    await r.close();
  }
});
