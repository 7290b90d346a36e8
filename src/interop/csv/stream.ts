// A CSV body as a stream that pulls its rows: a row source (sync or async iterable) is
// read only as fast as the consumer takes bytes, records batched into chunks of about
// 64 KiB, so an export of any size holds one chunk in memory, never the whole body.
import { Readable } from 'node:stream';
import { BOM, type Cell, type CsvOptions, csvLine } from './field.ts';

export interface CsvStreamOptions extends CsvOptions {
  /** start with a UTF-8 byte-order mark (for spreadsheet apps that need one) */
  bom?: boolean;
  /** how many bytes (UTF-16 units) a chunk gathers before it goes out (default 64 KiB) */
  chunk?: number;
}

const CHUNK = 1 << 16;

/** The chunks of a CSV document: header first, then every row, in order. */
export async function* csvChunks(
  header: readonly string[],
  rows: Iterable<readonly Cell[]> | AsyncIterable<readonly Cell[]>,
  o: CsvStreamOptions = {},
): AsyncGenerator<string> {
  const size = o.chunk ?? CHUNK;
  let buf = (o.bom ? BOM : '') + csvLine(header);
  if (Symbol.iterator in rows) {
    // A synchronous source fills a chunk in one pass, not one await per row.
    for (const row of rows) {
      buf += csvLine(row, o);
      if (buf.length >= size) {
        yield buf;
        buf = '';
      }
    }
  } else {
    for await (const row of rows) {
      buf += csvLine(row, o);
      if (buf.length >= size) {
        yield buf;
        buf = '';
      }
    }
  }
  if (buf) yield buf;
}

/**
 * A Readable of the CSV document. Readable.from pulls the next chunk only when the
 * consumer reads, so a slow client holds back the row source (backpressure), and a
 * client that goes away stops it (the generator is returned).
 */
export function csvReadable(header: readonly string[], rows: Iterable<readonly Cell[]> | AsyncIterable<readonly Cell[]>, o: CsvStreamOptions = {}): Readable {
  return Readable.from(csvChunks(header, rows, o), { objectMode: false, highWaterMark: 1 });
}
