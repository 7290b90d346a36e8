// Separation between two actors' moving units. Each pair's conflict — the
// times at which both minima are broken, each unit moving from its own report
// under the one motion model (geo/motion.ts) — is an interval fixed until one of
// the two reports again. So it is computed once per report, and the times at
// which the pair's state changes as the clock moves (alert opens at
// `from − lookahead`, loss at `from`, clears after `to`) are queued rather than
// polled.
//
// Pairs are never formed all against all: each side's tracks sit in a grid of
// the extents they sweep until the next sweep's lookahead ends, and only pairs
// whose extents come within the minima are computed. Every `period` the grid is
// swept again with a window starting now, so a pair that nobody reports about
// still starts being watched before its alert could open. Extents and intervals
// come from the same model, so the grid needs no slack (see reachMargins).
import type { SeparationRule } from '../arrangement/types.ts';
import { clip, PairMotion, pairConflict } from '../geo/cpa.ts';
import { type Track, track } from '../geo/motion.ts';
import { MoverGrid, type MoverId } from '../geo/separation.ts';
import { Heap } from './heap.ts';
import type { UnitReport } from './reports.ts';

const NONE = 0;
const ALERT = 1;
const LOSS = 2;

interface Pair {
  a: string;
  b: string;
  from: number;
  to: number;
  state: number;
  version: number;
}

interface Change {
  at: number;
  seq: number;
  key: string;
  version: number;
}

export interface SeparationChange {
  finding: 'separation' | 'loss';
  state: 'open' | 'closed';
  units: [string, string];
  cpa_s?: number;
  cpa_km?: number;
  cpa_m?: number | null;
}

function round(x: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}

export class SeparationWatch {
  private readonly sides = [new Map<string, Track>(), new Map<string, Track>()];
  private readonly grids: [MoverGrid, MoverGrid];
  /** the pairs each unit is in, by the other unit */
  private readonly pairsOf = new Map<string, Set<string>>();
  private readonly periodS: number;
  private lastSweep = -Infinity;
  private readonly found: MoverId[] = [];
  private readonly pairs = new Map<string, Pair>();
  private readonly changes = new Heap<Change>();
  private seq = 0;
  private readonly lookS: number;
  /** the first side's units as of a sweep, while it runs */
  private readonly sweptUnits: string[] = [];
  /** the pair computation's output, reused */
  private readonly pm = new PairMotion();
  private readonly kmM: number;

  constructor(readonly rule: SeparationRule) {
    this.lookS = rule.lookaheadMs / 1000;
    this.periodS = Math.max(60, this.lookS);
    this.kmM = rule.km * 1000;
    this.grids = [new MoverGrid(), new MoverGrid()];
  }

  private key(side: number, unit: string, other: string): string {
    return side === 0 ? unit + '\0' + other : other + '\0' + unit;
  }

  private link(a: string, b: string): void {
    for (const [x, y] of [
      [a, b],
      [b, a],
    ]) {
      let s = this.pairsOf.get(x);
      if (!s) this.pairsOf.set(x, (s = new Set()));
      s.add(y);
    }
  }

  private unlink(a: string, b: string): void {
    this.pairsOf.get(a)?.delete(b);
    this.pairsOf.get(b)?.delete(a);
  }

  /** Ends the pair (closing what is open) and forgets it. */
  private drop(key: string, p: Pair, now: number, out: SeparationChange[]): void {
    this.transition(p, NONE, now, out);
    this.pairs.delete(key);
    this.unlink(p.a, p.b);
  }

  /** Ends every pair of `unit` except those with the units in `keep`. */
  private dropPairsOf(side: number, unit: string, keep: Set<string> | null, now: number, out: SeparationChange[]): void {
    for (const other of [...(this.pairsOf.get(unit) ?? [])]) {
      if (keep?.has(other)) continue;
      const key = this.key(side, unit, other);
      const p = this.pairs.get(key);
      if (p) this.drop(key, p, now, out);
    }
  }

  /**
   * The end of the window the grid's extents cover: states are judged at times
   * before the next sweep (lastSweep + period), each looking ahead lookahead.
   */
  private get windowEnd(): number {
    return this.lastSweep + this.periodS + this.lookS;
  }

  /** Re-files every track in the grid with a window from now, and watches the pairs that come within reach. */
  private sweep(now: number, out: SeparationChange[]): void {
    this.lastSweep = now;
    const end = this.windowEnd;
    const units = this.sweptUnits;
    for (let s = 0; s < 2; s++) {
      for (const [u, k] of this.sides[s]) {
        this.grids[s].update(u, k, now, end);
        if (s === 0) units.push(u);
      }
    }
    for (let n = 0; n < units.length; n++) this.watch(0, units[n], now, out, false);
    units.length = 0;
  }

  /** Computes the pairs of `unit` with the other side's tracks within reach; with `exclusive`, ends its other pairs. */
  private watch(side: number, unit: string, now: number, out: SeparationChange[], exclusive: boolean): void {
    const found = this.found;
    found.length = 0;
    const own = this.sides[side].get(unit)!;
    this.grids[1 - side].candidates(own, now, this.windowEnd, this.rule.km, this.rule.m, found);
    const near = exclusive ? new Set<string>() : undefined;
    const pm = this.pm;
    for (const o of found) {
      const other = o as string;
      const key = this.key(side, unit, other);
      near?.add(other);
      let p = this.pairs.get(key);
      if (p && !exclusive) continue; // already watched, its interval is exact
      const ok = this.sides[1 - side].get(other)!;
      if (!(side === 0 ? pairConflict(own, ok, this.kmM, this.rule.m, pm) : pairConflict(ok, own, this.kmM, this.rule.m, pm))) {
        if (p) this.drop(key, p, now, out);
        continue;
      }
      if (!p) {
        p = { a: side === 0 ? unit : other, b: side === 0 ? other : unit, from: pm.from, to: pm.to, state: NONE, version: 0 };
        this.pairs.set(key, p);
        this.link(p.a, p.b);
      }
      p.from = pm.from;
      p.to = pm.to;
      p.version++;
      this.settle(key, p, now, out);
    }
    // Pairs out of reach cannot be in conflict before the next sweep.
    if (near) this.dropPairsOf(side, unit, near, now, out);
  }

  /** Takes a unit's new posture (null when it is gone); returns the pair transitions at `nowMs`. */
  update(unit: string, r: UnitReport | null, nowMs: number, out: SeparationChange[]): void {
    const now = nowMs / 1000;
    if (now >= this.lastSweep + this.periodS) this.sweep(now, out);
    let side = -1;
    if (r && !r.withdrawn && r.velocity) side = r.actor === this.rule.between[0] ? 0 : r.actor === this.rule.between[1] ? 1 : -1;
    for (let s = 0; s < 2; s++) {
      if (s !== side && this.sides[s].delete(unit)) {
        this.grids[s].remove(unit);
        this.dropPairsOf(s, unit, null, now, out);
        this.pairsOf.delete(unit);
      }
    }
    if (side < 0 || !r) return;
    const v = r.velocity!;
    // The track moves from its own fix, which may be older than the clock (an out-of-order report).
    const k = track({ lon: r.lon, lat: r.lat, alt: r.alt, ve: v.ve, vn: v.vn, vu: v.vu, t: r.time / 1000 });
    this.sides[side].set(unit, k);
    this.grids[side].update(unit, k, now, this.windowEnd);
    this.watch(side, unit, now, out, true);
  }

  /** Applies the state changes that time has brought by `nowMs`. */
  advance(nowMs: number, out: SeparationChange[]): void {
    const now = nowMs / 1000;
    if (now >= this.lastSweep + this.periodS) this.sweep(now, out);
    for (let c = this.changes.peek(); c && c.at <= now; c = this.changes.peek()) {
      this.changes.pop();
      const p = this.pairs.get(c.key);
      if (p && p.version === c.version) this.settle(c.key, p, now, out);
    }
  }

  private stateAt(p: Pair, now: number): number {
    if (now >= p.from && now <= p.to) return LOSS;
    if (now < p.from && now >= p.from - this.lookS) return ALERT;
    return NONE;
  }

  private settle(key: string, p: Pair, now: number, out: SeparationChange[]): void {
    this.transition(p, this.stateAt(p, now), now, out);
    // The next instant at which the state can change, if any.
    let next = Infinity;
    if (now < p.from - this.lookS) next = p.from - this.lookS;
    else if (now < p.from) next = p.from;
    else if (now <= p.to) next = p.to + 1e-6;
    if (next !== Infinity) this.changes.push({ at: next, seq: this.seq++, key, version: p.version });
    else if (p.state === NONE) {
      this.pairs.delete(key);
      this.unlink(p.a, p.b);
    }
  }

  private transition(p: Pair, state: number, now: number, out: SeparationChange[]): void {
    if (state === p.state) return;
    const units: [string, string] = [p.a, p.b];
    if (p.state !== NONE) out.push({ finding: p.state === LOSS ? 'loss' : 'separation', state: 'closed', units });
    if (state !== NONE) {
      const a = this.sides[0].get(p.a)!;
      const b = this.sides[1].get(p.b)!;
      const c = pairConflict(a, b, this.kmM, this.rule.m, this.pm) ? clip(this.pm, now, now + this.lookS) : null;
      out.push({
        finding: state === LOSS ? 'loss' : 'separation',
        state: 'open',
        units,
        cpa_s: c ? round(c.at.t - now, 1) : 0,
        cpa_km: c ? round(c.at.km, 3) : 0,
        cpa_m: c && c.at.m !== null ? round(c.at.m, 1) : null,
      });
    }
    p.state = state;
  }
}
