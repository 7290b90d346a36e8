// Unit positions out of the record's reports, as a reader saw them: the last known
// position of each unit at a time, and the positions reported over a window. Times are
// the reports' own, as the reader gets them (a coarsened report's floored time), so
// which side of a boundary a report falls on says nothing finer than the reader may know.
import { parseTime } from '../../arrangement/time.ts';
import type { RecordReport } from '../core/record-reports.ts';

/** One reported position of a unit, as the reader may see it. */
export interface UnitPoint {
  unit: string;
  actor: string;
  category: string;
  time: string;
  position: [number, number];
  altitude_m?: number;
  velocity?: { east_mps: number; north_mps: number; up_mps: number };
  holdings?: Record<string, number>;
  /** the report's id */
  report: string;
  /** its record address */
  entry: number;
  n: number;
  /** set when the reader sees it only coarsened */
  coarse?: { position_m: number; time_s: number };
  /** set when the report withdrew the unit (its last position): a replay removes it from the map there */
  withdrawn?: true;
}

/** A unit report's position as a point, or undefined (not a unit report, withdrawn, no position). */
export function pointOf(r: RecordReport): UnitPoint | undefined {
  const x = r.report as Record<string, unknown>;
  if (x.type !== 'observation' && x.type !== 'track') return undefined;
  const p = x.position;
  if (!Array.isArray(p) || typeof p[0] !== 'number' || typeof p[1] !== 'number') return undefined;
  if (typeof x.unit !== 'string' || typeof x.actor !== 'string' || typeof x.time !== 'string' || typeof x.id !== 'string') return undefined;
  return {
    unit: x.unit,
    actor: x.actor,
    category: typeof x.category === 'string' ? x.category : 'army',
    time: x.time,
    position: [p[0], p[1]],
    ...(typeof x.altitude_m === 'number' ? { altitude_m: x.altitude_m } : {}),
    ...(x.velocity && typeof x.velocity === 'object' ? { velocity: x.velocity as UnitPoint['velocity'] } : {}),
    ...(x.holdings && typeof x.holdings === 'object' ? { holdings: x.holdings as Record<string, number> } : {}),
    report: x.id,
    entry: r.entry,
    n: r.n,
    ...(r.coarse ? { coarse: r.coarse } : {}),
    ...(x.status === 'withdrawn' ? { withdrawn: true as const } : {}),
  };
}

function timeOf(r: RecordReport): number {
  const t = (r.report as { time?: unknown }).time;
  return typeof t === 'string' ? parseTime(t) : Number.NaN;
}

/**
 * Each unit's last known position at `at` (ms): the latest report about it dated at or
 * before `at` (a later entry wins a tie), none if that report withdrew it. Ordered by
 * actor, then unit.
 */
export async function positionsAt(reports: AsyncIterable<RecordReport>, at: number): Promise<UnitPoint[]> {
  const last = new Map<string, { t: number; point: UnitPoint | undefined }>();
  for await (const r of reports) {
    const x = r.report as { type?: unknown; unit?: unknown; actor?: unknown; status?: unknown };
    if ((x.type !== 'observation' && x.type !== 'track') || typeof x.unit !== 'string' || typeof x.actor !== 'string') continue;
    const t = timeOf(r);
    if (!(t <= at)) continue;
    const key = `${x.actor}\0${x.unit}`;
    const was = last.get(key);
    if (was && was.t > t) continue;
    last.set(key, { t, point: x.status === 'withdrawn' ? undefined : pointOf(r) });
  }
  return [...last.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).flatMap(([, v]) => (v.point ? [v.point] : []));
}

/** Every reported position in [from, to] (ms), of one unit if given, in record order. */
export async function* tracksBetween(reports: AsyncIterable<RecordReport>, from: number, to: number, unit?: string): AsyncGenerator<UnitPoint> {
  for await (const r of reports) {
    const t = timeOf(r);
    if (!(t >= from && t <= to)) continue;
    const p = pointOf(r);
    if (!p || (unit !== undefined && p.unit !== unit)) continue;
    yield p;
  }
}
