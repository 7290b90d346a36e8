// Reports as they arrive over HTTP: one object or an array, each checked like a
// line of `detente check`, all of it before anything is written, so a bad batch
// leaves nothing behind. Then grouped into statements that fit a record entry.
import { formatTime } from '../arrangement/time.ts';
import { toReport, ReportError, type Report } from '../monitor/reports.ts';
import type { JsonObject } from '../record/canonical.ts';
import { MAX_ENTRY_BYTES } from '../record/statement.ts';

export interface FieldIssue {
  path: string;
  message: string;
}

export interface Intake {
  reports: Report[];
  raw: JsonObject[];
  /** whether they came as an array */
  batch: boolean;
}

export class IntakeError extends Error {
  constructor(
    readonly issues: FieldIssue[],
    /** 400, or 413 for a report too big for a record entry */
    readonly status = 400,
  ) {
    super(issues.length === 1 ? `${issues[0].path || '(body)'}: ${issues[0].message}` : `${issues.length} reports are not valid`);
  }
}

function join(prefix: string, field: string | undefined): string {
  if (!field) return prefix;
  return prefix ? `${prefix}.${field}` : field;
}

/** The most reports one request may carry; bigger batches are split by the client. */
export const MAX_BATCH = 10_000;

/** What a report may refer to, and when it may be dated, where it is received. */
export interface References {
  /** the arrangement in force's actor ids */
  actors: ReadonlySet<string> | ReadonlyMap<string, unknown>;
  /** the arrangement in force's zone ids */
  zones: ReadonlySet<string> | ReadonlyMap<string, unknown>;
  /** whether an earlier report with this id was a notification (one in the same request counts too) */
  notification(id: string): boolean;
  /** the latest time a report may carry (epoch ms): when it was received, plus the tolerance */
  latest: number;
}

/** The default of the arrangement's reports.future_tolerance. */
export const FUTURE_TOLERANCE_MS = 5 * 60_000;

/** What in a well-formed report names something this arrangement does not know, or a time not yet come. */
function referenceIssue(r: Report, ctx: References, batchNotes: ReadonlySet<string>): { field: string; message: string } | undefined {
  if (r.time > ctx.latest)
    return { field: 'time', message: `is after the server's clock (${formatTime(ctx.latest)}, tolerance included): a report tells what has happened` };
  if ('actor' in r && !ctx.actors.has(r.actor)) return { field: 'actor', message: `no actor "${r.actor}" in the arrangement` };
  if (r.type === 'notification' && !ctx.zones.has(r.zone)) return { field: 'zone', message: `no zone "${r.zone}" in the arrangement in force` };
  if (r.type === 'inspection') {
    const i = r.zones.findIndex((z) => !ctx.zones.has(z));
    if (i >= 0) return { field: `zones[${i}]`, message: `no zone "${r.zones[i]}" in the arrangement in force` };
  }
  if (r.type === 'ack' && !batchNotes.has(r.notification) && !ctx.notification(r.notification))
    return { field: 'notification', message: `no notification "${r.notification}" was reported` };
  return undefined;
}

/**
 * Checks reports that passed takeReports against what they refer to: the arrangement's
 * actors and zones, earlier notifications, and the server's clock. Separate, so that
 * who may file a report is asked first and a refused caller learns nothing of the rest.
 */
export function checkReferences(intake: Intake, ctx: References, base = ''): void {
  const issues: FieldIssue[] = [];
  const notes = new Set<string>();
  intake.reports.forEach((r, i) => {
    const bad = referenceIssue(r, ctx, notes);
    if (bad && issues.length < 100) issues.push({ path: join(intake.batch ? `${base}[${i}]` : base, bad.field), message: bad.message });
    if (r.type === 'notification') notes.add(r.id);
  });
  if (issues.length) throw new IntakeError(issues);
}

/**
 * Checks a report or an array of them, each on its own. `seen` tells whether a report
 * id is already known (in the engine or on its way there); `base` is where the reports
 * sit in the request ("" for the body itself).
 */
export function takeReports(body: unknown, seen: (id: string) => boolean, base = ''): Intake {
  const batch = Array.isArray(body);
  const items: unknown[] = batch ? body : [body];
  const where = (i: number) => (batch ? `${base}[${i}]` : base);
  if (batch && items.length === 0) throw new IntakeError([{ path: base, message: 'an empty array holds no report' }]);
  if (items.length > MAX_BATCH) throw new IntakeError([{ path: base, message: `at most ${MAX_BATCH} reports per request` }]);
  const issues: FieldIssue[] = [];
  const reports: Report[] = [];
  const ids = new Set<string>();
  items.forEach((item, i) => {
    const at = where(i);
    try {
      const r = toReport(item);
      if (seen(r.id) || ids.has(r.id)) issues.push({ path: join(at, 'id'), message: `duplicate report id "${r.id}"` });
      ids.add(r.id);
      reports.push(r);
    } catch (e) {
      if (!(e instanceof ReportError)) throw e;
      issues.push({ path: join(at, e.field), message: e.message });
    }
    if (issues.length >= 100) throw new IntakeError(issues);
  });
  if (issues.length) throw new IntakeError(issues);
  return { reports, raw: items as JsonObject[], batch };
}

// A statement's envelope, signature and key take about 400 bytes of an entry; the rest
// of MAX_ENTRY_BYTES, less a margin for the received time and the index, is the body's.
const BODY_BUDGET = MAX_ENTRY_BYTES - 4 * 1024;

export interface EntryGroup {
  from: number;
  to: number;
  /** canonical text of the statement body: the item itself, or { "reports": [...] } */
  bodyText: string;
}

/**
 * Splits body items (reports, or their commitments) into groups whose statement bodies
 * fit one record entry each. `itemTexts` are the items' canonical texts (what is signed);
 * `reportTexts` the reports' own, each of which must fit an entry whether sealed or not.
 */
export function groupForEntries(itemTexts: readonly string[], reportTexts: readonly string[], single: boolean): EntryGroup[] {
  reportTexts.forEach((t, i) => {
    const n = Buffer.byteLength(t) + 1;
    if (n > BODY_BUDGET)
      throw new IntakeError([{ path: single ? '' : `[${i}]`, message: `report is ${n} bytes; a report must fit a record entry (${BODY_BUDGET} bytes)` }], 413);
  });
  // One report posted alone is its statement's whole body, not a list of one.
  if (single) return [{ from: 0, to: 1, bodyText: itemTexts[0] }];
  const groups: EntryGroup[] = [];
  const close = (from: number, to: number) => groups.push({ from, to, bodyText: `{"reports":[${itemTexts.slice(from, to).join(',')}]}` });
  let from = 0;
  let bytes = 0;
  itemTexts.forEach((t, i) => {
    const n = Buffer.byteLength(t) + 1;
    if (bytes + n > BODY_BUDGET) {
      close(from, i);
      from = i;
      bytes = 0;
    }
    bytes += n;
  });
  close(from, itemTexts.length);
  return groups;
}
