// Units as clients see them: where, what, how fast, as of which report.
import type { UnitReport } from '../monitor/reports.ts';
import { formatTime } from '../arrangement/time.ts';
import { coarsen } from '../monitor/coarsen.ts';
import type { Coarsening } from '../policy/disclosure.ts';

export interface UnitView {
  unit: string;
  actor: string;
  category: string;
  position: [number, number];
  altitude_m?: number;
  holdings: Record<string, number>;
  velocity?: { east_mps: number; north_mps: number; up_mps: number };
  time: string;
  report: string;
  /** set when the reader sees the unit only coarsened (the disclosure policy's `coarse`) */
  coarse?: Coarsening;
}

/** GET …/posture: every present unit the caller may see; `time` is null before any report. */
export interface PostureView {
  time: string | null;
  units: UnitView[];
}

/** A unit gone from the posture, in a `posture` event. */
export interface WithdrawnUnit {
  unit: string;
  actor: string;
  withdrawn: true;
}

/** The data of a `posture` event: only the units that changed since the last one. */
export interface PostureChange {
  time: string;
  units: (UnitView | WithdrawnUnit)[];
}

export function unitView(r: UnitReport): UnitView {
  return {
    unit: r.unit,
    actor: r.actor,
    category: r.category,
    position: [r.lon, r.lat],
    ...(r.alt !== null ? { altitude_m: r.alt } : {}),
    holdings: r.holdings,
    ...(r.velocity ? { velocity: { east_mps: r.velocity.ve, north_mps: r.velocity.vn, up_mps: r.velocity.vu } } : {}),
    time: formatTime(r.time),
    report: r.id,
  };
}

/** A unit as a reader entitled only to a coarse view sees it: position and time on the policy's grid, nothing finer. */
export function coarseUnitView(v: UnitView, c: Coarsening): UnitView {
  const rough = coarsen({ type: 'track', id: v.report, time: v.time, position: v.position }, c) as { time: string; position: [number, number] };
  return { unit: v.unit, actor: v.actor, category: v.category, position: rough.position, holdings: v.holdings, time: rough.time, report: v.report, coarse: c };
}
