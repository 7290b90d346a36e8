// A report stream, in chunks as they are read, fed line by line to the engine.
// With a ReadAhead, the lines of the chunks after the one being fed are read
// on another thread meanwhile (read-ahead.ts).
import type { Finding } from '../monitor/findings.ts';
import type { ReadAhead } from './read-ahead.ts';
import { READ_THERE, RECORD_SLOTS, pieceText, readRecord, recordFrom, recordKind, recordTo, type LinesPiece, type ReadLines } from './scan-record.ts';
import type { LineFeeder, Rejection } from '../monitor/stream.ts';

export interface FeedHandlers {
  /** Takes each line's outcome; false stops the stream there (a bad line, with --strict). */
  line: (outcome: Finding[] | Rejection) => boolean;
  /** Asked after each chunk: true stops reading (whoever reads the findings went away). */
  closed?: () => boolean;
  /** Told the size of each chunk read. */
  read?: (bytes: number) => void;
}

/** How many chunks are read (and being read by the worker) ahead of the one being fed. */
const AHEAD = 4;

/** The whole lines a chunk ends, the bytes of the line it leaves unfinished, and the lines read by another thread, if they are. */
interface Batch {
  piece: LinesPiece | null;
  rest: Uint8Array | null;
  read: Promise<ReadLines | null> | null;
}

/**
 * Feeds every line of the stream; the last line needs no newline. Lines are
 * cut at \n in the bytes (a byte that never occurs inside a longer UTF-8
 * character) and decoded whole. Returns false when handlers.line stopped the
 * stream, true otherwise.
 */
export async function feedStream(
  input: AsyncIterable<Buffer | string>,
  feeder: LineFeeder,
  handlers: FeedHandlers,
  ahead: ReadAhead | null = null,
): Promise<boolean> {
  const queue: Batch[] = [];
  const depth = ahead === null ? 0 : AHEAD;
  let rest: Uint8Array | null = null;

  const feedText = (text: string): boolean => {
    for (let i = 0, j = text.indexOf('\n'); j >= 0; i = j + 1, j = text.indexOf('\n', i)) {
      if (!handlers.line(feeder.feedAt(text, i, j))) return false;
    }
    return true;
  };
  const feedRead = (r: ReadLines): boolean => {
    const { recs, ids, there } = r;
    const names = ahead!.names;
    for (let o = 0; o < recs.length; o += RECORD_SLOTS) {
      const outcome =
        recordKind(recs, o) === READ_THERE ? feeder.feedAt(there, recordFrom(recs, o), recordTo(recs, o)) : feeder.feedReport(readRecord(ids, recs, o, names));
      if (!handlers.line(outcome)) return false;
    }
    return true;
  };
  const lastLine = (bytes: Uint8Array | null): boolean => {
    if (bytes === null || bytes.length === 0) return true;
    const text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length).toString('utf8');
    return handlers.line(feeder.feedAt(text, 0, text.length));
  };
  /** Feeds the oldest batch: 'on', or false when stopped, true at a closed output. */
  const next = async (): Promise<'on' | boolean> => {
    const b = queue.shift()!;
    if (b.piece !== null) {
      const r = b.read === null ? null : await b.read;
      if (!(r === null ? feedText(pieceText(b.piece)) : feedRead(r))) return false;
    }
    // As at the end of the stream: what was read of the next line is a line.
    if (handlers.closed?.()) return lastLine(b.rest);
    return 'on';
  };

  for await (const chunk of input) {
    const bytes = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk;
    handlers.read?.(bytes.length);
    const nl = bytes.lastIndexOf(10);
    let piece: LinesPiece | null = null;
    if (nl < 0) rest = rest === null ? bytes : Buffer.concat([rest, bytes]);
    else {
      piece = { head: rest, body: bytes.subarray(0, nl + 1) };
      // A copy: a view would carry (and keep) the whole chunk with it.
      rest = nl + 1 < bytes.length ? Buffer.from(bytes.subarray(nl + 1)) : null;
    }
    queue.push({ piece, rest, read: piece !== null && ahead !== null ? ahead.read(piece) : null });
    while (queue.length > depth) {
      const r = await next();
      if (r !== 'on') return r;
    }
  }
  while (queue.length > 0) {
    const r = await next();
    if (r !== 'on') return r;
  }
  return lastLine(rest);
}
