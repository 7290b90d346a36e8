// The CSV exports as chunk streams (docs/csv.md), the one path GET …/findings.csv,
// GET …/reports.csv and the csv bench run: rows read a page at a time from the book or
// the record, as the reader may see them, written as RFC 4180 chunks as they are pulled.
import { BOM, csvLine } from '../../interop/csv/field.ts';
import { FINDING_COLUMNS, type FindingLike, findingRow } from '../../interop/csv/findings.ts';
import { REPORT_COLUMNS, reportRow } from '../../interop/csv/reports.ts';
import { type CsvStreamOptions, csvChunks } from '../../interop/csv/stream.ts';
import type { Content } from '../../policy/disclosure.ts';
import type { Actor } from '../../policy/policy.ts';
import type { FindingCsvRow } from '../../store/derived.ts';
import { type RecordReportsSource, reportsFor } from '../core/record-reports.ts';
import type { BookedFinding } from '../findings-book.ts';
import type { FindingReader } from '../history/visible-findings.ts';
import { FINDING_CSV_VERSION, type Who } from './csv-finding-line.ts';

/** What findings.csv asks of the server besides GET …/findings's questions: may the reader read the report that triggered a transition? */
export interface FindingCsvReader extends FindingReader {
  readsTrigger(reader: Actor, trigger: Content | undefined): boolean;
}

/** Transitions read at a time: each page is read and rendered in one synchronous pass (as bookPages does). */
const PAGE = 1000;
const CHUNK = 1 << 16;

// What a reader gets of a stored row: nothing, the row without its `report` cell, the row whole.
const HIDDEN = 0;
const NO_REPORT = 1;
const WHOLE = 2;

/**
 * Every finding transition the reader may read, as CSV chunks: the same rows, cells and
 * order as rendering visibleFindings (GET …/findings's view) through findingRow would
 * give, read from the lines the book stored beside each transition where it has them
 * (csv-finding-line.ts), from the transition itself where not (the newest, in memory;
 * rows stored by an older renderer; cells the spreadsheet guard would change).
 */
export async function* findingsCsv(src: FindingCsvReader, reader: Actor, o: CsvStreamOptions = {}): AsyncGenerator<string> {
  const size = o.chunk ?? CHUNK;
  const sheet = o.spreadsheet === true;
  let buf = (o.bom ? BOM : '') + csvLine(FINDING_COLUMNS);
  // Like bookPages: up to the book's size when the export started, each page from a fresh read.
  const end = src.book.size;
  let last = 0;
  while (last < end) {
    // The policy's answers for this page, per distinct `who` (rows share a handful): asked
    // again on every page, as the per-row path asks the policy as it is when the page is read.
    const decided = new Map<string, number>();
    const decide = (who: string): number => {
      const [actors, trigger] = JSON.parse(who) as Who;
      if (!src.readsFinding(reader, actors)) return HIDDEN;
      return src.readsTrigger(reader, trigger ?? undefined) ? WHOLE : NO_REPORT;
    };
    let n = 0;
    for (const r of src.book.csvAfter(last, FINDING_CSV_VERSION, sheet)) {
      const seq = Array.isArray(r) ? r[0] : (r as BookedFinding).seq;
      if (seq > end) break;
      last = seq;
      n++;
      if (Array.isArray(r) && r[5] === null) {
        const [, who, line, from, to] = r as FindingCsvRow;
        let d = decided.get(who as string);
        if (d === undefined) decided.set(who as string, (d = decide(who as string)));
        if (d === WHOLE || from === null) {
          if (d !== HIDDEN) buf += line;
        } else if (d === NO_REPORT) buf += (line as string).slice(0, from) + (line as string).slice(to as number);
      } else {
        const b = Array.isArray(r) ? (JSON.parse(r[5] as string) as BookedFinding) : (r as BookedFinding);
        if (src.readsFinding(reader, b.actors)) buf += csvLine(findingRow(src.findingView(reader, b) as unknown as FindingLike), o);
      }
      if (n >= PAGE) break;
    }
    if (n === 0) break;
    if (buf.length >= size) {
      yield buf;
      buf = '';
    }
  }
  if (buf) yield buf;
}

/** Every report of the record the reader may see (in full or coarsened), as CSV chunks. */
export function reportsCsv(src: RecordReportsSource, reader: Actor, o: CsvStreamOptions = {}): AsyncGenerator<string> {
  async function* rows() {
    for await (const s of reportsFor(src, reader)) yield reportRow(s);
  }
  return csvChunks(REPORT_COLUMNS, rows(), o);
}
