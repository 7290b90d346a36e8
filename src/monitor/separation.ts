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
import { MoverGrid } from '../geo/separation.ts';
import { Heap } from './heap.ts';
import type { UnitReport } from './reports.ts';

const NONE = 0;
const ALERT = 1;
const LOSS = 2;

/** A moving unit of one side, as the watch holds it: its track and its pairs, by the other unit. */
interface Unit {
  readonly id: string;
  k: Track;
  readonly pairs: Map<Unit, Pair>;
}

interface Pair {
  /** the first side's unit, the second side's */
  a: Unit;
  b: Unit;
  from: number;
  to: number;
  state: number;
  /** bumped when the interval changes or the pair ends, so that queued changes of before are ignored */
  version: number;
  /** the update that last saw it within reach */
  mark: number;
}

interface Change {
  at: number;
  seq: number;
  pair: Pair;
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
  private readonly sides = [new Map<string, Unit>(), new Map<string, Unit>()];
  private readonly grids = [new MoverGrid<Unit>(), new MoverGrid<Unit>()];
  private readonly periodS: number;
  private lastSweep = -Infinity;
  private readonly found: Unit[] = [];
  private readonly changes = new Heap<Change>();
  private seq = 0;
  private mark = 0;
  private readonly lookS: number;
  /** the first side's units as of a sweep, while it runs */
  private readonly sweptUnits: Unit[] = [];
  /** the pair computation's output, reused */
  private readonly pm = new PairMotion();
  private readonly kmM: number;

  constructor(readonly rule: SeparationRule) {
    this.lookS = rule.lookaheadMs / 1000;
    // A sweep costs about a report from every unit; a shorter period keeps each
    // extent's window (period + lookahead) short, and so the grid's boxes tight.
    this.periodS = Math.max(60, this.lookS / 5);
    this.kmM = rule.km * 1000;
  }

  /**
   * The end of the window the grid's extents cover: states are judged at times
   * before the next sweep (lastSweep + period), each looking ahead lookahead.
   */
  private get windowEnd(): number {
    return this.lastSweep + this.periodS + this.lookS;
  }

  /** Ends the pair (closing what is open) and forgets it. */
  private drop(p: Pair, now: number, out: SeparationChange[]): void {
    this.transition(p, NONE, now, out);
    this.forget(p);
  }

  private forget(p: Pair): void {
    p.a.pairs.delete(p.b);
    p.b.pairs.delete(p.a);
    p.version++;
  }

  /** Re-files every track in the grid with a window from now, and watches the pairs that come within reach. */
  private sweep(now: number, out: SeparationChange[]): void {
    this.lastSweep = now;
    const end = this.windowEnd;
    const units = this.sweptUnits;
    for (let s = 0; s < 2; s++) {
      for (const u of this.sides[s].values()) {
        this.grids[s].update(u, u.k, now, end);
        if (s === 0) units.push(u);
      }
    }
    for (let n = 0; n < units.length; n++) this.watch(0, units[n], now, out, false);
    units.length = 0;
  }

  /**
   * Computes the pairs of `unit` with the other side's tracks within reach. With
   * `exclusive` (its track changed) every pair of it is recomputed, and those out
   * of reach end: they cannot be in conflict before the next sweep.
   */
  private watch(side: number, unit: Unit, now: number, out: SeparationChange[], exclusive: boolean): void {
    const found = this.found;
    found.length = 0;
    this.grids[1 - side].candidates(unit.k, now, this.windowEnd, this.rule.km, this.rule.m, found);
    const pm = this.pm;
    const mark = ++this.mark;
    // A state can only be judged before the next sweep, which finds the pairs whose alert comes later.
    const before = this.lastSweep + this.periodS;
    for (let n = 0; n < found.length; n++) {
      const other = found[n];
      let p = unit.pairs.get(other);
      if (p && !exclusive) continue; // already watched, its interval is exact
      const a = side === 0 ? unit : other,
        b = side === 0 ? other : unit;
      if (!pairConflict(a.k, b.k, this.kmM, this.rule.m, pm) || !(pm.from - this.lookS < before && pm.to >= now)) continue;
      if (!p) {
        p = { a, b, from: pm.from, to: pm.to, state: NONE, version: 0, mark };
        a.pairs.set(b, p);
        b.pairs.set(a, p);
      }
      p.from = pm.from;
      p.to = pm.to;
      p.version++;
      p.mark = mark;
      this.settle(p, now, out);
    }
    if (exclusive) for (const p of unit.pairs.values()) if (p.mark !== mark) this.drop(p, now, out);
  }

  /** Takes a unit's new posture (null when it is gone); returns the pair transitions at `nowMs`. */
  update(unit: string, r: UnitReport | null, nowMs: number, out: SeparationChange[]): void {
    const now = nowMs / 1000;
    let side = -1;
    if (r && !r.withdrawn && r.velocity) side = r.actor === this.rule.between[0] ? 0 : r.actor === this.rule.between[1] ? 1 : -1;
    // The unit's old track goes before a sweep falling due now could judge a pair by it:
    // a sweep first would open an alert on the old track that the new one closes at once.
    for (let s = 0; s < 2; s++) {
      const u = s === side ? undefined : this.sides[s].get(unit);
      if (u === undefined) continue;
      this.sides[s].delete(unit);
      this.grids[s].remove(u);
      for (const p of u.pairs.values()) this.drop(p, now, out);
    }
    let u: Unit | undefined;
    let k: Track | undefined;
    if (side >= 0 && r) {
      const v = r.velocity!;
      // The track moves from its own fix, which may be older than the clock (an out-of-order report).
      k = track({ lon: r.lon, lat: r.lat, alt: r.alt, ve: v.ve, vn: v.vn, vu: v.vu, t: r.time / 1000 });
      u = this.sides[side].get(unit);
      if (u === undefined) this.sides[side].set(unit, (u = { id: unit, k, pairs: new Map() }));
      else u.k = k;
    }
    // A sweep files the new track with the others; pairs it already had are recomputed below.
    if (now >= this.lastSweep + this.periodS) this.sweep(now, out);
    if (u === undefined || k === undefined) return;
    this.grids[side].update(u, k, now, this.windowEnd);
    this.watch(side, u, now, out, true);
  }

  /** Applies the state changes that time has brought by `nowMs`. */
  advance(nowMs: number, out: SeparationChange[]): void {
    const now = nowMs / 1000;
    if (now >= this.lastSweep + this.periodS) this.sweep(now, out);
    for (let c = this.changes.peek(); c && c.at <= now; c = this.changes.peek()) {
      this.changes.pop();
      if (c.pair.version === c.version) this.settle(c.pair, now, out);
    }
  }

  private stateAt(p: Pair, now: number): number {
    if (now >= p.from && now <= p.to) return LOSS;
    if (now < p.from && now >= p.from - this.lookS) return ALERT;
    return NONE;
  }

  private settle(p: Pair, now: number, out: SeparationChange[]): void {
    this.transition(p, this.stateAt(p, now), now, out);
    // The next instant at which the state can change, if any.
    let next = Infinity;
    if (now < p.from - this.lookS) next = p.from - this.lookS;
    else if (now < p.from) next = p.from;
    else if (now <= p.to) next = p.to + 1e-6;
    if (next !== Infinity) this.changes.push({ at: next, seq: this.seq++, pair: p, version: p.version });
    else if (p.state === NONE) this.forget(p);
  }

  private transition(p: Pair, state: number, now: number, out: SeparationChange[]): void {
    if (state === p.state) return;
    const units: [string, string] = [p.a.id, p.b.id];
    if (p.state !== NONE) out.push({ finding: p.state === LOSS ? 'loss' : 'separation', state: 'closed', units });
    if (state !== NONE) {
      const c = pairConflict(p.a.k, p.b.k, this.kmM, this.rule.m, this.pm) ? clip(this.pm, now, now + this.lookS) : null;
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
