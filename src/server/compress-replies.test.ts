import assert from 'node:assert/strict';
import { test } from 'node:test';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import Fastify from 'fastify';
import { COMPRESS_MIN_BYTES, compressReplies } from './compress-replies.ts';

const big = { findings: Array.from({ length: 400 }, (_, i) => ({ id: `f-${i}`, kind: 'presence', zone: 'sy-strip', open: i % 2 === 0 })) };
const small = { ok: true };

async function app() {
  const a = Fastify();
  compressReplies(a);
  a.get('/big', async () => big);
  a.get('/small', async () => small);
  a.get('/text', async (_req, reply) => reply.type('text/plain').send('x'.repeat(COMPRESS_MIN_BYTES * 2)));
  a.post('/big', async () => big);
  await a.ready();
  return a;
}

test('a large JSON GET reply is compressed in the coding the client takes', async (t) => {
  const a = await app();
  t.after(() => a.close());
  assert.ok(JSON.stringify(big).length > COMPRESS_MIN_BYTES, 'the fixture is above the threshold');
  const br = await a.inject({ method: 'GET', url: '/big', headers: { 'accept-encoding': 'gzip, deflate, br' } });
  assert.equal(br.headers['content-encoding'], 'br');
  assert.equal(br.headers.vary, 'Accept-Encoding');
  assert.deepEqual(JSON.parse(brotliDecompressSync(br.rawPayload).toString()), big);
  assert.ok(br.rawPayload.length < JSON.stringify(big).length / 5);
  const gz = await a.inject({ method: 'GET', url: '/big', headers: { 'accept-encoding': 'gzip' } });
  assert.equal(gz.headers['content-encoding'], 'gzip');
  assert.deepEqual(JSON.parse(gunzipSync(gz.rawPayload).toString()), big);
});

test('identity clients, small replies, other types and POST replies go out as they are', async (t) => {
  const a = await app();
  t.after(() => a.close());
  const plain = await a.inject({ method: 'GET', url: '/big' });
  assert.equal(plain.headers['content-encoding'], undefined);
  assert.equal(plain.headers.vary, 'Accept-Encoding');
  assert.deepEqual(plain.json(), big);
  const refused = await a.inject({ method: 'GET', url: '/big', headers: { 'accept-encoding': 'identity' } });
  assert.equal(refused.headers['content-encoding'], undefined);
  assert.deepEqual(refused.json(), big);
  const s = await a.inject({ method: 'GET', url: '/small', headers: { 'accept-encoding': 'br' } });
  assert.equal(s.headers['content-encoding'], undefined);
  assert.deepEqual(s.json(), small);
  const text = await a.inject({ method: 'GET', url: '/text', headers: { 'accept-encoding': 'br' } });
  assert.equal(text.headers['content-encoding'], undefined);
  const post = await a.inject({ method: 'POST', url: '/big', headers: { 'accept-encoding': 'br' } });
  assert.equal(post.headers['content-encoding'], undefined, 'the intake path is never compressed');
  assert.deepEqual(post.json(), big);
});
