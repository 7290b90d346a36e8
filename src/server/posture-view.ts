// Units as clients see them: where, what, how fast, as of which report.
import type { UnitReport } from '../monitor/reports.ts';
import { formatTime } from '../arrangement/time.ts';

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
