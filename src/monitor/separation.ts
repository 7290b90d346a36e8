// Separation between two actors' moving units. Each pair's conflict — the
// times at which both minima are broken, extrapolating each unit at constant
// velocity from its own report — is an interval fixed until one of the two
// reports again. So it is computed once per report, and the times at which the
// pair's state changes as the clock moves (alert opens at `from − lookahead`,
// loss at `from`, clears after `to`) are queued rather than polled.
//
// Pairs are never formed all against all: each side's movers sit in a grid of
// their swept extents, and only pairs whose extents come within reach over the
// next `period + lookahead` are computed. Every `period` the grid is swept again
// with every fix extrapolated to now, so a pair that nobody reports about still
// starts being watched before its alert could open.
import { conflict, conflictInterval, type Mover } from '../geo/cpa.ts';
import { MoverGrid, type MoverId } from '../geo/separation.ts';
import { EARTH_RADIUS_KM } from '../geo/sphere.ts';
import type { SeparationRule } from '../arrangement/types.ts';
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

/** Slack on the reach of the pruning grid: its boxes are extrapolated on a sphere, the intervals on a plane. */
const reachKm = (km: number) => km * 1.01 + 1;

function extrapolate(m: Mover, t: number): Mover {
  const dt = t - m.t;
  if (dt === 0) return m;
  const lat = m.lat + ((m.vn * dt) / (EARTH_RADIUS_KM * 1000)) * (180 / Math.PI);
  const cos = Math.max(1e-9, Math.cos((m.lat * Math.PI) / 180));
  const lon = m.lon + ((m.ve * dt) / (EARTH_RADIUS_KM * 1000 * cos)) * (180 / Math.PI);
  return {
    lon: ((((lon + 180) % 360) + 360) % 360) - 180,
    lat: Math.max(-90, Math.min(90, lat)),
    alt: m.alt === null ? null : m.alt + m.vu * dt,
    ve: m.ve,
    vn: m.vn,
    vu: m.vu,
    t,
  };
}

export class SeparationWatch {
  private readonly sides = [new Map<string, Mover>(), new Map<string, Mover>()];
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
  /** the first side's movers and their fixes as of a sweep, while it runs */
  private readonly sweptUnits: string[] = [];
  private readonly sweptFixes: Mover[] = [];

  constructor(readonly rule: SeparationRule) {
    this.lookS = rule.lookaheadMs / 1000;
    this.periodS = Math.max(60, this.lookS);
    const opts = { horizonS: this.lookS, maxAgeS: this.periodS };
    this.grids = [new MoverGrid(opts), new MoverGrid(opts)];
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

  /** Re-files every mover in the grid from its position now, and watches the pairs that come within reach. */
  private sweep(now: number, out: SeparationChange[]): void {
    this.lastSweep = now;
    const units = this.sweptUnits;
    const fixes = this.sweptFixes;
    for (let s = 0; s < 2; s++) {
      for (const [u, m] of this.sides[s]) {
        const g = extrapolate(m, now);
        if (g !== m) this.grids[s].update(u, g);
        if (s === 0) {
          units.push(u);
          fixes.push(g);
        }
      }
    }
    for (let k = 0; k < units.length; k++) this.watch(0, units[k], fixes[k], now, out, false);
    units.length = 0;
    fixes.length = 0;
  }

  /** Computes the pairs of `unit` with the other side's movers within reach; with `exclusive`, ends its other pairs. */
  private watch(side: number, unit: string, m: Mover, now: number, out: SeparationChange[], exclusive: boolean): void {
    const found = this.found;
    found.length = 0;
    this.grids[1 - side].candidates(m, reachKm(this.rule.km), found);
    const near = exclusive ? new Set<string>() : undefined;
    const own = this.sides[side].get(unit)!;
    for (const o of found) {
      const other = o as string;
      const key = this.key(side, unit, other);
      near?.add(other);
      let p = this.pairs.get(key);
      if (p && !exclusive) continue; // already watched, its interval is exact
      const om = this.sides[1 - side].get(other)!;
      const iv = side === 0 ? conflictInterval(own, om, this.rule.km, this.rule.m) : conflictInterval(om, own, this.rule.km, this.rule.m);
      if (!iv) {
        if (p) this.drop(key, p, now, out);
        continue;
      }
      if (!p) {
        p = { a: side === 0 ? unit : other, b: side === 0 ? other : unit, from: iv.from, to: iv.to, state: NONE, version: 0 };
        this.pairs.set(key, p);
        this.link(p.a, p.b);
      }
      p.from = iv.from;
      p.to = iv.to;
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
    const m: Mover = { lon: r.lon, lat: r.lat, alt: r.alt, ve: r.velocity!.ve, vn: r.velocity!.vn, vu: r.velocity!.vu, t: r.time / 1000 };
    this.sides[side].set(unit, m);
    // The grid holds the fix as of now (an out-of-order report may be older than the clock).
    const g = extrapolate(m, now);
    this.grids[side].update(unit, g);
    this.watch(side, unit, g, now, out, true);
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
      const c = conflict(a, b, now, this.lookS, this.rule.km, this.rule.m);
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
