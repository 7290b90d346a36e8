// Restarting a server on a large record: from the newest snapshot of its derived
// state (what `detente serve` does), beside a full replay of the same record (the
// anchor), in the same run. Reads are served once the state is restored; writes once
// the stored record has been checked against its checkpoint (in a worker).
import { existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadArrangementSource } from '../src/arrangement/load.ts';
import { formatTime } from '../src/arrangement/time.ts';
import { Deployment } from '../src/server/deployment.ts';
import type { BenchRow, Suite } from './harness.ts';

const ENTRIES = Number(process.env.BENCH_RESTART_ENTRIES ?? 5_000_000);
const EXAMPLE = new URL('../examples/southern-syria/arrangement.yaml', import.meta.url).pathname;
const NOW = Date.parse('2026-01-15T00:00:00Z');
const IN_FLIGHT = 512;
// A directory to build the record in once and reuse in later runs (kept afterwards), so
// the check can be measured and profiled again and again on the same record.
const KEEP_DIR = process.env.BENCH_RESTART_DIR;

async function build(dir: string): Promise<number> {
  const source = loadArrangementSource(EXAMPLE);
  const d = await Deployment.open({ dataDir: dir, source, deployment: 'bench', now: () => NOW, snapshotEvery: Number.POSITIVE_INFINITY });
  const undof = d.actors.get('undof')!;
  const t0 = NOW - 30 * 86_400_000;
  let next = 0;
  const worker = async () => {
    for (let i = next++; i < ENTRIES - 1; i = next++) {
      // One report an entry, 2,000 units moving about the Golan, a second apart.
      const unit = i % 2000;
      const report = {
        type: 'observation',
        id: `b-${i}`,
        time: formatTime(t0 + i * 500),
        source: 'undof',
        unit: `u-${unit}`,
        actor: unit % 2 ? 'sy' : 'il',
        position: [35.7 + (unit % 50) * 0.01, 32.7 + Math.floor(unit / 50) * 0.015],
        holdings: { troops: 10 + (i % 7) },
      };
      await d.postReports(undof, report);
    }
  };
  await Promise.all(Array.from({ length: IN_FLIGHT }, worker));
  const size = d.log.size;
  await d.close();
  return size;
}

async function restart(dir: string, fromSnapshot: boolean): Promise<{ reads: number; writes: number; restoredFrom: number }> {
  const state = join(dir, 'record', 'southern-syria', 'state.db');
  // A kept record keeps its snapshot for the next run: the full replay runs without it.
  if (!fromSnapshot && KEEP_DIR) renameSync(state, `${state}.kept`);
  if (!fromSnapshot) for (const f of [state, `${state}-wal`, `${state}-shm`]) rmSync(f, { force: true });
  const source = loadArrangementSource(EXAMPLE);
  const t0 = performance.now();
  const d = await Deployment.open({
    dataDir: dir,
    source,
    deployment: 'bench',
    now: () => NOW,
    readsBeforeCheck: true,
    snapshotEvery: Number.POSITIVE_INFINITY,
  });
  const reads = performance.now() - t0;
  await d.writable;
  const writes = performance.now() - t0;
  const restoredFrom = d.restoredFrom;
  await d.close();
  if (!fromSnapshot && KEEP_DIR) {
    for (const f of [state, `${state}-wal`, `${state}-shm`]) rmSync(f, { force: true });
    renameSync(`${state}.kept`, state);
  }
  return { reads, writes, restoredFrom };
}

export const suite: Suite = async () => {
  const built = KEEP_DIR !== undefined && existsSync(join(KEEP_DIR, 'built'));
  const dir = KEEP_DIR ?? mkdtempSync(join(tmpdir(), 'detente-bench-restart-'));
  try {
    let size: number;
    if (built) size = Number(readFileSync(join(dir, 'built'), 'utf8'));
    else {
      const b0 = performance.now();
      mkdirSync(dir, { recursive: true });
      size = await build(dir);
      if (KEEP_DIR) writeFileSync(join(dir, 'built'), String(size));
      process.stderr.write(`bench restart: built ${ENTRIES.toLocaleString('en')} entries in ${((performance.now() - b0) / 1000).toFixed(0)} s\n`);
    }
    const snap = await restart(dir, true);
    if (snap.restoredFrom !== size) throw new Error(`restored from ${snap.restoredFrom}, not from the snapshot at ${size}`);
    const full = await restart(dir, false);
    const n = size.toLocaleString('en');
    const rows: BenchRow[] = [
      {
        suite: 'restart',
        case: `restart on ${n} entries from the newest snapshot: serving reads`,
        value: snap.reads / 1000,
        unit: 's',
        anchor: { name: 'full replay of the same record', value: full.reads / 1000 },
        ratio: full.reads / snap.reads,
        target: '≤ 10 s at 5,000,000 entries',
        met: ENTRIES >= 5_000_000 ? snap.reads <= 10_000 : undefined,
      },
      {
        suite: 'restart',
        case: `restart on ${n} entries from the newest snapshot: taking writes (stored record checked in a worker)`,
        value: snap.writes / 1000,
        unit: 's',
        anchor: { name: 'full replay, then the same check', value: full.writes / 1000 },
        ratio: full.writes / snap.writes,
        target: '≤ 30 s at 5,000,000 entries',
        met: ENTRIES >= 5_000_000 ? snap.writes <= 30_000 : undefined,
      },
    ];
    return rows;
  } finally {
    if (!KEEP_DIR) rmSync(dir, { recursive: true, force: true });
  }
};
