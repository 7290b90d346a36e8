// End-to-end `detente check` throughput: a 1,000,000-line synthetic stream over
// the southern-Syria arrangement, run as a person would run it (a fresh process,
// parsing included). The floor beside it is a process that only reads and
// JSON-parses the same lines: no checker can beat that.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadArrangement } from '../src/arrangement/load.ts';
import { syntheticReports } from '../src/sim/synthetic.ts';
import type { BenchRow, Suite } from './harness.ts';

const ROOT = new URL('..', import.meta.url).pathname;
const ARR = join(ROOT, 'examples/southern-syria/arrangement.yaml');

function timed(args: string[]): number {
  const t0 = performance.now();
  const r = spawnSync(process.execPath, args, { cwd: ROOT, stdio: ['ignore', 'ignore', 'pipe'], maxBuffer: 1 << 26 });
  const ms = performance.now() - t0;
  if (r.status !== 0 && r.status !== 1) throw new Error(`${args.join(' ')} failed: ${r.stderr}`);
  return ms;
}

export const suite: Suite = async () => {
  const N = Number(process.env.BENCH_CHECK_LINES ?? 1_000_000);
  const dir = mkdtempSync(join(tmpdir(), 'detente-bench-'));
  try {
    const file = join(dir, 'reports.ndjson');
    const arr = loadArrangement(ARR);
    const lines: string[] = [];
    for (const l of syntheticReports(arr, { lines: N, units: 2000, seed: 7 })) lines.push(l);
    writeFileSync(file, lines.join('\n') + '\n');
    const parseOnly = `const fs=require('fs');let n=0;for(const l of fs.readFileSync(process.argv[1],'utf8').split('\\n'))if(l){JSON.parse(l);n++}`;
    // Best of two runs each, alternated, so both see the same machine state.
    const ours: number[] = [];
    const floor: number[] = [];
    for (let i = 0; i < 2; i++) {
      ours.push(timed(['bin/detente.js', 'check', '--quiet', '--until', 'last', ARR, file]));
      floor.push(timed(['-e', parseOnly, file]));
    }
    const rate = (N * 1000) / Math.min(...ours);
    const floorRate = (N * 1000) / Math.min(...floor);
    const row: BenchRow = {
      suite: 'check',
      case: `detente check, ${N.toLocaleString('en')} reports, southern-Syria arrangement (end to end, one process)`,
      value: Math.round(rate),
      unit: 'reports/s',
      anchor: { name: 'read + JSON.parse only', value: Math.round(floorRate) },
      ratio: rate / floorRate,
      target: '≥ 300,000 reports/s',
      met: rate >= 300_000,
      note: `${(Math.min(...ours) / 1000).toFixed(2)} s wall, process start and arrangement load included`,
    };
    return [row];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
};
