// The witnessed head under load: a log taking 10,000 appends/s, checkpoints signed
// once a second as in a deployment, each submitted to three witnesses on loopback
// (the C2SP witness of the tests, in a process of its own). Measured: how long after an entry is
// durable the witnessed head covers it, and how long after a checkpoint is signed a
// quorum (2 of 3) has cosigned it. Target (issue 10): the witnessed head lags the log
// head by at most 2 s at 10,000 appends/s.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { createInterface } from 'node:readline';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateKey, parseSignerKey } from '../src/record/keys.ts';
import { buildEntry } from '../src/record/statement.ts';
import { Witnessing } from '../src/server/witnessing/witnessing.ts';
import { openSqliteLog } from '../src/store/open-log.ts';
import type { BenchRow, Suite } from './harness.ts';

const ORIGIN = 'detente/bench/southern-syria';
const RATE = 10_000;
const SECONDS = 6;

function quantile(sorted: number[], q: number): number {
  return sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] : Number.NaN;
}

export const suite: Suite = async () => {
  const dir = mkdtempSync(join(tmpdir(), 'detente-bench-witnessed-'));
  const logSigner = parseSignerKey(generateKey(ORIGIN).skey);
  const author = parseSignerKey(generateKey('undof').skey);
  const base = Date.now();
  const entries = Array.from({ length: RATE * SECONDS }, (_, i) =>
    buildEntry(author, {
      type: 'report',
      arrangement: 'southern-syria',
      body: { unit: `u-${i}`, at: [35.8123, 33.0541], assets: { troops: 120 } },
      time: new Date(base + i).toISOString(),
    }),
  );
  const child = spawn(process.execPath, ['--import', 'tsx', new URL('./witness-child.ts', import.meta.url).pathname, ORIGIN, logSigner.verifier.vkey], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const [line] = (await once(createInterface({ input: child.stdout! }), 'line')) as [string];
  const witnesses = JSON.parse(line) as { name: string; key: string; url: string }[];
  /** [tree size, when durable] per acknowledged batch, oldest first, not yet witnessed */
  const durable: [number, number][] = [];
  const signed = new Map<number, number>();
  const entryLag: number[] = [];
  const checkpointLag: number[] = [];
  let witnessing: Witnessing | undefined;
  const log = await openSqliteLog({
    dir,
    origin: ORIGIN,
    logSigner,
    verifySignatures: false,
    onCheckpoint: (note, size) => {
      signed.set(size, performance.now());
      witnessing?.checkpoint(note, size);
    },
  });
  witnessing = new Witnessing({
    origin: ORIGIN,
    witnesses: { quorum: 2, keys: witnesses.map((w) => ({ name: w.name, key: w.key })) },
    urls: new Map(witnesses.map((w) => [w.name, w.url])),
    dir,
    proof: (old, size) => log.consistencyProof(old, size),
    onWitnessed: (h) => {
      const t = performance.now();
      while (durable.length && durable[0][0] <= h.size) entryLag.push(t - durable.shift()![1]);
      for (const [size, at] of signed)
        if (size <= h.size) {
          checkpointLag.push(t - at);
          signed.delete(size);
        }
    },
  });
  witnessing.checkpoint(log.checkpoint());

  // Paced appends: every 5 ms, as many as the rate allows by then. The event loop's
  // delay is measured beside, since the submitter shares the loop with the log.
  const loopDelay = monitorEventLoopDelay({ resolution: 10 });
  loopDelay.enable();
  const t0 = performance.now();
  let next = 0;
  const pending: Promise<unknown>[] = [];
  while (next < entries.length) {
    const due = Math.min(entries.length, Math.floor(((performance.now() - t0) * RATE) / 1000));
    while (next < due) {
      const p = log.append(entries[next++]).then((a) => {
        const size = a.index + 1;
        const now = performance.now();
        const last = durable.at(-1);
        if (last && last[0] < size && now - last[1] < 1) last[0] = size;
        else if (!last || last[0] < size) durable.push([size, now]);
      });
      pending.push(p);
    }
    await new Promise((r) => setTimeout(r, 5));
  }
  await Promise.all(pending);
  loopDelay.disable();
  const achieved = (entries.length * 1000) / (performance.now() - t0);
  // Let the last checkpoint be signed and cosigned.
  const until = performance.now() + 5000;
  while (durable.length && performance.now() < until) await new Promise((r) => setTimeout(r, 20));
  const unwitnessed = durable.length;
  await witnessing.close();
  await log.close();
  child.kill();
  rmSync(dir, { recursive: true, force: true });

  entryLag.sort((a, b) => a - b);
  checkpointLag.sort((a, b) => a - b);
  const p99 = quantile(entryLag, 0.99);
  const note = `3 loopback witnesses, quorum 2, checkpoints every 1 s; ${unwitnessed} batches never witnessed`;
  return [
    {
      suite: 'witnessed',
      case: 'appends achieved (paced at 10,000/s)',
      value: achieved,
      unit: 'entries/s',
      anchor: { name: 'asked', value: RATE },
      ratio: achieved / RATE,
    },
    { suite: 'witnessed', case: 'entry durable → witnessed head covers it, p50', value: quantile(entryLag, 0.5), unit: 'ms', note },
    {
      suite: 'witnessed',
      case: 'entry durable → witnessed head covers it, p99',
      value: p99,
      unit: 'ms',
      target: '≤ 2,000 ms',
      met: p99 <= 2000 && unwitnessed === 0,
    },
    { suite: 'witnessed', case: 'checkpoint signed → quorum cosigned, p50', value: quantile(checkpointLag, 0.5), unit: 'ms' },
    { suite: 'witnessed', case: 'checkpoint signed → quorum cosigned, p99', value: quantile(checkpointLag, 0.99), unit: 'ms' },
    {
      suite: 'witnessed',
      case: "the log process's event-loop delay while appending, p99",
      value: loopDelay.percentile(99) / 1e6,
      unit: 'ms',
      note: 'the submitter waits behind the group commits; a loaded machine shows here first',
    },
  ] satisfies BenchRow[];
};
