// The running total of one actor's holdings of one asset inside one zone (or
// the count of its units there), kept per unit so that a report changes it by
// the difference, never by summing the world again.
import type { Comparison, Where } from '../arrangement/types.ts';
import type { UnitReport } from './reports.ts';

function matches(value: unknown, c: Comparison): boolean {
  if (typeof value !== 'number') return false;
  return (
    (c.gt === undefined || value > c.gt) &&
    (c.gte === undefined || value >= c.gte) &&
    (c.lt === undefined || value < c.lt) &&
    (c.lte === undefined || value <= c.lte) &&
    (c.eq === undefined || value === c.eq)
  );
}

export class Tally {
  sum = 0;
  /** units contributing more than zero; the amounts live with each unit (see Monitor) */
  private readonly members = new Set<string>();

  /** asset null: each unit counts one. `slot` indexes this tally in every unit's contribution array. */
  constructor(
    readonly slot: number,
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

  /** Moves the unit's contribution from `old` to `c`; returns whether the total changed. */
  move(unit: string, old: number, c: number): boolean {
    if (old === c) return false;
    if (old === 0) this.members.add(unit);
    else if (c === 0) this.members.delete(unit);
    this.sum += c - old;
    return true;
  }

  units(): string[] {
    return [...this.members].sort();
  }
}
