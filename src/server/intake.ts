// Reports as they arrive over HTTP: one object or an array, each checked like a
// line of `detente check`, all of it before anything is written, so a bad batch
// leaves nothing behind. Then grouped into statements that fit a record entry.
import { toReport, ReportError, type Report } from '../monitor/reports.ts';
import { canonicalJson, type JsonObject } from '../record/canonical.ts';

export interface FieldIssue {
  path: string;
  message: string;
}

export interface Intake {
  reports: Report[];
  raw: JsonObject[];
}

export class IntakeError extends Error {
  constructor(readonly issues: FieldIssue[]) {
    super(issues.length === 1 ? `${issues[0].path || '(body)'}: ${issues[0].message}` : `${issues.length} reports are not valid`);
  }
}

function join(prefix: string, field: string | undefined): string {
  if (!field) return prefix;
  return prefix ? `${prefix}.${field}` : field;
}

/** The most reports one request may carry; bigger batches are split by the client. */
export const MAX_BATCH = 10_000;

/**
 * Checks a request body: a report or an array of them. `seen` tells whether a report
 * id is already known (in the engine or on its way there).
 */
export function takeReports(body: unknown, seen: (id: string) => boolean): Intake {
  const batch = Array.isArray(body);
  const items: unknown[] = batch ? body : [body];
  if (batch && items.length === 0) throw new IntakeError([{ path: '', message: 'an empty array holds no report' }]);
  if (items.length > MAX_BATCH) throw new IntakeError([{ path: '', message: `at most ${MAX_BATCH} reports per request` }]);
  const issues: FieldIssue[] = [];
  const reports: Report[] = [];
  const ids = new Set<string>();
  items.forEach((item, i) => {
    const at = batch ? `[${i}]` : '';
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
  return { reports, raw: items as JsonObject[] };
}

// A statement's envelope, signature and key take about 400 bytes of an entry's 64 KiB.
const BODY_BUDGET = 60 * 1024;

export interface EntryGroup {
  from: number;
  to: number;
  /** canonical text of the statement body: the report itself, or { "reports": [...] } */
  bodyText: string;
}

/**
 * Splits reports into groups whose statement bodies fit one record entry each. Each
 * report is canonicalised once: that sizes the groups and is the text that is signed.
 */
export function groupForEntries(raw: JsonObject[], single: boolean): EntryGroup[] {
  const texts = raw.map((r) => canonicalJson(r));
  if (single) return [{ from: 0, to: 1, bodyText: texts[0] }];
  const groups: EntryGroup[] = [];
  const close = (from: number, to: number) => groups.push({ from, to, bodyText: `{"reports":[${texts.slice(from, to).join(',')}]}` });
  let from = 0;
  let bytes = 0;
  texts.forEach((t, i) => {
    const n = Buffer.byteLength(t) + 1;
    if (n > BODY_BUDGET)
      throw new IntakeError([
        { path: raw.length > 1 ? `[${i}]` : '', message: `report is ${n} bytes; a report must fit a record entry (${BODY_BUDGET} bytes)` },
      ]);
    if (bytes + n > BODY_BUDGET) {
      close(from, i);
      from = i;
      bytes = 0;
    }
    bytes += n;
  });
  close(from, raw.length);
  return groups;
}
