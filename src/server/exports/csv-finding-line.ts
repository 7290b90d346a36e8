// One findings.csv record written straight from a finding's view: the same text as
// csvLine(findingRow(v), o) (interop/csv), without the array of cells and the options
// object per field that path builds for every row. An export of millions of rows spends
// most of its time per row, so this is the findings export's hot loop; the
// equivalence with the general path is a property test beside this file.
import type { FindingLike } from '../../interop/csv/findings.ts';

// field.ts's rules (RFC 4180 quoting, the opt-in formula guard); the property test holds them equal.
const QUOTE_NEEDED = /[",\r\n]/;
const FORMULA_GUARD_START = /^[=+\-@\t\r]/;

/** A cell as csvField writes it. */
function cell(v: unknown, spreadsheet: boolean): string {
  if (v === undefined || v === null) return '';
  if (typeof v === 'number') return Number.isFinite(v) ? String(v) : '';
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  const s = spreadsheet && FORMULA_GUARD_START.test(v as string) ? `'${v as string}` : (v as string);
  return QUOTE_NEEDED.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

const list = (v: readonly string[] | undefined, spreadsheet: boolean): string => (v === undefined ? '' : cell(JSON.stringify(v), spreadsheet));

function basis(b: FindingLike['basis'], spreadsheet: boolean): string {
  if (b === undefined) return '';
  let out = '';
  for (let i = 0; i < b.length; i++) {
    const a = b[i];
    if (i > 0) out += ' ';
    out += typeof a === 'number' ? String(a) : `${a.entry}:${a.n ?? 0}`;
  }
  return cell(out, spreadsheet);
}

/** The record of one finding transition, CRLF included, in FINDING_COLUMNS' order. */
export function findingLine(f: FindingLike, spreadsheet = false): string {
  const x = spreadsheet;
  return `${cell(f.seq, x)},${cell(f.time, x)},${cell(f.finding, x)},${cell(f.state, x)},${cell(f.rule, x)},${cell(f.kind, x)},${cell(f.actor, x)},${cell(f.zone, x)},${list(f.units, x)},${cell(f.category, x)},${cell(f.asset, x)},${cell(f.observed, x)},${cell(f.max, x)},${cell(f.notification, x)},${cell(f.lead_s, x)},${list(f.missing, x)},${cell(f.cpa_s, x)},${cell(f.cpa_km, x)},${cell(f.cpa_m, x)},${cell(f.deadline, x)},${cell(f.report, x)},${cell(f.at?.entry, x)},${cell(f.at?.n, x)},${basis(f.basis, x)},${cell(f.confidence, x)},${cell(f.confidence_was, x)},${cell(f.reason, x)},${cell(f.escalation?.step, x)},${cell(f.escalation?.to, x)},${cell(f.challenge, x)},${cell(f.requested_by, x)}\r\n`;
}
