// Reports in (docs/spec/reports.md): each NDJSON line is checked by hand,
// field by field, because this runs once per line of million-line streams and
// must name the field that is wrong. Unknown extra fields are allowed: sensors
// add their own, and they change nothing here. `detente check` reads lines of
// the usual shape without JSON.parse (src/check/scan.ts), to the same Report.
import { type Grade, parseGradeCode, RELIABILITIES } from '../arrangement/grade.ts';
import { parseTime } from '../arrangement/time.ts';
import { type FieldKind, fieldsOf, REPORT_TYPES, type ReportType, reportField } from './report-fields.ts';

export interface Velocity {
  ve: number;
  vn: number;
  vu: number;
}

/** An open-source claim a report relays: who published it and when (a date, or a date-time). */
export interface Claim {
  outlet: string;
  published: string;
  url?: string;
  quote?: string;
}

export interface UnitReport {
  type: Extract<ReportType, 'observation' | 'track'>;
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
  // Present only when the report gives them (docs/evidence.md): who filed it, what it is worth.
  source?: string;
  grade?: Grade;
  claim?: Claim;
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
  if (v === undefined) fail(`missing field "${k}"`, at);
  return timeOf(v, k, at);
}

function timeOf(v: unknown, k: string, at: string): number {
  if (typeof v !== 'string') fail(`"${k}" must be an RFC 3339 time string`, at);
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

/** A field's value as read: strings, numbers, the objects reports hold, or nothing. */
type Value = unknown;

/** A reader of a present value of one kind: the value, or a failure naming the field. */
type Reader = (v: unknown, name: string) => Value;

const READERS: Record<FieldKind, Reader> = {
  text: (v, name) => {
    if (typeof v !== 'string' || v === '') fail(`"${name}" must be a non-empty string`);
    return v;
  },
  time: (v, name) => timeOf(v, name, name),
  status: (v, name) => {
    if (v !== 'withdrawn' && v !== 'active') fail(`"${name}" must be "withdrawn" (or "active"), found ${JSON.stringify(v)}`);
    return v;
  },
  position: (v, name) => {
    if (!Array.isArray(v) || v.length < 2 || v.length > 3) fail(`"${name}" must be [longitude, latitude]`);
    const lon = finite(v[0], `${name}[0]`);
    const lat = finite(v[1], `${name}[1]`);
    if (lon < -180 || lon > 180) fail(`"${name}[0]": longitude ${lon} is out of range [-180, 180]`);
    if (lat < -90 || lat > 90) fail(`"${name}[1]": latitude ${lat} is out of range [-90, 90]`);
    return v;
  },
  altitude: (v, name) => (v === null ? null : finite(v, name)),
  holdings: (v, name) => {
    if (typeof v !== 'object' || v === null || Array.isArray(v)) fail(`"${name}" must be an object of asset → count`);
    for (const k in v as O) {
      const n = (v as O)[k];
      if (typeof n !== 'number' || !Number.isFinite(n) || n < 0) fail(`"${name}.${k}" must be a non-negative number`);
    }
    return v;
  },
  attrs: (v, name) => {
    if (typeof v !== 'object' || v === null || Array.isArray(v)) fail(`"${name}" must be an object of asset → attributes`);
    for (const k in v as O) {
      const x = (v as O)[k];
      if (typeof x !== 'object' || x === null || Array.isArray(x)) fail(`"${name}.${k}" must be an object of attribute → value`);
    }
    return v;
  },
  velocity: (v, name) => {
    if (typeof v !== 'object' || v === null || Array.isArray(v)) fail(`"${name}" must be { east_mps, north_mps, up_mps }`);
    const o = v as O;
    return {
      ve: finite(o.east_mps, `${name}.east_mps`),
      vn: finite(o.north_mps, `${name}.north_mps`),
      vu: o.up_mps === undefined ? 0 : finite(o.up_mps, `${name}.up_mps`),
    } satisfies Velocity;
  },
  window: (v, name) => {
    if (typeof v !== 'object' || v === null || Array.isArray(v)) fail(`"${name}" must be { from, to }`);
    const from = reqTime(v as O, 'from', `${name}.from`);
    const to = reqTime(v as O, 'to', `${name}.to`);
    if (to < from) fail(`"${name}": "to" is before "from"`);
    return [from, to];
  },
  list: (v, name) => stringList(v, name),
  grade: (v, name) => {
    if (typeof v !== 'object' || v === null || Array.isArray(v)) fail(`"${name}" must be { reliability: "A".."F", credibility: 1..6 }`);
    const o = v as O;
    for (const k in o) if (k !== 'reliability' && k !== 'credibility') fail(`"${name}.${k}": unknown key (a grade has reliability and credibility)`);
    if (typeof o.reliability !== 'string' || !(RELIABILITIES as readonly string[]).includes(o.reliability))
      fail(`"${name}.reliability" must be one of A, B, C, D, E, F (the source's reliability), found ${JSON.stringify(o.reliability)}`);
    const c = o.credibility;
    if (typeof c !== 'number' || !Number.isInteger(c) || c < 1 || c > 6)
      fail(`"${name}.credibility" must be a whole number 1 to 6 (the information's credibility), found ${JSON.stringify(c)}`);
    return { reliability: o.reliability, credibility: c } as Grade;
  },
  claim: (v, name) => {
    if (typeof v !== 'object' || v === null || Array.isArray(v)) fail(`"${name}" must be { outlet, published, url?, quote? }`);
    const o = v as O;
    for (const k in o)
      if (!['outlet', 'published', 'url', 'quote'].includes(k)) fail(`"${name}.${k}": unknown key (a claim has outlet, published, url, quote)`);
    const text = (k: string, required: boolean): string | undefined => {
      const x = o[k];
      if (x === undefined && !required) return undefined;
      if (typeof x !== 'string' || x === '') fail(x === undefined ? `missing field "${name}.${k}"` : `"${name}.${k}" must be a non-empty string`);
      return x;
    };
    const outlet = text('outlet', true)!;
    const published = text('published', true)!;
    if (!/^\d{4}-\d{2}-\d{2}$/.test(published) && parseTime(published) !== parseTime(published))
      fail(`"${name}.published": "${published}" is neither a date (2025-12-21) nor an RFC 3339 date-time`);
    const url = text('url', false);
    const quote = text('quote', false);
    const c: Claim = { outlet, published };
    if (url !== undefined) c.url = url;
    if (quote !== undefined) c.quote = quote;
    return c;
  },
  code: (v, name) => {
    const g = typeof v === 'string' ? parseGradeCode(v) : undefined;
    if (g === undefined)
      fail(
        `"${name}" must be an Admiralty code, a reliability A–F then a credibility 1–6 ("C3"), found ${JSON.stringify(v)}; or give "grade": { "reliability", "credibility" }`,
      );
    return g;
  },
};

/** How a report type reads each of its fields, worked out once from the table. */
interface Step {
  name: string;
  read: Reader;
  /** the unit's status, on which `unlessWithdrawn` fields after it depend */
  isStatus: boolean;
  required: boolean;
  unlessWithdrawn: boolean;
  missing: string;
  absent: Value;
}

/** What a field that is missing (and may be) reads as, beyond a declared default. */
const ABSENT: Partial<Record<FieldKind, Value>> = { position: null, altitude: null, holdings: null, attrs: null, velocity: null, list: null };

function stepsOf(type: ReportType): Step[] {
  return fieldsOf(type)
    .filter((f) => f.name !== 'type' && f.name !== 'id' && f.name !== 'time')
    .map((f) => ({
      name: f.name,
      read: READERS[f.kind],
      isStatus: f.kind === 'status',
      required: f.required.includes(type),
      unlessWithdrawn: f.unlessWithdrawn === true,
      missing: `missing field "${f.name}"${f.why ? ` (${f.why})` : ''}`,
      absent: f.default ?? ABSENT[f.kind],
    }));
}

/**
 * The steps of a type by name. `names` are the fields toReport's code reads for
 * it, in the order it reads them; they must be the table's, in the table's
 * order, or this module fails to load: the code cannot drift from the table.
 */
function stepsNamed<K extends string>(type: ReportType, names: readonly K[]): Record<K, Step> {
  const steps = stepsOf(type);
  const declared = steps.map((f) => f.name).join(', ');
  if (declared !== names.join(', ')) throw new Error(`toReport reads ${type} fields ${names.join(', ')}; the table declares ${declared}`);
  return Object.fromEntries(steps.map((f) => [f.name, f])) as Record<K, Step>;
}

/** A field's value: read if present, else its absent value unless it is required. */
function read(v: unknown, f: Step, withdrawn = false): Value {
  if (v === undefined) {
    if (f.required && !(f.unlessWithdrawn && withdrawn)) fail(f.missing);
    return f.absent;
  }
  return f.read(v, f.name);
}

const UNIT_FIELDS = [
  'unit',
  'actor',
  'category',
  'status',
  'position',
  'altitude_m',
  'holdings',
  'attrs',
  'velocity',
  'source',
  'grade',
  'claim',
  'reliability',
] as const;
const OBSERVATION = stepsNamed('observation', UNIT_FIELDS);
const TRACK = stepsNamed('track', UNIT_FIELDS);
const NOTIFICATION = stepsNamed('notification', ['actor', 'zone', 'window', 'units']);
const ACK = stepsNamed('ack', ['actor', 'notification']);
const INSPECTION = stepsNamed('inspection', ['source', 'zones']);
// Every type has its steps (the compiler holds this record to REPORT_TYPES).
const _EVERY_TYPE: Record<ReportType, object> = { observation: OBSERVATION, track: TRACK, notification: NOTIFICATION, ack: ACK, inspection: INSPECTION };
const ID = reportField('id');
const TIME = reportField('time');
const TYPES_TEXT = `${REPORT_TYPES.slice(0, -1).join(', ')} or ${REPORT_TYPES[REPORT_TYPES.length - 1]}`;

// Each field is read by name at its own place (o.unit, not o[name] in a loop), which
// keeps reading a stream of like reports as fast as code written out by hand.
function unitReport(o: O, type: UnitReport['type'], id: string, time: number): UnitReport {
  const S = type === 'track' ? TRACK : OBSERVATION;
  const unit = read(o.unit, S.unit) as string;
  const actor = read(o.actor, S.actor) as string;
  const category = read(o.category, S.category) as string;
  const withdrawn = read(o.status, S.status) === 'withdrawn';
  const p = read(o.position, S.position, withdrawn) as number[] | null;
  const alt = read(o.altitude_m, S.altitude_m) as number | null;
  const holdings = read(o.holdings, S.holdings) as Record<string, number> | null;
  const attrs = read(o.attrs, S.attrs) as UnitReport['attrs'];
  const velocity = read(o.velocity, S.velocity, withdrawn) as Velocity | null;
  const r: UnitReport = {
    type,
    id,
    time,
    unit,
    actor,
    category,
    withdrawn,
    lon: p === null ? NaN : p[0],
    lat: p === null ? NaN : p[1],
    alt,
    holdings: holdings ?? {},
    attrs,
    velocity,
  };
  // Most reports carry none of these: one look for all four keeps their reading off the usual path.
  if (o.source !== undefined || o.grade !== undefined || o.claim !== undefined || o.reliability !== undefined) evidenceFields(o, S, r);
  return r;
}

/** A report's source and what it is worth: `reliability: "C3"` is `grade` written short, so not both. */
function evidenceFields(o: O, S: typeof OBSERVATION, r: UnitReport): void {
  const source = read(o.source, S.source) as string | undefined;
  const grade = read(o.grade, S.grade) as Grade | undefined;
  const claim = read(o.claim, S.claim) as Claim | undefined;
  const code = read(o.reliability, S.reliability) as Grade | undefined;
  if (grade !== undefined && code !== undefined) fail('"reliability" is the grade written short: give "grade" or "reliability", not both', 'reliability');
  if (source !== undefined) r.source = source;
  if (grade !== undefined || code !== undefined) r.grade = grade ?? code;
  if (claim !== undefined) r.claim = claim;
}

/** Checks one parsed report object. Throws ReportError naming the field and the reason. */
export function toReport(v: unknown): Report {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) fail('a report must be a JSON object');
  const o = v as O;
  const type = o.type;
  if (typeof type !== 'string') fail(type === undefined ? 'missing field "type"' : '"type" must be a string');
  const id = reqString(o, ID.name);
  const time = reqTime(o, TIME.name);
  switch (type) {
    case 'observation':
    case 'track':
      return unitReport(o, type, id, time);
    case 'notification': {
      const S = NOTIFICATION;
      const actor = read(o.actor, S.actor) as string;
      const zone = read(o.zone, S.zone) as string;
      const [from, to] = read(o.window, S.window) as [number, number];
      const units = read(o.units, S.units) as string[] | null;
      return { type, id, time, actor, zone, from, to, units };
    }
    case 'ack':
      return { type, id, time, actor: read(o.actor, ACK.actor) as string, notification: read(o.notification, ACK.notification) as string };
    case 'inspection':
      return { type, id, time, source: read(o.source, INSPECTION.source) as string, zones: read(o.zones, INSPECTION.zones) as string[] };
  }
  // The switch names every type of REPORT_TYPES (_EVERY_TYPE holds them to it).
  return fail(`unknown report type ${JSON.stringify(type)} (expected ${TYPES_TEXT})`, 'type');
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
