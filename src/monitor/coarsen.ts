// A report as someone entitled only to a coarse view reads it (the disclosure policy's
// `coarse`): its position on a grid of `position_m` metres, its time floored to
// `time_s`, and nothing that would refine either (velocity, altitude, free-text
// fields a sensor adds). What stays is what the report is about: type, id, unit,
// actor, category, status, holdings. A coarse report says so, so nobody mistakes it
// for the report the commitment is over.
import type { Coarsening } from '../policy/disclosure.ts';
import { REPORT_FIELDS, REPORT_TYPES } from './report-fields.ts';

/** Metres per degree of latitude (mean; the grid needs no better). */
const M_PER_DEG = 111_320;

const FINE = new Set(['position', 'altitude_m', 'velocity', 'time', 'window']);
/**
 * On a unit report, free text may name a place too: the sensor or filer it names
 * (`source`) and the open-source claim it relays (its quote, its link). Its grade stays:
 * what the report is worth locates nothing. An inspection's source is the observer mission.
 */
const FINE_ON_UNITS = new Set(['source', 'claim']);
/** Per report type, the fields kept as they are: those the format defines for it, less those that locate finely. */
const KEPT = new Map(
  REPORT_TYPES.map((t) => [
    t as string,
    new Set(
      REPORT_FIELDS.filter(
        (f) => f.types.includes(t) && !FINE.has(f.name) && !(t !== 'inspection' && t !== 'notification' && t !== 'ack' && FINE_ON_UNITS.has(f.name)),
      ).map((f) => f.name),
    ),
  ]),
);

function snap(x: number, step: number): number {
  // Rounded to 7 decimals so that the same cell prints the same everywhere.
  return Math.round(Math.round(x / step) * step * 1e7) / 1e7;
}

function floorTime(iso: string, stepS: number): string {
  const ms = Date.parse(iso);
  if (!Number.isFinite(ms)) return iso;
  const step = stepS * 1000;
  return new Date(Math.floor(ms / step) * step).toISOString().replace('.000Z', 'Z');
}

/** The coarse view of a report in its wire form (docs/spec/reports.md). */
export function coarsen(report: Record<string, unknown>, c: Coarsening): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const kept = KEPT.get(String(report.type)) ?? new Set(['type', 'id']);
  for (const [k, v] of Object.entries(report)) if (kept.has(k)) out[k] = v;
  if (typeof report.time === 'string') out.time = floorTime(report.time, c.time_s);
  const p = report.position;
  if (Array.isArray(p) && typeof p[0] === 'number' && typeof p[1] === 'number') {
    const lat = snap(p[1], c.position_m / M_PER_DEG);
    // Longitude on the same grid in metres at this latitude (never finer than latitude's near the poles).
    const cos = Math.max(Math.cos((lat * Math.PI) / 180), 0.01);
    out.position = [snap(p[0], c.position_m / (M_PER_DEG * cos)), lat];
  }
  const w = report.window as { from?: unknown; to?: unknown } | undefined;
  if (w && typeof w.from === 'string' && typeof w.to === 'string') out.window = { from: floorTime(w.from, c.time_s), to: floorTime(w.to, c.time_s) };
  out.coarse = { position_m: c.position_m, time_s: c.time_s };
  return out;
}
