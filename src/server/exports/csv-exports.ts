// The CSV exports as chunk streams (docs/csv.md), the one path GET …/findings.csv,
// GET …/reports.csv and the csv bench run: rows read a page at a time from the book or
// the record, as the reader may see them, written as RFC 4180 chunks as they are pulled.
import { FINDING_COLUMNS, type FindingLike, findingRow } from '../../interop/csv/findings.ts';
import { REPORT_COLUMNS, reportRow } from '../../interop/csv/reports.ts';
import { type CsvStreamOptions, csvChunks } from '../../interop/csv/stream.ts';
import type { Actor } from '../../policy/policy.ts';
import { type RecordReportsSource, reportsFor } from '../core/record-reports.ts';
import { type FindingReader, visibleFindings } from '../history/visible-findings.ts';

/** Every finding transition the reader may read, as CSV chunks. */
export function findingsCsv(src: FindingReader, reader: Actor, o: CsvStreamOptions = {}): AsyncGenerator<string> {
  function* rows() {
    for (const v of visibleFindings(src, reader)) yield findingRow(v as unknown as FindingLike);
  }
  return csvChunks(FINDING_COLUMNS, rows(), o);
}

/** Every report of the record the reader may see (in full or coarsened), as CSV chunks. */
export function reportsCsv(src: RecordReportsSource, reader: Actor, o: CsvStreamOptions = {}): AsyncGenerator<string> {
  async function* rows() {
    for await (const s of reportsFor(src, reader)) yield reportRow(s);
  }
  return csvChunks(REPORT_COLUMNS, rows(), o);
}
