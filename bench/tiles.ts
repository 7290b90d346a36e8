// The log as tlog-tiles: what a mirror pays to copy a 1,000,000-entry record over HTTP
// from /log/ (every entry bundle, and every Merkle tile to check them against), beside
// the same entries read as the API's /record/entries pages (1,000 per page), in the
// same run, on the same server and store. BENCH_TILES_SIZE shrinks the log for a quick try.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Fastify from 'fastify';
import { serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import type { Actor } from '../src/policy/policy.ts';
import { generateKey, parseSignerKey } from '../src/record/keys.ts';
import { standardTilePath } from '../src/record/standard-tiles.ts';
import { decorate } from '../src/server/decorations.ts';
import type { Deployment } from '../src/server/deployment.ts';
import { sendError } from '../src/server/error-reply.ts';
import { logTilesRoutes } from '../src/server/routes/log-tiles.ts';
import { recordRoutes } from '../src/server/routes/record.ts';
import { openSqliteLog } from '../src/store/open-log.ts';
import type { BenchRow, Suite } from './harness.ts';
import { buildBigLog } from './record.ts';

const ORIGIN = 'detente/bench/southern-syria';
const ID = 'southern-syria';
const SIZE = Number(process.env.BENCH_TILES_SIZE ?? 1_000_000);
/** requests in flight at once, as a mirror would keep them */
const CONCURRENCY = 8;

async function fetchAll(urls: string[], read: (body: ArrayBuffer) => number): Promise<{ ms: number; bytes: number; count: number }> {
  let next = 0;
  let bytes = 0;
  let count = 0;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < urls.length) {
        const url = urls[next++];
        const res = await fetch(url);
        if (res.status !== 200) throw new Error(`${url}: ${res.status}`);
        const body = await res.arrayBuffer();
        bytes += body.byteLength;
        count += read(body);
      }
    }),
  );
  return { ms: performance.now() - t0, bytes, count };
}

/** Entries in a bundle, walking its uint16 length prefixes. */
function bundleCount(body: ArrayBuffer): number {
  const b = new Uint8Array(body);
  let n = 0;
  for (let at = 0; at < b.length; at += 2 + ((b[at] << 8) | b[at + 1])) n++;
  return n;
}

export const suite: Suite = async () => {
  const root = mkdtempSync(join(tmpdir(), 'detente-bench-tiles-'));
  const logSigner = parseSignerKey(generateKey(ORIGIN).skey);
  const author = parseSignerKey(generateKey('il').skey);
  try {
    const dir = join(root, 'log');
    await buildBigLog(dir, logSigner, author, SIZE);
    const log = await openSqliteLog({ dir, origin: ORIGIN, logSigner, checkOnOpen: false });
    const app = Fastify({ bodyLimit: 1 << 20 });
    app.setValidatorCompiler(validatorCompiler);
    app.setSerializerCompiler(serializerCompiler);
    decorate(app, { id: ID, log } as unknown as Deployment);
    app.setErrorHandler(sendError);
    // Both routes as the mediator reads them; the token check itself is not what is measured.
    const reader: Actor = { id: 'ru', role: 'mediator' };
    app.addHook('onRequest', async (req) => {
      req.actor = reader;
      req.deployment = app.deployment;
    });
    await app.register(logTilesRoutes, { public: true });
    await app.register(recordRoutes);
    const base = await app.listen({ port: 0, host: '127.0.0.1' });
    try {
      const prefix = `${base}/log/${ID}/`;
      const urls: string[] = [];
      for (let n = 0; n * 256 < SIZE; n++) urls.push(prefix + standardTilePath({ kind: 'entries', index: n, width: Math.min(256, SIZE - n * 256) }));
      for (let level = 0; 256 ** level <= SIZE; level++) {
        const nodes = Math.floor(SIZE / 256 ** level);
        for (let n = 0; n * 256 < nodes; n++) urls.push(prefix + standardTilePath({ kind: 'hashes', level, index: n, width: Math.min(256, nodes - n * 256) }));
      }
      const bundleUrls = urls.filter((u) => u.includes('/tile/entries/'));
      const tileUrls = urls.filter((u) => !u.includes('/tile/entries/'));
      const pages: string[] = [];
      for (let from = 0; from < SIZE; from += 1000) pages.push(`${base}/api/arrangements/${ID}/record/entries?from=${from}&to=${Math.min(SIZE, from + 1000)}`);
      // A first pass over a few of each, so that neither side pays for warming up alone.
      await fetchAll([...bundleUrls.slice(0, 16), ...tileUrls.slice(0, 16), ...pages.slice(0, 16)], () => 0);

      const api = await fetchAll(pages, (b) => (JSON.parse(Buffer.from(b).toString('utf8')) as { entries: string[] }).entries.length);
      if (api.count !== SIZE) throw new Error(`the pages held ${api.count} entries, not ${SIZE}`);
      const bundles = await fetchAll(bundleUrls, bundleCount);
      if (bundles.count !== SIZE) throw new Error(`the bundles held ${bundles.count} entries, not ${SIZE}`);
      const tiles = await fetchAll(tileUrls, () => 1);

      const perSecond = (ms: number) => (SIZE * 1000) / ms;
      const size = SIZE.toLocaleString('en');
      const anchor = { name: '/record/entries pages of 1,000, same run', value: Math.round(perSecond(api.ms)) };
      const mirror = perSecond(bundles.ms + tiles.ms);
      const rows: BenchRow[] = [
        {
          suite: 'tiles',
          case: `a mirror copies a ${size}-entry log from /log/: every entry bundle and every Merkle tile`,
          value: Math.round(mirror),
          unit: 'entries/s',
          anchor,
          ratio: Number((mirror / anchor.value).toFixed(2)),
          note: `${urls.length} requests, ${((bundles.bytes + tiles.bytes) / 2 ** 20).toFixed(0)} MiB, ${CONCURRENCY} in flight; the pages: ${pages.length} requests, ${(api.bytes / 2 ** 20).toFixed(0)} MiB, entries only (no hashes)`,
        },
        {
          suite: 'tiles',
          case: `the entry bundles alone (${bundleUrls.length} requests)`,
          value: Math.round(perSecond(bundles.ms)),
          unit: 'entries/s',
          anchor,
          ratio: Number((perSecond(bundles.ms) / anchor.value).toFixed(2)),
        },
        {
          suite: 'tiles',
          case: `the Merkle tiles alone (${tileUrls.length} requests, each one store read of up to 16 stored tiles)`,
          value: Math.round((tileUrls.length * 1000) / tiles.ms),
          unit: 'tiles/s',
        },
      ];
      return rows;
    } finally {
      await app.close();
      await log.close();
    }
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
};
