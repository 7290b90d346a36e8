// Reports in (docs/spec/reports.md): each NDJSON line is checked by hand,
// field by field, because this runs once per line of million-line streams and
// must name the field that is wrong. Unknown extra fields are allowed: sensors
// add their own, and they change nothing here. `detente check` reads lines of
// the usual shape without JSON.parse (src/check/scan.ts), to the same Report.
import { parseTime } from '../arrangement/time.ts';

export interface Velocity {
  ve: number;
  vn: number;
  vu: number;
}

export interface UnitReport {
  type: 'observation' | 'track';
  id: string;
  time: number;
  unit: string;
  actor: string;
  category: string;
  withdrawn: boolean;
  lon: number;
  lat: number;
  alt: number | null;
  holdings: Record<string, number>;
  attrs: Record<string, Record<string, unknown>> | null;
  velocity: Velocity | null;
}
export interface NotificationReport {
  type: 'notification';
  id: string;
  time: number;
  actor: string;
  zone: string;
  from: number;
  to: number;
  units: string[] | null;
}
export interface AckReport {
  type: 'ack';
  id: string;
  time: number;
  actor: string;
  notification: string;
}
export interface InspectionReport {
  type: 'inspection';
  id: string;
  time: number;
  source: string;
  zones: string[];
}

export type Report = UnitReport | NotificationReport | AckReport | InspectionReport;

/** A report that cannot be used: why, and the path of the field at fault if one is (e.g. "position[0]"). */
export class ReportError extends Error {
  constructor(
    message: string,
    readonly field?: string,
  ) {
    super(message);
  }
}

type O = Record<string, unknown>;

// Every message names its field first, quoted ("holdings.tanks" must be …, or missing
// field "unit"), so the field is read off the message unless a caller knows better.
function fail(msg: string, field = /^(?:missing field )?"([A-Za-z_][\w.[\]]*)"/.exec(msg)?.[1]): never {
  throw new ReportError(msg, field);
}

function reqString(o: O, k: string): string {
  const v = o[k];
  if (typeof v !== 'string' || v === '') fail(v === undefined ? `missing field "${k}"` : `"${k}" must be a non-empty string`);
  return v;
}

/** `at` is the field's path in the report, where it is nested (window.from). */
function reqTime(o: O, k: string, at = k): number {
  const v = o[k];
  if (typeof v !== 'string') fail(v === undefined ? `missing field "${k}"` : `"${k}" must be an RFC 3339 time string`, at);
  const t = parseTime(v);
  if (t !== t) fail(`"${k}": "${v}" is not an RFC 3339 date-time`, at);
  return t;
}

function finite(v: unknown, name: string): number {
  if (typeof v !== 'number' || !Number.isFinite(v)) fail(`"${name}" must be a finite number`);
  return v;
}

function stringList(v: unknown, name: string): string[] {
  if (!Array.isArray(v)) fail(`"${name}" must be a list of strings`);
  for (let i = 0; i < v.length; i++) if (typeof v[i] !== 'string') fail(`"${name}[${i}]" must be a string`);
  return v as string[];
}

function unitReport(o: O, type: 'observation' | 'track', id: string, time: number): UnitReport {
  const unit = reqString(o, 'unit');
  const actor = reqString(o, 'actor');
  const category = o.category === undefined ? 'army' : reqString(o, 'category');
  const status = o.status;
  if (status !== undefined && status !== 'withdrawn' && status !== 'active')
    fail(`"status" must be "withdrawn" (or "active"), found ${JSON.stringify(status)}`);
  const withdrawn = status === 'withdrawn';
  let lon = NaN;
  let lat = NaN;
  const p = o.position;
  if (p !== undefined || !withdrawn) {
    if (!Array.isArray(p) || p.length < 2 || p.length > 3) fail(p === undefined ? 'missing field "position"' : '"position" must be [longitude, latitude]');
    lon = finite(p[0], 'position[0]');
    lat = finite(p[1], 'position[1]');
    if (lon < -180 || lon > 180) fail(`"position[0]": longitude ${lon} is out of range [-180, 180]`);
    if (lat < -90 || lat > 90) fail(`"position[1]": latitude ${lat} is out of range [-90, 90]`);
  }
  const alt = o.altitude_m === undefined || o.altitude_m === null ? null : finite(o.altitude_m, 'altitude_m');
  let holdings: Record<string, number> = {};
  if (o.holdings !== undefined) {
    const h = o.holdings;
    if (typeof h !== 'object' || h === null || Array.isArray(h)) fail('"holdings" must be an object of asset → count');
    for (const k in h as O) {
      const n = (h as O)[k];
      if (typeof n !== 'number' || !Number.isFinite(n) || n < 0) fail(`"holdings.${k}" must be a non-negative number`);
    }
    holdings = h as Record<string, number>;
  }
  let attrs: UnitReport['attrs'] = null;
  if (o.attrs !== undefined) {
    const a = o.attrs;
    if (typeof a !== 'object' || a === null || Array.isArray(a)) fail('"attrs" must be an object of asset → attributes');
    for (const k in a as O) {
      const v = (a as O)[k];
      if (typeof v !== 'object' || v === null || Array.isArray(v)) fail(`"attrs.${k}" must be an object of attribute → value`);
    }
    attrs = a as UnitReport['attrs'];
  }
  let velocity: Velocity | null = null;
  if (o.velocity !== undefined) {
    const v = o.velocity as O;
    if (typeof v !== 'object' || v === null || Array.isArray(v)) fail('"velocity" must be { east_mps, north_mps, up_mps }');
    velocity = {
      ve: finite(v.east_mps, 'velocity.east_mps'),
      vn: finite(v.north_mps, 'velocity.north_mps'),
      vu: v.up_mps === undefined ? 0 : finite(v.up_mps, 'velocity.up_mps'),
    };
  } else if (type === 'track' && !withdrawn) {
    fail('missing field "velocity" (a track carries velocity)');
  }
  return { type, id, time, unit, actor, category, withdrawn, lon, lat, alt, holdings, attrs, velocity };
}

/** Checks one parsed report object. Throws ReportError naming the field and the reason. */
export function toReport(v: unknown): Report {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) fail('a report must be a JSON object');
  const o = v as O;
  const type = o.type;
  if (typeof type !== 'string') fail(type === undefined ? 'missing field "type"' : '"type" must be a string');
  const id = reqString(o, 'id');
  const time = reqTime(o, 'time');
  switch (type) {
    case 'observation':
    case 'track':
      return unitReport(o, type, id, time);
    case 'notification': {
      const actor = reqString(o, 'actor');
      const zone = reqString(o, 'zone');
      const w = o.window as O;
      if (typeof w !== 'object' || w === null || Array.isArray(w)) fail(w === undefined ? 'missing field "window"' : '"window" must be { from, to }');
      const from = reqTime(w, 'from', 'window.from');
      const to = reqTime(w, 'to', 'window.to');
      if (to < from) fail('"window": "to" is before "from"');
      const units = o.units === undefined ? null : stringList(o.units, 'units');
      return { type, id, time, actor, zone, from, to, units };
    }
    case 'ack':
      return { type, id, time, actor: reqString(o, 'actor'), notification: reqString(o, 'notification') };
    case 'inspection': {
      const source = reqString(o, 'source');
      if (o.zones === undefined) fail('missing field "zones"');
      return { type, id, time, source, zones: stringList(o.zones, 'zones') };
    }
    default:
      fail(`unknown report type ${JSON.stringify(type)} (expected observation, track, notification, ack or inspection)`);
  }
}

/** JSON.parse, then toReport: the way any line can be read, and the one for lines the scanner leaves. */
export function parseReportByJson(line: string): Report {
  let v: unknown;
  try {
    v = JSON.parse(line);
  } catch (e) {
    fail(`not valid JSON: ${(e as Error).message}`);
  }
  return toReport(v);
}
