// The running total of one actor's holdings of one asset inside one zone (or
// the count of its units there), kept per unit so that a report changes it by
// the difference, never by summing the world again.
import type { Comparison, Where } from '../arrangement/types.ts';
import type { UnitReport } from './reports.ts';

function matches(value: unknown, c: Comparison): boolean {
  if (typeof value !== 'number') return false;
  return (c.gt === undefined || value > c.gt) && (c.gte === undefined || value >= c.gte) && (c.lt === undefined || value < c.lt) && (c.lte === undefined || value <= c.lte) && (c.eq === undefined || value === c.eq);
}

export class Tally {
  sum = 0;
  private readonly by = new Map<string, number>();

  /** asset null: each unit counts one */
  constructor(
    readonly zone: number,
    readonly actor: string,
    readonly asset: string | null,
    readonly where: Where | null,
  ) {}

  /** What this unit, in this posture, adds to the total. */
  contribution(u: UnitReport, inside: Uint8Array): number {
    if (u.actor !== this.actor || !inside[this.zone]) return 0;
    if (this.asset === null) return 1;
    const n = u.holdings[this.asset];
    if (!n) return 0;
    if (this.where) {
      const a = u.attrs?.[this.asset];
      if (!a) return 0;
      for (const k in this.where) if (!matches(a[k], this.where[k])) return 0;
    }
    return n;
  }

  /** Records the unit's new contribution (0 when gone); returns whether the total changed. */
  set(unit: string, c: number): boolean {
    const old = this.by.get(unit) ?? 0;
    if (old === c) return false;
    if (c === 0) this.by.delete(unit);
    else this.by.set(unit, c);
    this.sum += c - old;
    return true;
  }

  units(): string[] {
    return [...this.by.keys()].sort();
  }
}
