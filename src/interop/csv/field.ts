// One CSV record as RFC 4180 writes it: fields joined by commas, the record ended by
// CRLF, a field quoted when it holds a comma, a double quote, CR or LF (its double
// quotes doubled). Nothing else is changed, so a reader gets back exactly what we had.

/** What a cell may hold: absent (empty field), text, a number, a flag. */
export type Cell = string | number | boolean | null | undefined;

export interface CsvOptions {
  /**
   * Guard against spreadsheet formula injection (OWASP "CSV injection"): a text cell
   * that begins with `=`, `+`, `-`, `@`, tab or CR gets a leading `'`, which spreadsheet
   * apps read as "this is text". Off by default, because it alters the data: a program
   * reading the CSV would see the `'`. Numbers are never altered (a negative longitude
   * is data, not a formula).
   */
  spreadsheet?: boolean;
}

const NEEDS_QUOTES = /[",\r\n]/;
const FORMULA_START = /^[=+\-@\t\r]/;

export function csvField(v: Cell, o: CsvOptions = {}): string {
  if (v === undefined || v === null) return '';
  if (typeof v === 'number') return Number.isFinite(v) ? String(v) : '';
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  const s = o.spreadsheet && FORMULA_START.test(v) ? `'${v}` : v;
  return NEEDS_QUOTES.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** One record, CRLF included. */
export function csvLine(cells: readonly Cell[], o: CsvOptions = {}): string {
  let out = '';
  for (let i = 0; i < cells.length; i++) {
    if (i > 0) out += ',';
    out += csvField(cells[i], o);
  }
  return `${out}\r\n`;
}

/** The byte-order mark spreadsheet apps look for to read a file as UTF-8. */
export const BOM = '\uFEFF';
