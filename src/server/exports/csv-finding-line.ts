// A finding transition's CSV record, rendered once when the findings book stores the
// transition (FindingCsv in the derived store), so that GET …/findings.csv reads text
// instead of parsing each transition's JSON again. The record is rendered as the reader
// who may read everything gets it; the per-reader difference (the `report` cell, for
// those who may not read the triggering report) is cut out of it at export time, and
// who may read the row at all is decided then too, from `who`.
import { csvField } from '../../interop/csv/field.ts';
import { FINDING_COLUMNS, type FindingLike, findingRow } from '../../interop/csv/findings.ts';
import type { Content } from '../../policy/disclosure.ts';
import type { FindingCsv } from '../../store/derived.ts';

/** Bumped when a row is formatted differently with the same columns. */
const FORMAT = 1;

/** FNV-1a, 32 bits: a column list's fingerprint small enough for an integer column. */
function fingerprint(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

/** The renderer's version: stored lines of another version (columns added since) are rendered again from their JSON. */
export const FINDING_CSV_VERSION = fingerprint(`${FORMAT}\n${FINDING_COLUMNS.join(',')}`);

const REPORT = FINDING_COLUMNS.indexOf('report');
const SHEET = { spreadsheet: true };

/**
 * The first characters field.ts's spreadsheet guard acts on: only a cell starting with
 * one is rendered a second time to compare (half the rendering cost otherwise). Kept
 * equal to field.ts's rule by csv-finding-line.test.ts, which tries every code unit.
 */
export const GUARDED_FIRST = '=+-@\t\r';

/** What the export's policy check reads back from `who`: the concerned actors and the triggering report's content. */
export type Who = [actors: readonly string[], trigger: Content | null];

/**
 * The stored form of a transition as clients get it (`view`: bookedView's fields), with
 * what the policy decides its readers by: the actors it concerns, the triggering
 * report's content (absent: none).
 */
export function findingCsvRecord(view: FindingLike, actors: readonly string[], trigger: Content | undefined): FindingCsv {
  const cells = findingRow(view);
  let line = '';
  let from = 0;
  let to = 0;
  let guard = false;
  for (let i = 0; i < cells.length; i++) {
    if (i > 0) line += ',';
    const c = cells[i];
    const f = csvField(c);
    if (i === REPORT) {
      from = line.length;
      to = from + f.length;
    }
    if (!guard && typeof c === 'string' && c !== '' && GUARDED_FIRST.includes(c[0]) && csvField(c, SHEET) !== f) guard = true;
    line += f;
  }
  const who: Who = [actors, trigger ?? null];
  return { v: FINDING_CSV_VERSION, who: JSON.stringify(who), line: `${line}\r\n`, report: cells[REPORT] === undefined ? undefined : [from, to], guard };
}
