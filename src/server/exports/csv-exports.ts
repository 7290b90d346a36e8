// The CSV exports as chunk streams (docs/csv.md), the one path GET …/findings.csv,
// GET …/reports.csv and the csv bench run: rows read a page at a time from the book or
// the record, as the reader may see them, written as RFC 4180 chunks as they are pulled.
import { BOM, csvLine } from '../../interop/csv/field.ts';
import { FINDING_COLUMNS, type FindingLike } from '../../interop/csv/findings.ts';
import { REPORT_COLUMNS, reportRow } from '../../interop/csv/reports.ts';
import { type CsvStreamOptions, csvChunks } from '../../interop/csv/stream.ts';
import type { Actor } from '../../policy/policy.ts';
import { findingLine } from './csv-finding-line.ts';
import { type RecordReportsSource, reportsFor } from '../core/record-reports.ts';
import { type FindingReader, visibleFindings } from '../history/visible-findings.ts';

const CHUNK = 1 << 16;

/**
 * Every finding transition the reader may read, as CSV chunks (csvChunks' chunking, each
 * record written by findingLine): a chunk is filled in one synchronous pass over the
 * book's pages, and the next is read only when the consumer pulls (backpressure).
 */
export async function* findingsCsv(src: FindingReader, reader: Actor, o: CsvStreamOptions = {}): AsyncGenerator<string> {
  const size = o.chunk ?? CHUNK;
  const spreadsheet = o.spreadsheet === true;
  let buf = (o.bom ? BOM : '') + csvLine(FINDING_COLUMNS);
  for (const v of visibleFindings(src, reader)) {
    buf += findingLine(v as unknown as FindingLike, spreadsheet);
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
