import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { HttpGetter, MAX_BODY, TransportError } from './http-get.ts';

async function serve(handler: Parameters<typeof createServer>[1]): Promise<{ server: Server; url: string; connections: () => number }> {
  const server = createServer(handler);
  let connections = 0;
  server.on('connection', () => connections++);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, connections: () => connections };
}

test('answers whole, with status and headers; requests share a kept-alive connection', async () => {
  const { server, url, connections } = await serve((req, res) => {
    res.setHeader('detente-witnessed', 'yes');
    res.statusCode = req.url === '/missing' ? 404 : 200;
    // Written in pieces, so the body arrives in more than one chunk.
    res.write(Buffer.alloc(100_000, 1));
    res.end(Buffer.from(req.headers.authorization ?? ''));
  });
  const g = new HttpGetter();
  try {
    for (let i = 0; i < 3; i++) {
      const got = await g.get(`${url}/a`, { authorization: 'Bearer t' });
      assert.equal(got.status, 200);
      assert.equal(got.header('Detente-Witnessed'), 'yes');
      assert.equal(got.header('x-none'), null);
      assert.equal(got.body.length, 100_000 + 'Bearer t'.length);
      assert.equal(Buffer.from(got.body.subarray(100_000)).toString(), 'Bearer t');
    }
    assert.equal((await g.get(`${url}/missing`, {})).status, 404);
    assert.equal(connections(), 1);
  } finally {
    g.close();
    server.close();
  }
});

test('a body over the limit is refused, not buffered', async () => {
  const { server, url } = await serve((_req, res) => {
    const chunk = Buffer.alloc(1 << 20);
    let sent = 0;
    const more = () => {
      while (sent <= MAX_BODY) {
        sent += chunk.length;
        if (!res.write(chunk)) return void res.once('drain', more);
      }
      res.end();
    };
    res.on('error', () => {});
    more();
  });
  const g = new HttpGetter();
  try {
    await assert.rejects(g.get(url, {}), (e: unknown) => e instanceof TransportError && e.code === 'TOO_LARGE');
  } finally {
    g.close();
    server.closeAllConnections();
    server.close();
  }
});

test('a connection that breaks mid-answer, or no server at all, is a TransportError with its code', async () => {
  const { server, url } = await serve((req, res) => {
    res.setHeader('content-length', '1000');
    res.write('partial');
    setTimeout(() => req.socket.destroy(), 20);
  });
  const g = new HttpGetter();
  try {
    await assert.rejects(g.get(url, {}), (e: unknown) => e instanceof TransportError);
  } finally {
    server.close();
  }
  await assert.rejects(g.get(url, {}), (e: unknown) => e instanceof TransportError && e.code === 'ECONNREFUSED');
  g.close();
});
