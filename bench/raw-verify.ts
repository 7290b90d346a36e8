// The anchor of every signature-verification figure: raw Ed25519 verifications per second
// on N threads at once, each looping on its own. Plain JavaScript in the workers, so the
// raw figure owes nothing to our code: node:crypto (the issues' anchor), or libsodium
// (what the verify pool's workers call) for the second anchor beside it.
import { Worker } from 'node:worker_threads';
import { type Ed25519Engine, sodiumPath } from '../src/record/ed25519.ts';

const RAW_WORKER = `
const { parentPort, workerData } = require('node:worker_threads');
const { generateKeyPairSync, sign, verify } = require('node:crypto');
const { publicKey, privateKey } = generateKeyPairSync('ed25519');
const raw = publicKey.export({ format: 'der', type: 'spki' }).subarray(12);
const check = workerData.sodium
  ? ((v) => (m, s) => v(s, m, raw))(require(workerData.sodium).crypto_sign_verify_detached)
  : (m, s) => verify(null, m, publicKey, s);
const items = Array.from({ length: 256 }, (_, i) => {
  const m = Buffer.from(JSON.stringify({ v: 1, type: 'report', author: 'il', n: i, body: { unit: 'u-' + i, troops: i } }));
  return [m, sign(null, m, privateKey)];
});
parentPort.once('message', () => {
  let n = 0;
  const t0 = performance.now();
  while (performance.now() - t0 < workerData.ms) {
    for (const [m, s] of items) if (!check(m, s)) throw new Error('raw verify failed');
    n += items.length;
  }
  parentPort.postMessage({ rate: (n * 1000) / (performance.now() - t0), n });
});
parentPort.postMessage('ready');
`;

/** Verifications per second on `threads` threads at once, each looping on its own. */
export async function rawRate(threads: number, ms: number, engine: Ed25519Engine = 'node:crypto'): Promise<number> {
  return (await rawRun(threads, ms, engine)).rate;
}

/** rawRate, with the CPU time one verification took (µs, every thread of the process counted). */
export async function rawRun(threads: number, ms: number, engine: Ed25519Engine = 'node:crypto'): Promise<{ rate: number; cpuUsPerVerify: number }> {
  const sodium = engine === 'libsodium' ? sodiumPath() : undefined;
  if (engine === 'libsodium' && !sodium) throw new Error('sodium-native is not installed');
  const workers = Array.from({ length: threads }, () => new Worker(RAW_WORKER, { eval: true, workerData: { ms, sodium } }));
  await Promise.all(workers.map((w) => new Promise((r) => w.once('message', r))));
  const c0 = process.cpuUsage();
  const runs = await Promise.all(
    workers.map(
      (w) =>
        new Promise<{ rate: number; n: number }>((resolve, reject) => {
          w.once('message', resolve);
          w.once('error', reject);
          w.postMessage('go');
        }),
    ),
  );
  const c = process.cpuUsage(c0);
  await Promise.all(workers.map((w) => w.terminate()));
  const n = runs.reduce((a, r) => a + r.n, 0);
  return { rate: runs.reduce((a, r) => a + r.rate, 0), cpuUsPerVerify: (c.user + c.system) / n };
}
