// The build's precompression (web/build/precompress.ts): each text file gets a .br and a
// .gz that decode to it; small files and already-compressed kinds are left alone.
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { precompressDir } from '../web/build/precompress.ts';

test('precompression writes .br and .gz beside each text file, and nothing else', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'detente-precompress-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  mkdirSync(join(dir, 'assets'));
  const js = `export const land = ${JSON.stringify(Array.from({ length: 500 }, (_, i) => [35 + i / 1000, 33 - i / 700]))};\n`;
  writeFileSync(join(dir, 'assets', 'land-abc.js'), js);
  writeFileSync(join(dir, 'index.html'), '<!doctype html>');
  writeFileSync(join(dir, 'assets', 'big.png'), Buffer.alloc(4096, 7));
  const n = await precompressDir(dir);
  assert.equal(n, 1);
  const br = readFileSync(join(dir, 'assets', 'land-abc.js.br'));
  const gz = readFileSync(join(dir, 'assets', 'land-abc.js.gz'));
  assert.equal(brotliDecompressSync(br).toString(), js);
  assert.equal(gunzipSync(gz).toString(), js);
  assert.ok(br.length < gz.length && gz.length < js.length);
  assert.equal(existsSync(join(dir, 'index.html.br')), false, 'too small to gain');
  assert.equal(existsSync(join(dir, 'assets', 'big.png.br')), false, 'not a text kind');
});
