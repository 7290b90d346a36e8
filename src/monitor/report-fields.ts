// The report format (docs/spec/reports.md), declared once: every top-level field
// a report type reads, what kind of value it holds, which types carry it and
// when it is required. reports.ts checks parsed reports from this table and
// src/check/scan.ts derives its field table from it, so a change to the format
// is made here and both readers follow.

export const REPORT_TYPES = ['observation', 'track', 'notification', 'ack', 'inspection'] as const;
export type ReportType = (typeof REPORT_TYPES)[number];

const UNIT_TYPES = ['observation', 'track'] as const;

/**
 * How a field's value is read. The first three are JSON strings (the scanner
 * keeps where their text is); the rest have readers of their own.
 *   text       a non-empty string
 *   time       an RFC 3339 date-time string
 *   status     "withdrawn" or "active"
 *   position   [longitude, latitude] (a third number allowed, not used), in range
 *   altitude   a finite number, or null for none
 *   holdings   an object of asset → non-negative finite number
 *   attrs      an object of asset → object of attribute → value
 *   velocity   { east_mps, north_mps, up_mps? }, finite numbers
 *   window     { from, to }, RFC 3339 date-times, to not before from
 *   list       a list of strings
 *   grade      { reliability: "A".."F", credibility: 1..6 } (the Admiralty code)
 *   claim      { outlet, published, url?, quote? }: an open-source claim
 *   code       an Admiralty code as one string, "C3": a grade written short
 */
export type FieldKind =
  | 'text'
  | 'time'
  | 'status'
  | 'position'
  | 'altitude'
  | 'holdings'
  | 'attrs'
  | 'velocity'
  | 'window'
  | 'list'
  | 'grade'
  | 'claim'
  | 'code';

/** The kinds whose value is a JSON string. */
export const STRING_KINDS: readonly FieldKind[] = ['text', 'time', 'status'];

export interface ReportField {
  readonly name: string;
  readonly kind: FieldKind;
  /** the report types that read this field (others ignore it, as any unknown field) */
  readonly types: readonly ReportType[];
  /** the types on which a report without it is refused */
  readonly required: readonly ReportType[];
  /** a withdrawn unit needs it even so? (a withdrawn unit has no position or velocity) */
  readonly unlessWithdrawn?: true;
  /** said after `missing field "name"` */
  readonly why?: string;
  /** the value when it is missing (and not required) */
  readonly default?: string;
}

/**
 * In the order reports.ts checks them, so that a report with several faults is
 * refused for the same one every time.
 */
export const REPORT_FIELDS: readonly ReportField[] = [
  { name: 'type', kind: 'text', types: REPORT_TYPES, required: REPORT_TYPES },
  { name: 'id', kind: 'text', types: REPORT_TYPES, required: REPORT_TYPES },
  { name: 'time', kind: 'time', types: REPORT_TYPES, required: REPORT_TYPES },
  { name: 'unit', kind: 'text', types: UNIT_TYPES, required: UNIT_TYPES },
  { name: 'actor', kind: 'text', types: [...UNIT_TYPES, 'notification', 'ack'], required: [...UNIT_TYPES, 'notification', 'ack'] },
  { name: 'category', kind: 'text', types: UNIT_TYPES, required: [], default: 'army' },
  { name: 'status', kind: 'status', types: UNIT_TYPES, required: [] },
  { name: 'position', kind: 'position', types: UNIT_TYPES, required: UNIT_TYPES, unlessWithdrawn: true },
  { name: 'altitude_m', kind: 'altitude', types: UNIT_TYPES, required: [] },
  { name: 'holdings', kind: 'holdings', types: UNIT_TYPES, required: [] },
  { name: 'attrs', kind: 'attrs', types: UNIT_TYPES, required: [] },
  { name: 'velocity', kind: 'velocity', types: UNIT_TYPES, required: ['track'], unlessWithdrawn: true, why: 'a track carries velocity' },
  { name: 'zone', kind: 'text', types: ['notification'], required: ['notification'] },
  { name: 'window', kind: 'window', types: ['notification'], required: ['notification'] },
  { name: 'units', kind: 'list', types: ['notification'], required: [] },
  { name: 'notification', kind: 'text', types: ['ack'], required: ['ack'] },
  { name: 'source', kind: 'text', types: [...UNIT_TYPES, 'inspection'], required: ['inspection'] },
  { name: 'zones', kind: 'list', types: ['inspection'], required: ['inspection'] },
  // What a unit report is worth as evidence (docs/evidence.md): its grade, or the
  // open-source claim it relays; `reliability` is the grade written short ("C3").
  { name: 'grade', kind: 'grade', types: UNIT_TYPES, required: [] },
  { name: 'claim', kind: 'claim', types: UNIT_TYPES, required: [] },
  { name: 'reliability', kind: 'code', types: UNIT_TYPES, required: [] },
];

/** The field named `name`; throws for a name the format does not have, so a typo fails at load. */
export function reportField(name: string): ReportField {
  const f = REPORT_FIELDS.find((x) => x.name === name);
  if (f === undefined) throw new Error(`no report field "${name}"`);
  return f;
}

/** The fields a report of this type reads, in checking order. */
export function fieldsOf(type: ReportType): readonly ReportField[] {
  return REPORT_FIELDS.filter((f) => f.types.includes(type));
}
