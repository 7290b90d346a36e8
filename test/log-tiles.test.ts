// The record as C2SP tlog-tiles, read over HTTP by a client written here from the spec
// (https://c2sp.org/tlog-tiles, RFC 6962, C2SP signed-note) and nothing of the code
// under test: it fetches the checkpoint, every tile and every entry bundle of the tree,
// recomputes each leaf hash from the bundles, rebuilds the root from the level-0 tiles
// and from the higher ones, and computes inclusion proofs from tiles alone.
import assert from 'node:assert/strict';
import { createHash, createPublicKey, verify } from 'node:crypto';
import { request } from 'node:http';
import { test } from 'node:test';
import Fastify, { type FastifyInstance } from 'fastify';
import { serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import { openLog, type Log } from '../src/record/log.ts';
import { buildEntry, MAX_ENTRY_BYTES } from '../src/record/statement.ts';
import { RecordError } from '../src/record/errors.ts';
import { buildApp } from '../src/server/app.ts';
import { decorate } from '../src/server/decorations.ts';
import type { Deployment } from '../src/server/deployment.ts';
import { sendError } from '../src/server/error-reply.ts';
import { logTilesRoutes } from '../src/server/routes/log-tiles.ts';
import { MemoryStore } from '../src/store/memory.ts';
import { newSigner, ORIGIN } from './helpers/record-fixtures.ts';
import { ACTORS, ID, session, startTestServer } from './helpers/server.ts';

// ---- an independent tlog-tiles client ----

const sha256 = (...parts: Uint8Array[]) => {
  const h = createHash('sha256');
  for (const p of parts) h.update(p);
  return new Uint8Array(h.digest());
};
const leafOf = (entry: Uint8Array) => sha256(new Uint8Array([0]), entry);
const nodeOf = (l: Uint8Array, r: Uint8Array) => sha256(new Uint8Array([1]), l, r);
const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');

/** tile/<L>/<N>[.p/<W>] with N in 3-digit groups, all but the last prefixed with x. */
function tilePath(level: number | 'entries', n: number, w: number): string {
  const groups: string[] = [];
  do {
    groups.unshift(String(n % 1000).padStart(3, '0'));
    n = Math.floor(n / 1000);
  } while (n > 0);
  const nPath = groups.map((g, i) => (i < groups.length - 1 ? `x${g}` : g)).join('/');
  return `tile/${level}/${nPath}${w === 256 ? '' : `.p/${w}`}`;
}

/** The largest power of two smaller than n (RFC 6962's k). */
const split = (n: number) => 2 ** Math.floor(Math.log2(n - 1));

/** RFC 6962 MTH over leaf hashes. */
function mth(leaves: Uint8Array[], lo = 0, hi = leaves.length): Uint8Array {
  if (hi - lo === 0) return sha256();
  if (hi - lo === 1) return leaves[lo];
  const k = split(hi - lo);
  return nodeOf(mth(leaves, lo, lo + k), mth(leaves, lo + k, hi));
}

interface Checkpoint {
  origin: string;
  size: number;
  root: Uint8Array;
}

/** Opens a checkpoint note, checking the log's Ed25519 signature (signed-note: key hash, then signature). */
function openNote(note: string, vkey: string): Checkpoint {
  // The key's base64 may hold '+' too: only the first two separate.
  const [name, key64] = [vkey.slice(0, vkey.indexOf('+')), vkey.trim().slice(vkey.indexOf('+', vkey.indexOf('+') + 1) + 1)];
  const keyBytes = Buffer.from(key64, 'base64');
  assert.equal(keyBytes[0], 1, 'an Ed25519 key');
  const keyHash = sha256(Buffer.from(`${name}\n`), keyBytes).subarray(0, 4);
  const cut = note.indexOf('\n\n');
  const text = note.slice(0, cut + 1);
  const pub = createPublicKey({ key: Buffer.concat([Buffer.from('302a300506032b6570032100', 'hex'), keyBytes.subarray(1)]), format: 'der', type: 'spki' });
  const signed = note
    .slice(cut + 2)
    .split('\n')
    .filter(Boolean)
    .some((line) => {
      const m = /^\u2014 (\S+) (\S+)$/.exec(line);
      if (!m || m[1] !== name) return false;
      const sig = Buffer.from(m[2], 'base64');
      return Buffer.compare(sig.subarray(0, 4), keyHash) === 0 && verify(null, Buffer.from(text), pub, sig.subarray(4));
    });
  assert.ok(signed, 'the checkpoint carries a valid signature of the log');
  const [origin, size, root] = text.split('\n');
  return { origin, size: Number(size), root: new Uint8Array(Buffer.from(root, 'base64')) };
}

interface Fetched {
  status: number;
  headers: Headers;
  body: Uint8Array;
}

class TilesClient {
  /** hashes by level, then by node index at that level (level L: nodes of 256^L leaves) */
  readonly hashes = new Map<number, Uint8Array[]>();
  leaves: Uint8Array[] = [];
  entries: Uint8Array[] = [];
  requests = 0;

  constructor(
    private readonly prefix: string,
    private readonly headers: Record<string, string>,
  ) {}

  async get(path: string, method = 'GET'): Promise<Fetched> {
    this.requests++;
    const res = await fetch(this.prefix + path, { method, headers: this.headers });
    return { status: res.status, headers: res.headers, body: new Uint8Array(await res.arrayBuffer()) };
  }

  async ok(path: string): Promise<Fetched> {
    const r = await this.get(path);
    assert.equal(r.status, 200, `${path}: ${Buffer.from(r.body).toString()}`);
    return r;
  }

  async checkpoint(vkey: string): Promise<Checkpoint> {
    const r = await this.ok('checkpoint');
    assert.equal(r.headers.get('content-type'), 'text/plain; charset=utf-8');
    assert.match(r.headers.get('cache-control') ?? '', /no-cache|max-age=\d\b/);
    return openNote(Buffer.from(r.body).toString('utf8'), vkey);
  }

  /** Fetches every tile and bundle of the tree of `size` leaves, checking each as it comes. */
  async readTree(size: number): Promise<void> {
    this.hashes.clear();
    for (let level = 0; 256 ** level <= size; level++) {
      const nodes = Math.floor(size / 256 ** level);
      const all: Uint8Array[] = [];
      for (let n = 0; n * 256 < nodes; n++) {
        const w = Math.min(256, nodes - n * 256);
        const r = await this.ok(tilePath(level, n, w));
        assert.equal(r.headers.get('content-type'), 'application/octet-stream');
        assert.match(r.headers.get('cache-control') ?? '', w === 256 ? /max-age=31536000, immutable/ : /max-age=\d\b/);
        assert.equal(r.body.length, 32 * w, tilePath(level, n, w));
        for (let i = 0; i < w; i++) all.push(r.body.subarray(32 * i, 32 * i + 32));
      }
      this.hashes.set(level, all);
    }
    this.entries = [];
    for (let n = 0; n * 256 < size; n++) {
      const w = Math.min(256, size - n * 256);
      const r = await this.ok(tilePath('entries', n, w));
      let at = 0;
      for (let i = 0; i < w; i++) {
        const len = (r.body[at] << 8) | r.body[at + 1];
        this.entries.push(r.body.subarray(at + 2, at + 2 + len));
        at += 2 + len;
      }
      assert.equal(at, r.body.length, 'the bundle holds exactly its entries');
    }
    this.leaves = this.entries.map(leafOf);
  }

  /** The hash of the full subtree [lo, lo + n), n a power of two, from the highest tile level that has it. */
  subtree(lo: number, n: number, maxLevel: number): Uint8Array {
    for (let level = maxLevel; level >= 0; level--) {
      const span = 256 ** level;
      if (n === span) return this.hashes.get(level)![lo / span];
      if (n > span) return nodeOf(this.subtree(lo, n / 2, maxLevel), this.subtree(lo + n / 2, n / 2, maxLevel));
    }
    throw new Error('unreachable');
  }

  /** MTH(D[lo:hi]) from tiles, preferring tiles of level <= maxLevel as high as they go. */
  range(lo: number, hi: number, maxLevel = 63): Uint8Array {
    const n = hi - lo;
    if (n === 0) return sha256();
    if ((n & (n - 1)) === 0 && lo % n === 0) return this.subtree(lo, n, maxLevel);
    const k = split(n);
    return nodeOf(this.range(lo, lo + k, maxLevel), this.range(lo + k, hi, maxLevel));
  }

  /** RFC 9162 PATH(m, D[lo:hi]) from tiles. */
  inclusion(m: number, lo: number, hi: number): Uint8Array[] {
    const n = hi - lo;
    if (n <= 1) return [];
    const k = split(n);
    if (m < k) return [...this.inclusion(m, lo, lo + k), this.range(lo + k, hi)];
    return [...this.inclusion(m - k, lo + k, hi), this.range(lo, lo + k)];
  }
}

/** Everything a client can check of the tree of `cp.size` leaves. */
async function checkTree(client: TilesClient, cp: Checkpoint, log: Log, random: () => number) {
  const size = cp.size;
  await client.readTree(size);
  assert.equal(client.entries.length, size);
  // Each bundle's entries hash to the level-0 tile's leaf hashes.
  assert.deepEqual(client.leaves.map(hex), client.hashes.get(0)!.map(hex), 'entry bundles hash to the level-0 tiles');
  const root = hex(cp.root);
  assert.equal(hex(mth(client.leaves)), root, 'the root from the bundles');
  assert.equal(hex(client.range(0, size, 0)), root, 'the root from the level-0 tiles');
  assert.equal(hex(client.range(0, size)), root, 'the root from the highest tiles');
  // Each hash at level L >= 1 is the MTH of 256 hashes of level L - 1.
  for (let level = 1; client.hashes.has(level); level++) {
    const below = client.hashes.get(level - 1)!;
    client.hashes.get(level)!.forEach((h, i) => assert.equal(hex(h), hex(mth(below.slice(256 * i, 256 * i + 256))), `level ${level} node ${i}`));
  }
  for (const index of new Set([0, size - 1, Math.floor(random() * size)])) {
    const proof = client.inclusion(index, 0, size);
    assert.deepEqual(proof.map(hex), (await log.inclusionProof(index, size)).map(hex), `inclusion of ${index} in ${size}`);
  }
}

// ---- a log behind the route alone, grown to sizes around the tiles' edges ----

const signer = newSigner('mirror-test');

/** Well-formed entries, cheaply: one signed template with its time and sequence changed (the log here does not verify signatures). */
function entries(from: number, count: number, pad = (i: number) => i % 7): Uint8Array[] {
  const base = Buffer.from(
    buildEntry(
      signer,
      { type: 'monitor.report', arrangement: 'southern-syria', body: { seq: 0, text: '' }, time: '2025-06-01T00:00:00.000Z' },
      '2025-06-01T00:00:01.000Z',
    ),
  ).toString('utf8');
  return Array.from({ length: count }, (_, k) => {
    const i = from + k;
    const time = new Date(Date.UTC(2025, 5, 1) + i).toISOString();
    return new Uint8Array(
      Buffer.from(
        base
          .replace('"seq":0', `"seq":${i}`)
          .replace('"text":""', `"text":"${'x'.repeat(pad(i))}"`)
          .replace('"time":"2025-06-01T00:00:00.000Z"', `"time":"${time}"`),
      ),
    );
  });
}

async function grow(log: Log, to: number, make = entries): Promise<void> {
  const batch = make(log.size, to - log.size);
  await Promise.all(batch.map((e) => log.append(e)));
  while (!log.checkpoint().split('\n')[1] || Number(log.checkpoint().split('\n')[1]) < to) await new Promise((r) => setTimeout(r, 2));
}

/** Counts the log's calls for stored tiles. */
class CountingStore extends MemoryStore {
  tileCalls = 0;
  override readTiles(ids: readonly number[]) {
    this.tileCalls++;
    return super.readTiles(ids);
  }
}

async function routeOnly(log: Log, id: string): Promise<{ app: FastifyInstance; prefix: string }> {
  const app = Fastify();
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  decorate(app, { id, log } as unknown as Deployment);
  app.setErrorHandler(sendError);
  await app.register(logTilesRoutes, { public: true });
  const address = await app.listen({ port: 0, host: '127.0.0.1' });
  return { app, prefix: `${address}/log/${id}/` };
}

function seeded(seed: number): () => number {
  let s = seed;
  return () => {
    s = (s * 1103515245 + 12345) % 2 ** 31;
    return s / 2 ** 31;
  };
}

test('a standard client reads trees of 1, 255, 256, 257 and 65,539 entries from the tiles and finds the signed root', async () => {
  const logSigner = newSigner(ORIGIN);
  // A tile cache of two: most tiles are read back from the store, as after a restart.
  const store = new CountingStore();
  const log = await openLog({ store, origin: ORIGIN, logSigner, verifySignatures: false, checkpointIntervalMs: 0, tileCacheSize: 2 });
  const { app, prefix } = await routeOnly(log, 'southern-syria');
  const random = seeded(20261202);
  try {
    const client = new TilesClient(prefix, {});
    for (const size of [1, 255, 256, 257, 511, 512, 513, 65_539]) {
      await grow(log, size);
      const cp = await client.checkpoint(log.verifierKey);
      assert.equal(cp.origin, ORIGIN);
      assert.equal(cp.size, size);
      const before = { calls: store.tileCalls, requests: client.requests };
      await checkTree(client, cp, log, random);
      // At most one store call per hash tile (bundles and the proofs' reads aside).
      const tiles = [...client.hashes.values()].reduce((n, level) => n + Math.ceil(level.length / 256), 0);
      assert.ok(store.tileCalls - before.calls <= tiles + 3 * 64, `${store.tileCalls - before.calls} store calls for ${tiles} tiles`);
      if (size > 4096) assert.ok(store.tileCalls - before.calls >= 200, 'the tiles were read from the store');
    }
    // A tile for an older checkpoint's size stays readable: the partial level-1 tile of width 1 of the tree of 256.
    assert.equal((await client.get(tilePath(1, 0, 1))).status, 200);
    // Beyond the tree: a width the tree does not have, the next tile, a level above the top.
    for (const p of [
      tilePath(0, 256, 4),
      tilePath(0, 257, 1),
      tilePath(1, 1, 1),
      tilePath(2, 0, 2),
      tilePath(3, 0, 1),
      tilePath('entries', 256, 4),
      tilePath(0, 1_000_000, 256),
    ]) {
      const r = await client.get(p);
      assert.equal(r.status, 404, p);
      assert.equal(typeof JSON.parse(Buffer.from(r.body).toString()).error, 'string');
    }
    // HEAD answers like GET without the body.
    const head = await client.get(tilePath(0, 0, 256), 'HEAD');
    assert.equal(head.status, 200);
    assert.equal(head.body.length, 0);
    assert.equal(head.headers.get('content-type'), 'application/octet-stream');
  } finally {
    await app.close();
    await log.close();
  }
});

test('an entry of 65,535 bytes goes into the log and its bundle (length ffff); one of 65,536 is refused saying so', async () => {
  const logSigner = newSigner(ORIGIN);
  const log = await openLog({ store: new MemoryStore(), origin: ORIGIN, logSigner, verifySignatures: true, checkpointIntervalMs: 0 });
  const { app, prefix } = await routeOnly(log, 'southern-syria');
  try {
    const input = (n: number) => ({ type: 'monitor.report', arrangement: 'southern-syria', body: { text: 'x'.repeat(n) }, time: '2025-06-01T00:00:00Z' });
    const overhead = buildEntry(signer, input(0), '2025-06-01T00:00:01.000Z').length;
    const largest = buildEntry(signer, input(MAX_ENTRY_BYTES - overhead), '2025-06-01T00:00:01.000Z');
    assert.equal(largest.length, 65_535);
    await log.append(buildEntry(signer, { ...input(1), time: '2025-06-01T00:00:00.5Z' }));
    assert.equal((await log.append(largest)).index, 1);
    const over = new Uint8Array(Buffer.from(Buffer.from(largest).toString().replace('"text":"', '"text":"x')));
    assert.equal(over.length, 65_536);
    await assert.rejects(
      log.append(over),
      (e: unknown) => e instanceof RecordError && e.code === 'too-large' && /65536 bytes; the limit is 65535/.test(e.message),
    );
    await grow(log, 2, () => []);
    const client = new TilesClient(prefix, {});
    const cp = await client.checkpoint(log.verifierKey);
    await checkTree(client, cp, log, Math.random);
    const bundle = (await client.ok(tilePath('entries', 0, 2))).body;
    const second = 2 + ((bundle[0] << 8) | bundle[1]);
    assert.deepEqual([bundle[second], bundle[second + 1]], [0xff, 0xff]);
    assert.deepEqual(client.entries[1], largest);
  } finally {
    await app.close();
    await log.close();
  }
});

// ---- the real server ----

/** A GET with the path exactly as given (fetch and inject resolve dot segments first). */
function rawGet(at: URL, path: string, token: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: at.hostname, port: at.port, path, headers: { authorization: `Bearer ${token}` } }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

test('on the server, /log asks for a token like the API; with one, every actor reads a tree that matches the record', async () => {
  const s = await startTestServer();
  try {
    await session(s);
    const prefix = `${await s.app.listen({ port: 0, host: '127.0.0.1' })}/log/${ID}/`;
    const paths = [
      'checkpoint',
      tilePath(0, 0, Math.min(256, s.deployment.log.size)),
      tilePath('entries', 0, Math.min(256, s.deployment.log.size)),
      tilePath(0, 9, 1),
      'nope',
    ];
    for (const p of paths) {
      for (const auth of [undefined, 'Bearer wrong-token-0000000000000', `Basic ${s.tokens.ru}`]) {
        const r = await new TilesClient(prefix, auth ? { authorization: auth } : {}).get(p);
        assert.equal(r.status, 401, `${p} with ${auth}`);
        assert.equal(r.headers.get('www-authenticate'), 'Bearer');
      }
    }
    // The router must not be talked past the token check by an encoded path.
    for (const p of [
      '/%6Cog/southern-syria/checkpoint',
      '/log/southern-syria/%63heckpoint',
      '//log/southern-syria/checkpoint',
      '/%61pi/arrangements/southern-syria/record/checkpoint',
    ]) {
      const r = await s.app.inject({ method: 'GET', url: p });
      assert.ok(r.statusCode === 401 || r.statusCode === 404, `${p}: ${r.statusCode} ${r.body.slice(0, 80)}`);
      assert.ok(!r.body.includes(s.deployment.origin), `${p} must not show the checkpoint without a token`);
    }
    const vkey = s.deployment.log.verifierKey;
    for (const actor of ACTORS) {
      const client = new TilesClient(prefix, { authorization: `Bearer ${s.tokens[actor]}` });
      const cp = await client.checkpoint(vkey);
      assert.equal(cp.origin, s.deployment.origin);
      await checkTree(client, cp, s.deployment.log, Math.random);
      const r = await client.ok(tilePath(0, 0, Math.min(256, cp.size)));
      // A token's answer is for its holder: no shared cache may keep it.
      assert.match(r.headers.get('cache-control') ?? '', /^private/);
      // The same bytes as the API's entries.
      const api = await s.as(actor, 'GET', `/api/arrangements/${ID}/record/entries?from=0&to=${cp.size}`);
      assert.deepEqual(
        client.entries.map((e) => Buffer.from(e).toString('utf8')),
        JSON.parse(api.body).entries,
      );
    }
  } finally {
    await s.destroy();
  }
});

test('with logPublic (detente serve --log-public) /log needs no token and shared caches may keep full tiles; the API still does', async () => {
  const s = await startTestServer();
  const open = await buildApp(s.deployment, { web: false, logPublic: true });
  try {
    const size = s.deployment.log.size;
    const cp = await open.inject({ method: 'GET', url: `/log/${ID}/checkpoint` });
    assert.equal(cp.statusCode, 200);
    assert.equal(cp.body, s.deployment.log.checkpoint());
    const tile = await open.inject({ method: 'GET', url: `/log/${ID}/${tilePath('entries', 0, Math.min(size, 256))}` });
    assert.equal(tile.statusCode, 200);
    assert.match(String(tile.headers['cache-control']), size >= 256 ? /^public, max-age=31536000, immutable$/ : /^public, max-age=\d+$/);
    assert.equal((await open.inject({ method: 'GET', url: `/api/arrangements/${ID}/record/checkpoint` })).statusCode, 401);
    // The server as started by default asks for the token.
    assert.equal((await s.as(null, 'GET', `/log/${ID}/checkpoint`)).statusCode, 401);
  } finally {
    await open.close();
    await s.destroy();
  }
});

test('malformed tile paths are a 400 or 404 naming why, never a 5xx', async () => {
  const s = await startTestServer();
  try {
    const bad = [
      'tile/0/x000/000', // not canonical: a leading x000 group
      'tile/0/0', // not 3 digits
      'tile/0/0000',
      'tile/0/000.p/0', // W = 0
      'tile/0/000.p/256', // W = 256 is written without .p
      'tile/0/000.p/01',
      'tile/entries/000.p/0',
      'tile/64/000', // L too big
      'tile/99999999999999999999/000',
      'tile/00/000',
      'tile/0/../000',
      'tile/0/%2e%2e/000',
      'tile/0/%2e%2e/000',
      'tile/0/000/',
      'tile/0/x1000/000',
      'tile/',
      'tile',
      'tile/entries',
      'tile/entries/',
      'tile/0/000.p/-1',
      'tile/0/%00',
      'checkpoint/x',
      'tiles/0/000',
      '',
    ];
    for (const p of bad) {
      const r = await s.as('ru', 'GET', `/log/${ID}/${p}`);
      assert.ok(r.statusCode === 400 || r.statusCode === 404, `${p}: ${r.statusCode} ${r.body}`);
      assert.match(String(r.headers['content-type'] ?? ''), /json/, `${p}: ${r.body}`);
      assert.equal(typeof JSON.parse(r.body).error, 'string', p);
    }
    // A real client may send ".." unresolved (inject resolves it first).
    const address = await s.app.listen({ port: 0, host: '127.0.0.1' });
    for (const p of ['tile/0/../000', 'tile/0/x001/../000', 'tile/entries/../0/000', 'tile/0/000.p/../1']) {
      const { status, body } = await rawGet(new URL(address), `/log/${ID}/${p}`, s.tokens.ru);
      assert.ok(status === 400 || status === 404, `${p}: ${status} ${body}`);
      assert.equal(typeof JSON.parse(body).error, 'string', p);
    }
    assert.equal((await s.as('ru', 'GET', '/log/sinai-1979/checkpoint')).statusCode, 404);
    assert.equal((await s.as('ru', 'GET', '/log')).statusCode, 404);
    assert.match(JSON.parse((await s.as('ru', 'GET', `/log/${ID}/tile/0/x000/000`)).body).error, /x000/);
  } finally {
    await s.destroy();
  }
});

test('the /log routes are in the OpenAPI document the access tests enumerate', async () => {
  const s = await startTestServer();
  try {
    const doc = JSON.parse((await s.as('ru', 'GET', '/api/openapi.json')).body) as { paths: Record<string, unknown> };
    const log = Object.keys(doc.paths).filter((p) => p.startsWith('/log/'));
    assert.deepEqual(log.sort(), ['/log/{id}/checkpoint', '/log/{id}/tile/entries/{*}', '/log/{id}/tile/{*}']);
  } finally {
    await s.destroy();
  }
});
