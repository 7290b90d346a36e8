// Separation: all conflicting pairs between two groups of moving tracks in one
// evaluation cycle — conflictingPairs (pruned) against the all-pairs loop,
// measured in the same run on the same tracks, with the results compared.
//
// Tracks are aircraft-like: positions uniform over a 5° × 5° box (about
// 460 × 555 km) in southern Syria and around it, speeds 100–300 m/s on random
// headings, altitudes on 300 m flight levels from 1,000 to 12,700 m (30% climbing
// or descending at up to 15 m/s; 5% report no altitude), fixes up to 30 s old.
// Minima 9.26 km / 300 m, horizon 300 s. The tracks are split evenly between
// the two groups (n/2 × n/2 pairs). This sky is far busier than any real one.
import { isDeepStrictEqual } from 'node:util';
import type { Mover } from '../src/geo/cpa.ts';
import { conflictingPairs, conflictingPairsBruteForce } from '../src/geo/separation.ts';
import type { BenchRow, Suite } from './harness.ts';
import { rng } from '../src/sim/random.ts';

const NOW = 1_767_225_600; // 2026-01-01T00:00:00Z
const HORIZON = 300,
  KM = 9.26,
  M = 300;

export function tracks(n: number, seed: number): Mover[] {
  const r = rng(seed);
  const out: Mover[] = [];
  for (let k = 0; k < n; k++) {
    const speed = 100 + 200 * r(),
      heading = 2 * Math.PI * r();
    out.push({
      lon: 33.5 + 5 * r(),
      lat: 30.5 + 5 * r(),
      alt: r() < 0.05 ? null : 1000 + 300 * Math.floor(40 * r()),
      ve: speed * Math.sin(heading),
      vn: speed * Math.cos(heading),
      vu: r() < 0.3 ? 30 * (r() - 0.5) : 0,
      t: NOW - Math.floor(30 * r()),
    });
  }
  return out;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[s.length >> 1];
}

function runCase(n: number): BenchRow {
  const all = tracks(n, n);
  const a = all.slice(0, n / 2),
    b = all.slice(n / 2);
  // Warm up, then time cycles for at least ~1 s (at least 5).
  let pruned = conflictingPairs(a, b, NOW, HORIZON, KM, M);
  const times: number[] = [];
  const t0 = performance.now();
  while (times.length < 5 || performance.now() - t0 < 1000) {
    const t = performance.now();
    pruned = conflictingPairs(a, b, NOW, HORIZON, KM, M);
    times.push(performance.now() - t);
  }
  const ours = median(times);
  let brute = conflictingPairsBruteForce(a, b, NOW, HORIZON, KM, M);
  const bt: number[] = [];
  for (let k = 0; k < (n >= 10_000 ? 3 : 5); k++) {
    const t = performance.now();
    brute = conflictingPairsBruteForce(a, b, NOW, HORIZON, KM, M);
    bt.push(performance.now() - t);
  }
  const anchor = median(bt);
  const same = isDeepStrictEqual(pruned, brute);
  const big = n >= 10_000;
  const ratio = anchor / ours;
  return {
    suite: 'separation',
    case: `separation cycle, ${n.toLocaleString('en')} tracks`,
    value: Number(ours.toFixed(2)),
    unit: 'ms/cycle',
    anchor: { name: 'all pairs', value: Number(anchor.toFixed(2)) },
    ratio,
    target: big ? '≤ 100 ms per cycle, ≥ 10× all pairs, identical pairs' : 'identical pairs',
    met: big ? same && ours <= 100 && ratio >= 10 : same,
    note:
      `${(n / 2).toLocaleString('en')} × ${(n / 2).toLocaleString('en')} pairs, ${pruned.length.toLocaleString('en')} conflicting; ` +
      `results ${same ? 'identical to' : 'DIFFERENT from'} the all-pairs loop; median of ${times.length} cycles (all pairs: ${bt.length})`,
  };
}

export const suite: Suite = async () => [runCase(1_000), runCase(5_000), runCase(10_000)];
