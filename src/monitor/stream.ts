// Feeding NDJSON lines to the engine: a bad line is rejected with its number
// and reason and the rest goes on; the caller decides whether to stop.
import type { Monitor } from './engine.ts';
import type { Finding } from './findings.ts';
import { parseReportLine, ReportError } from './reports.ts';

export interface Rejection { line: number; message: string }

export class LineFeeder {
  lines = 0;
  accepted = 0;
  readonly rejected: Rejection[] = [];

  constructor(private readonly monitor: Monitor) {}

  /** Processes one line (without its newline); returns the transitions, or a Rejection. */
  feed(text: string): Finding[] | Rejection {
    const line = ++this.lines;
    // Blank lines (and a trailing \r from CRLF files) are not reports.
    const c = text.charCodeAt(0);
    if (text.length === 0 || ((c === 32 || c === 9 || c === 13) && /^\s*$/.test(text))) return [];
    try {
      const f = this.monitor.push(parseReportLine(text));
      this.accepted++;
      return f;
    } catch (e) {
      if (!(e instanceof ReportError)) throw e;
      const r = { line, message: e.message };
      this.rejected.push(r);
      return r;
    }
  }
}

/** Splits a text into lines at \n, for callers that hold a whole stream in memory. */
export function* lines(text: string): Generator<string> {
  let i = 0;
  while (i < text.length) {
    let j = text.indexOf('\n', i);
    if (j < 0) j = text.length;
    yield text.slice(i, j);
    i = j + 1;
  }
}
