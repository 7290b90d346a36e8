// A party's follower catching up on a large record (issue 11): BENCH_FOLLOW_SIZE
// (default 1,000,000) signed statements served as tlog-tiles by the record routes over
// a store, mirrored and verified by `detente follow`'s Follower (every signature on the
// verify pool, the key book, the root), beside the raw Ed25519 verify rate of every
// core in the same run (as bench/verify.ts measures it: node:crypto in a loop, nothing
// else), and beside `detente verify` (one core) on the export of the follower's mirror.
import { mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import Fastify from 'fastify';
import { serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import { exportBundle } from '../src/cli/export.ts';
import { Follower } from '../src/follow/follower.ts';
import type { Actor } from '../src/policy/policy.ts';
import { verifyBundle } from '../src/record/bundle.ts';
import { ed25519Engine } from '../src/record/ed25519.ts';
import { generateKey, parseSignerKey } from '../src/record/keys.ts';
import { statementId } from '../src/record/log.ts';
import { leafHash } from '../src/record/merkle.ts';
import { TileWriter } from '../src/record/tiles.ts';
import { EntryCheckPool } from '../src/follow/entry-check-pool.ts';
import { decorate } from '../src/server/decorations.ts';
import type { Deployment } from '../src/server/deployment.ts';
import { sendError } from '../src/server/error-reply.ts';
import { logTilesRoutes } from '../src/server/routes/log-tiles.ts';
import { recordRoutes } from '../src/server/routes/record.ts';
import { logDir } from '../src/store/layout.ts';
import { openSqliteLog } from '../src/store/open-log.ts';
import { SqliteStore } from '../src/store/sqlite.ts';
import type { BenchRow, Suite } from './harness.ts';
import { rawRate, rawRun } from './raw-verify.ts';
import { cpuMark, cpuPerItem } from './thread-cpu.ts';

const ID = 'southern-syria';
const ORIGIN = `detente/bench/${ID}`;
const SIZE = Number(process.env.BENCH_FOLLOW_SIZE ?? 1_000_000);
const CORES = availableParallelism();
const RAW_MS = 2000;
const AUTHORS = ['il', 'sy', 'ru', 'us'];

// Signs entries [from, to) in canonical form, written out by hand (keys sorted as RFC
// 8785 sorts them) so that building a million of them costs only the signatures.
const SIGN_WORKER = `
const { parentPort, workerData } = require('node:worker_threads');
const { createPrivateKey, sign } = require('node:crypto');
const { authors, from, to, arrangement } = workerData;
const keys = authors.map((a) => ({ ...a, key: createPrivateKey({ key: Buffer.concat([Buffer.from('302e020100300506032b657004220420', 'hex'), Buffer.from(a.seed, 'base64')]), format: 'der', type: 'pkcs8' }) }));
const base = Date.parse('2025-12-27T07:00:00Z');
const lines = [];
for (let i = from; i < to; i++) {
  const a = keys[i % keys.length];
  const time = new Date(base + i).toISOString();
  const st = '{"arrangement":"' + arrangement + '","author":"' + a.name + '","body":{"holdings":{"troops":' + (i % 40) + '},"id":"f-' + i + '","position":[35.8123,33.0541],"type":"observation","unit":"u-' + (i % 2000) + '"},"time":"' + time + '","type":"report","v":1}';
  const sig = sign(null, Buffer.from(st), a.key).toString('base64');
  lines.push('{"key":"' + a.vkey + '","received":"' + time + '","sig":"' + sig + '","statement":' + st + '}');
}
parentPort.postMessage(lines.join('\\n'));
`;

/** SIZE signed entries, made on every core, appended to a new log in `dir` with its tiles and a checkpoint. */
export async function buildSignedLog(dir: string, logSkey: string): Promise<void> {
  const authors = AUTHORS.map((name) => {
    const { skey, vkey } = generateKey(name);
    // PRIVATE+KEY+name+hash+base64(0x01 ‖ seed)
    return { name, vkey, seed: Buffer.from(skey.split('+').slice(4).join('+'), 'base64').subarray(1).toString('base64') };
  });
  const store = new SqliteStore(dir);
  const logSigner = parseSignerKey(logSkey);
  await store.init({ origin: ORIGIN, logKey: logSigner.verifier.vkey });
  const writer = new TileWriter(0, []);
  const CHUNK = 50_000;
  for (let first = 0; first < SIZE; first += CHUNK * CORES) {
    const parts = await Promise.all(
      Array.from({ length: CORES }, (_, c) => {
        const from = Math.min(SIZE, first + c * CHUNK);
        const to = Math.min(SIZE, from + CHUNK);
        if (from >= to) return Promise.resolve('');
        const w = new Worker(SIGN_WORKER, { eval: true, workerData: { authors, from, to, arrangement: ID } });
        return new Promise<string>((resolve, reject) => {
          w.once('message', (m: string) => {
            void w.terminate();
            resolve(m);
          });
          w.once('error', reject);
        });
      }),
    );
    const lines = parts.filter(Boolean).join('\n').split('\n');
    const at = (await store.load()).size;
    const entries = lines.map((l) => Buffer.from(l));
    for (const e of entries) writer.addLeaf(leafHash(e));
    const ids = lines.map((l) => {
      const e = JSON.parse(l) as { sig: string; key: string; statement: { author: string; time: string } };
      return statementId({ author: e.statement.author, key: e.key, sig: e.sig, time: e.statement.time });
    });
    await store.append({ first: at, entries, statementIds: ids, tiles: writer.takeFinished() });
  }
  await store.close();
}

export const suite: Suite = async () => {
  const root = mkdtempSync(join(tmpdir(), 'detente-bench-follow-'));
  const logSkey = generateKey(ORIGIN).skey;
  const logSigner = parseSignerKey(logSkey);
  const pool = new EntryCheckPool(CORES);
  pool.warm();
  try {
    const t0 = performance.now();
    await buildSignedLog(join(root, 'server'), logSkey);
    const built = performance.now() - t0;
    // Opening signs the first checkpoint over everything stored.
    const log = await openSqliteLog({ dir: join(root, 'server'), origin: ORIGIN, logSigner, checkOnOpen: false });
    const app = Fastify({ bodyLimit: 1 << 20 });
    app.setValidatorCompiler(validatorCompiler);
    app.setSerializerCompiler(serializerCompiler);
    decorate(app, { id: ID, log } as unknown as Deployment);
    app.setErrorHandler(sendError);
    const reader: Actor = { id: 'il', role: 'party' };
    app.addHook('onRequest', async (req) => {
      req.actor = reader;
      req.deployment = app.deployment;
    });
    await app.register(logTilesRoutes, { public: true });
    await app.register(recordRoutes);
    const url = await app.listen({ port: 0, host: '127.0.0.1' });
    try {
      const engine = ed25519Engine();
      const before = await rawRun(CORES, RAW_MS);
      const rawBefore = before.rate;
      // What the entry-check workers and detente verify call (ed25519.ts), when it is libsodium.
      const sodiumBefore = engine === 'libsodium' ? await rawRate(CORES, RAW_MS, 'libsodium') : undefined;
      const dir = join(root, 'follower');
      const follower = new Follower({ dir, url, arrangement: ID, token: 'bench', pool });
      // Where the CPU goes, per entry: the main thread's (the follower and, in this
      // process, the server) and the other threads' (the workers: parsing, hashing, verifying).
      const c0 = cpuMark();
      const f0 = performance.now();
      const r = await follower.round();
      const followMs = performance.now() - f0;
      const cpu = cpuPerItem(c0, SIZE);
      await follower.close();
      if (r.size !== SIZE || r.discrepancies.length > 0) throw new Error(`the follower verified ${r.size} of ${SIZE}: ${JSON.stringify(r.discrepancies[0])}`);
      const after = await rawRun(CORES, RAW_MS);
      const rawAfter = after.rate;
      const sodiumAfter = engine === 'libsodium' ? await rawRate(CORES, RAW_MS, 'libsodium') : undefined;
      const sodium = sodiumBefore !== undefined && sodiumAfter !== undefined ? (sodiumBefore + sodiumAfter) / 2 : undefined;
      const againstSodium = (rate: number) =>
        sodium === undefined
          ? ''
          : `; against raw libsodium (${Math.round(sodiumBefore!)} before, ${Math.round(sodiumAfter!)} after): ${(rate / sodium).toFixed(3)}×`;
      const out = join(root, 'bundle');
      await exportBundle(logDir(dir, ID), out);
      const v0 = performance.now();
      const v = verifyBundle(out);
      const verifyMs = performance.now() - v0;
      if (!v.ok) throw new Error(`detente verify on the follower's export: ${v.message}`);
      const raw = (rawBefore + rawAfter) / 2;
      const followRate = (SIZE * 1000) / followMs;
      const verifyRate = (SIZE * 1000) / verifyMs;
      const size = SIZE.toLocaleString('en');
      const rawAnchor = { name: `raw Ed25519 verify (node:crypto), ${CORES} threads, same run`, value: Math.round(raw) };
      // On CORES cores shared by the workers and the main thread, entries/s cannot pass
      // CORES / (CPU per entry); raw verification runs at CORES / (CPU per verify).
      const verifyUs = (before.cpuUsPerVerify + after.cpuUsPerVerify) / 2;
      const ceiling = verifyUs / cpu.all;
      return [
        {
          suite: 'follow',
          case: `a follower catches up on a ${size}-entry record from /log/ tiles: every signature (verify pool, ${CORES} workers, ${engine}), the key book, the root, mirrored durably`,
          value: Math.round(followRate),
          unit: 'entries/s',
          anchor: rawAnchor,
          ratio: followRate / raw,
          target: `≥ 0.8× the raw verify rate of ${CORES} cores`,
          met: followRate >= 0.8 * raw,
          note: `${(followMs / 1000).toFixed(1)} s; raw before ${Math.round(rawBefore)}, after ${Math.round(rawAfter)}; server in the same process; record built in ${(built / 1000).toFixed(0)} s; CPU per entry: main thread ${cpu.main?.toFixed(1)} µs (follower and server), other threads ${cpu.others.toFixed(1)} µs, against ${verifyUs.toFixed(1)} µs per raw node:crypto verify: at most ${ceiling.toFixed(2)}× with both cores busy${againstSodium(followRate)}`,
        },
        {
          suite: 'follow',
          case: `detente verify (one core, ${engine}) on the export of the follower's mirror, ${size} entries`,
          value: Math.round(verifyRate),
          unit: 'entries/s',
          anchor: rawAnchor,
          ratio: verifyRate / raw,
          note: `${(verifyMs / 1000).toFixed(1)} s${againstSodium(verifyRate)}`,
        },
      ] satisfies BenchRow[];
    } finally {
      await app.close();
      await log.close();
    }
  } finally {
    await pool.close();
    rmSync(root, { recursive: true, force: true });
  }
};
