// Separation as the server runs it: the engine's SeparationWatch, driven through
// the Monitor report by report, against the all-pairs check of the same tracks
// with the same motion model (geo/motion.ts, geo/cpa.ts), in the same run, with
// the pairs compared.
//
// A cycle is one round in which every track reports once (a radar's sweep):
// n reports pushed through Monitor.push in time order, each moving its unit's
// pairs. Tracks are aircraft-like: positions uniform over a 5° × 5° box (about
// 460 × 555 km) in southern Syria and around it, speeds 100–300 m/s on random
// headings, altitudes on 300 m flight levels from 1,000 to 12,700 m (30% climbing
// or descending at up to 15 m/s; 5% report no altitude), each reporting up to
// 30 s behind the round's time, rounds 10 s apart. Minima 9.26 km / 300 m,
// lookahead 300 s; the tracks are split evenly between the rule's two actors.
// This sky is far busier than any real one.
//
// The anchor is one pass over every pair of the round's latest fixes (n/2 × n/2
// pair computations, each pair's state judged at the clock as the watch judges
// it). It is a floor for an all-pairs engine, which would check each report
// against the whole other side (twice the pairs per round) and would still pay
// for the Monitor's handling of each report, which ours includes.
//
// BENCH_SEPARATION_SIZES=1000,5000 runs only those sizes (default 1000,5000,10000).
import { compileArrangement } from '../src/arrangement/compile.ts';
import { IssueList } from '../src/arrangement/issues.ts';
import { validateDocument } from '../src/arrangement/validate.ts';
import { PairMotion, pairConflict } from '../src/geo/cpa.ts';
import { type Mover, positionAt, type Track, track } from '../src/geo/motion.ts';
import { Monitor } from '../src/monitor/engine.ts';
import type { UnitReport } from '../src/monitor/reports.ts';
import { rng } from '../src/sim/random.ts';
import type { BenchRow, Suite } from './harness.ts';

const NOW = 1_767_225_600; // 2026-01-01T00:00:00Z
const LOOKAHEAD = 300,
  KM = 9.26,
  M = 300,
  ROUND_S = 10,
  ACTORS = ['il', 'sy'] as const;

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

function arrangement() {
  const doc = {
    detente: 1,
    id: 'bench',
    title: 'Separation benchmark',
    actors: ACTORS.map((id) => ({ id, name: id, role: 'party' })),
    rules: [{ id: 'sep', kind: 'separation', between: ACTORS, km: KM, m: M, lookahead: `PT${LOOKAHEAD}S` }],
  };
  const issues = new IssueList('(bench)');
  const checked = validateDocument(doc, issues, () => ({ error: 'no files', name: '(none)' }));
  if (!checked || issues.issues.length) throw new Error(JSON.stringify(issues.issues));
  return compileArrangement(checked);
}

/** Round k's reports, in time order: each track where the model puts it, up to 30 s behind the round. */
function round(movers: Mover[], lags: number[], k: number): UnitReport[] {
  const out: UnitReport[] = [];
  const at = NOW + k * ROUND_S;
  for (let i = 0; i < movers.length; i++) {
    const m = movers[i];
    const t = at - lags[i];
    const p = positionAt(track(m), t);
    out.push({
      type: 'track',
      id: `r${k}-${i}`,
      time: t * 1000,
      unit: `u${i}`,
      actor: ACTORS[i & 1],
      category: 'air',
      withdrawn: false,
      lon: p.lon,
      lat: p.lat,
      alt: p.alt,
      holdings: {},
      attrs: null,
      velocity: { ve: m.ve, vn: m.vn, vu: m.alt === null ? 0 : m.vu },
    });
  }
  return out.sort((a, b) => a.time - b.time);
}

/** Every pair of the latest fixes, in the watch's terms: 'loss' inside the conflict, 'separation' within the lookahead before it. */
function allPairs(a: Track[], aIds: string[], b: Track[], bIds: string[], now: number): Map<string, string> {
  const out = new Map<string, string>();
  const p = new PairMotion();
  const kmM = KM * 1000;
  for (let i = 0; i < a.length; i++) {
    for (let j = 0; j < b.length; j++) {
      if (!pairConflict(a[i], b[j], kmM, M, p)) continue;
      if (now >= p.from && now <= p.to) out.set(`${aIds[i]}|${bIds[j]}`, 'loss');
      else if (now < p.from && now >= p.from - LOOKAHEAD) out.set(`${aIds[i]}|${bIds[j]}`, 'separation');
    }
  }
  return out;
}

function sameMaps(x: Map<string, string>, y: Map<string, string>): boolean {
  if (x.size !== y.size) return false;
  for (const [k, v] of x) if (y.get(k) !== v) return false;
  return true;
}

function runCase(n: number): BenchRow {
  const movers = tracks(n, n);
  const lags = movers.map((m) => NOW - m.t);
  const monitor = new Monitor(arrangement());
  const latest = new Map<string, UnitReport>();
  const push = (reports: UnitReport[]) => {
    for (const r of reports) {
      monitor.push(r);
      latest.set(r.unit, r);
    }
  };
  push(round(movers, lags, 0)); // warm-up: every pair formed from scratch
  const ours: number[] = [];
  const anchor: number[] = [];
  let same = true,
    found = 0;
  const t0 = performance.now();
  for (let k = 1; ours.length < 5 || performance.now() - t0 < 2000; k++) {
    const reports = round(movers, lags, k);
    let t = performance.now();
    push(reports);
    ours.push(performance.now() - t);
    const engine = new Map<string, string>();
    for (const f of monitor.openNow()) if (f.finding === 'separation' || f.finding === 'loss') engine.set(f.units!.join('|'), f.finding);
    const sides: [Track[], string[]][] = [
      [[], []],
      [[], []],
    ];
    for (const r of latest.values()) {
      const s = sides[r.actor === ACTORS[0] ? 0 : 1];
      s[0].push(track({ lon: r.lon, lat: r.lat, alt: r.alt, ve: r.velocity!.ve, vn: r.velocity!.vn, vu: r.velocity!.vu, t: r.time / 1000 }));
      s[1].push(r.unit);
    }
    t = performance.now();
    const want = allPairs(sides[0][0], sides[0][1], sides[1][0], sides[1][1], monitor.now / 1000);
    anchor.push(performance.now() - t);
    same &&= sameMaps(engine, want);
    found = want.size;
    if (n >= 10_000 && ours.length >= 5) break;
  }
  const mean = (xs: number[]) => xs.reduce((s, x) => s + x, 0) / xs.length;
  const value = mean(ours),
    base = mean(anchor);
  const big = n >= 10_000;
  const ratio = base / value;
  return {
    suite: 'separation',
    case: `separation round through the engine (Monitor.push × ${n.toLocaleString('en')} tracks)`,
    value: Number(value.toFixed(2)),
    unit: 'ms/round',
    anchor: { name: 'all pairs, one pass', value: Number(base.toFixed(2)) },
    ratio,
    target: big ? 'faster than all pairs, same pairs' : 'same pairs',
    met: big ? same && ratio > 1 : same,
    note:
      `${(n / 2).toLocaleString('en')} × ${(n / 2).toLocaleString('en')} pairs, ${found.toLocaleString('en')} alerting or lost; ` +
      `engine's open findings ${same ? 'identical to' : 'DIFFERENT from'} the all-pairs check after every round; mean of ${ours.length} rounds`,
  };
}

export const suite: Suite = async () => (process.env.BENCH_SEPARATION_SIZES ?? '1000,5000,10000').split(',').map((n) => runCase(Number(n)));
