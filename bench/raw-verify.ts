// The anchor of every signature-verification figure: raw Ed25519 verifications per second
// on N threads at once, each looping on its own. Plain JavaScript in the workers, so the
// raw figure owes nothing to our code: node:crypto only.
import { Worker } from 'node:worker_threads';

const RAW_WORKER = `
const { parentPort, workerData } = require('node:worker_threads');
const { generateKeyPairSync, sign, verify } = require('node:crypto');
const { publicKey, privateKey } = generateKeyPairSync('ed25519');
const items = Array.from({ length: 256 }, (_, i) => {
  const m = Buffer.from(JSON.stringify({ v: 1, type: 'report', author: 'il', n: i, body: { unit: 'u-' + i, troops: i } }));
  return [m, sign(null, m, privateKey)];
});
parentPort.once('message', () => {
  let n = 0;
  const t0 = performance.now();
  while (performance.now() - t0 < workerData.ms) {
    for (const [m, s] of items) if (!verify(null, m, publicKey, s)) throw new Error('raw verify failed');
    n += items.length;
  }
  parentPort.postMessage((n * 1000) / (performance.now() - t0));
});
parentPort.postMessage('ready');
`;

/** Verifications per second on `threads` threads at once, each looping on its own. */
export async function rawRate(threads: number, ms: number): Promise<number> {
  const workers = Array.from({ length: threads }, () => new Worker(RAW_WORKER, { eval: true, workerData: { ms } }));
  await Promise.all(workers.map((w) => new Promise((r) => w.once('message', r))));
  const rates = await Promise.all(
    workers.map(
      (w) =>
        new Promise<number>((resolve, reject) => {
          w.once('message', resolve);
          w.once('error', reject);
          w.postMessage('go');
        }),
    ),
  );
  await Promise.all(workers.map((w) => w.terminate()));
  return rates.reduce((a, b) => a + b, 0);
}
