// Separation between two actors' moving units. Each pair's conflict — the
// times at which both minima are broken, extrapolating each unit at constant
// velocity from its own report — is an interval fixed until one of the two
// reports again. So it is computed once per report, and the times at which the
// pair's state changes as the clock moves (alert opens at `from − lookahead`,
// loss at `from`, clears after `to`) are queued rather than polled.
import { conflict, conflictInterval, type Mover } from '../geo/cpa.ts';
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

interface Change { at: number; seq: number; key: string; version: number }

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
  private readonly sides = [new Map<string, Mover>(), new Map<string, Mover>()];
  private readonly pairs = new Map<string, Pair>();
  private readonly changes = new Heap<Change>();
  private seq = 0;
  private readonly lookS: number;

  constructor(readonly rule: SeparationRule) {
    this.lookS = rule.lookaheadMs / 1000;
  }

  /** Takes a unit's new posture (null when it is gone); returns the pair transitions at `nowMs`. */
  update(unit: string, r: UnitReport | null, nowMs: number, out: SeparationChange[]): void {
    const now = nowMs / 1000;
    let side = -1;
    if (r && !r.withdrawn && r.velocity) side = r.actor === this.rule.between[0] ? 0 : r.actor === this.rule.between[1] ? 1 : -1;
    for (let s = 0; s < 2; s++) {
      if (s !== side && this.sides[s].delete(unit)) {
        // Every pair this unit was in ends.
        for (const other of this.sides[1 - s].keys()) {
          const key = s === 0 ? unit + '\0' + other : other + '\0' + unit;
          const p = this.pairs.get(key);
          if (p) {
            this.transition(p, NONE, now, out);
            this.pairs.delete(key);
          }
        }
      }
    }
    if (side < 0 || !r) return;
    const m: Mover = { lon: r.lon, lat: r.lat, alt: r.alt, ve: r.velocity!.ve, vn: r.velocity!.vn, vu: r.velocity!.vu, t: r.time / 1000 };
    this.sides[side].set(unit, m);
    for (const [other, om] of this.sides[1 - side]) {
      const a = side === 0 ? unit : other;
      const b = side === 0 ? other : unit;
      const key = a + '\0' + b;
      const iv = side === 0 ? conflictInterval(m, om, this.rule.km, this.rule.m) : conflictInterval(om, m, this.rule.km, this.rule.m);
      let p = this.pairs.get(key);
      if (!iv) {
        if (p) {
          this.transition(p, NONE, now, out);
          this.pairs.delete(key);
        }
        continue;
      }
      if (!p) {
        p = { a, b, from: iv.from, to: iv.to, state: NONE, version: 0 };
        this.pairs.set(key, p);
      }
      p.from = iv.from;
      p.to = iv.to;
      p.version++;
      this.settle(key, p, now, out);
    }
  }

  /** Applies the state changes that time has brought by `nowMs`. */
  advance(nowMs: number, out: SeparationChange[]): void {
    const now = nowMs / 1000;
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
    else if (p.state === NONE) this.pairs.delete(key);
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
