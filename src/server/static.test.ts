import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { brotliCompressSync, brotliDecompressSync, gunzipSync, gzipSync } from 'node:zlib';
import Fastify from 'fastify';
import { staticRoutes } from './static.ts';

const SCRIPT = `console.log(${JSON.stringify('détente '.repeat(400))});\n`;
const PAGE = '<!doctype html><title>app</title>';

/** A built UI as web/build/precompress.ts leaves it, with a secret beside (not inside) it. */
function built() {
  const top = mkdtempSync(join(tmpdir(), 'detente-static-'));
  const root = join(top, 'dist') + '/';
  mkdirSync(join(root, 'assets'), { recursive: true });
  writeFileSync(join(root, 'index.html'), PAGE);
  writeFileSync(join(root, 'index.html.gz'), gzipSync(PAGE));
  writeFileSync(join(root, 'assets', 'a-123.js'), SCRIPT);
  writeFileSync(join(root, 'assets', 'a-123.js.br'), brotliCompressSync(SCRIPT));
  writeFileSync(join(root, 'assets', 'a-123.js.gz'), gzipSync(SCRIPT));
  writeFileSync(join(top, 'secret.js'), 'secret');
  writeFileSync(join(top, 'secret.js.br'), brotliCompressSync('secret'));
  writeFileSync(join(top, 'secret.js.gz'), gzipSync('secret'));
  const app = Fastify();
  staticRoutes(app, root);
  return { app, cleanup: () => rmSync(top, { recursive: true, force: true }) };
}

test('a built asset goes out in the best coding the client takes, cached for good', async (t) => {
  const { app, cleanup } = built();
  t.after(cleanup);
  const get = (url: string, headers: Record<string, string> = {}) => app.inject({ method: 'GET', url, headers });

  const br = await get('/assets/a-123.js', { 'accept-encoding': 'gzip, deflate, br' });
  assert.equal(br.statusCode, 200);
  assert.equal(br.headers['content-encoding'], 'br');
  assert.equal(br.headers.vary, 'Accept-Encoding');
  assert.equal(br.headers['content-type'], 'text/javascript; charset=utf-8');
  assert.equal(br.headers['cache-control'], 'public, max-age=31536000, immutable');
  assert.equal(brotliDecompressSync(br.rawPayload).toString(), SCRIPT);
  assert.ok(br.rawPayload.length < Buffer.byteLength(SCRIPT) / 4, 'the compressed form is what is sent');

  const gz = await get('/assets/a-123.js', { 'accept-encoding': 'gzip' });
  assert.equal(gz.headers['content-encoding'], 'gzip');
  assert.equal(gz.headers.vary, 'Accept-Encoding');
  assert.equal(gunzipSync(gz.rawPayload).toString(), SCRIPT);
  assert.notEqual(gz.headers.etag, br.headers.etag, 'each coding has its own tag');

  for (const accept of [undefined, 'identity', 'deflate', 'br;q=0, gzip;q=0']) {
    const plain = await get('/assets/a-123.js', accept === undefined ? {} : { 'accept-encoding': accept });
    assert.equal(plain.statusCode, 200, String(accept));
    assert.equal(plain.headers['content-encoding'], undefined, String(accept));
    assert.equal(plain.headers.vary, 'Accept-Encoding', String(accept));
    assert.equal(plain.body, SCRIPT, String(accept));
  }
});

test('index.html is revalidated: no-cache with a tag, 304 when the tag still holds', async (t) => {
  const { app, cleanup } = built();
  t.after(cleanup);
  for (const url of ['/', '/talks/view']) {
    const r = await app.inject({ method: 'GET', url, headers: { 'accept-encoding': 'br, gzip' } });
    assert.equal(r.statusCode, 200);
    assert.equal(r.headers['cache-control'], 'no-cache');
    // Only a .gz was built for it: brotli is asked for, gzip is what there is.
    assert.equal(r.headers['content-encoding'], 'gzip');
    assert.equal(gunzipSync(r.rawPayload).toString(), PAGE);
    const etag = String(r.headers.etag);
    assert.match(etag, /^W\/".+"$/);
    const again = await app.inject({ method: 'GET', url, headers: { 'accept-encoding': 'br, gzip', 'if-none-match': etag } });
    assert.equal(again.statusCode, 304);
    assert.equal(again.rawPayload.length, 0);
    assert.equal(again.headers.etag, etag);
    // The tag of the gzip body does not stand for the plain one.
    const plain = await app.inject({ method: 'GET', url, headers: { 'if-none-match': etag } });
    assert.equal(plain.statusCode, 200);
    assert.equal(plain.body, PAGE);
  }
});

test('nothing outside the build is served, in any coding', async (t) => {
  const { app, cleanup } = built();
  t.after(cleanup);
  for (const url of ['/../secret.js', '/%2e%2e/secret.js', '/assets/../../secret.js', '/..%2fsecret.js', '/assets/%2e%2e/%2e%2e/secret.js']) {
    for (const accept of ['br', 'gzip', 'identity']) {
      const r = await app.inject({ method: 'GET', url, headers: { 'accept-encoding': accept } });
      const body =
        r.headers['content-encoding'] === 'br'
          ? brotliDecompressSync(r.rawPayload)
          : r.headers['content-encoding'] === 'gzip'
            ? gunzipSync(r.rawPayload)
            : r.rawPayload;
      assert.ok(!body.toString().includes('secret'), `${url} (${accept}) must not escape the root`);
    }
  }
});
