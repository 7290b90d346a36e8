// Reports as CSV rows: fixed columns, one report per row, as the reader may see it
// (docs/csv.md). A coarsened report fills `coarse` with its grid (`5000m/3600s`) and
// has only the fields the coarse view keeps. Fields of the report format with no
// column of their own (attrs, a sensor's extra fields, a CoT device) go to `other`
// as JSON, so nothing the reader may see is dropped.
import type { Cell } from './field.ts';

export const REPORT_COLUMNS = [
  'entry',
  'n',
  'author',
  'type',
  'id',
  'time',
  'actor',
  'unit',
  'category',
  'status',
  'lon',
  'lat',
  'altitude_m',
  'east_mps',
  'north_mps',
  'up_mps',
  'holdings',
  'zone',
  'window_from',
  'window_to',
  'units',
  'notification',
  'source',
  'zones',
  'coarse',
  'sealed',
  'other',
] as const;

/** One report as a reader gets it from the record. */
export interface SeenReport {
  entry: number;
  n: number;
  /** the statement's author (who filed it) */
  author: string;
  /** the report in its wire form (docs/spec/reports.md), coarsened if `coarse` */
  report: Record<string, unknown>;
  coarse?: { position_m: number; time_s: number };
  /** the commitment the record holds instead of the report, when it is sealed */
  sealed?: string;
}

const COLUMNED = new Set([
  'type',
  'id',
  'time',
  'actor',
  'unit',
  'category',
  'status',
  'position',
  'altitude_m',
  'velocity',
  'holdings',
  'zone',
  'window',
  'units',
  'notification',
  'source',
  'zones',
  // the coarse view's own mark: the `coarse` column shows it
  'coarse',
]);

const text = (v: unknown): Cell => (typeof v === 'string' ? v : v === undefined || v === null ? undefined : JSON.stringify(v));
const num = (v: unknown): Cell => (typeof v === 'number' ? v : undefined);
const json = (v: unknown): Cell => (v === undefined ? undefined : JSON.stringify(v));

export function reportRow(s: SeenReport): Cell[] {
  const r = s.report;
  const pos = Array.isArray(r.position) ? (r.position as unknown[]) : [];
  const vel = (r.velocity ?? {}) as Record<string, unknown>;
  const win = (r.window ?? {}) as Record<string, unknown>;
  const rest = Object.keys(r).filter((k) => !COLUMNED.has(k));
  return [
    s.entry,
    s.n,
    s.author,
    text(r.type),
    text(r.id),
    text(r.time),
    text(r.actor),
    text(r.unit),
    text(r.category),
    text(r.status),
    num(pos[0]),
    num(pos[1]),
    num(r.altitude_m),
    num(vel.east_mps),
    num(vel.north_mps),
    num(vel.up_mps),
    json(r.holdings),
    text(r.zone),
    text(win.from),
    text(win.to),
    json(r.units),
    text(r.notification),
    text(r.source),
    json(r.zones),
    s.coarse ? `${s.coarse.position_m}m/${s.coarse.time_s}s` : undefined,
    s.sealed,
    rest.length ? JSON.stringify(Object.fromEntries(rest.map((k) => [k, r[k]]))) : undefined,
  ];
}
