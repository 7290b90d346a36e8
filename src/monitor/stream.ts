// Feeding NDJSON lines to the engine: a bad line is rejected with its number
// and reason and the rest goes on; the caller decides whether to stop.
import type { Monitor } from './engine.ts';
import type { Finding } from './findings.ts';
import { parseReportByJson, ReportError, type Report } from './reports.ts';

export interface Rejection {
  line: number;
  message: string;
}

/** Reads the line text[from, to) into a report, or throws ReportError. */
export type LineParser = (text: string, from: number, to: number) => Report;

const byJson: LineParser = (text, from, to) => parseReportByJson(text.slice(from, to));

export class LineFeeder {
  lines = 0;
  accepted = 0;
  readonly rejected: Rejection[] = [];

  /**
   * `parse` reads each line; `detente check` passes its faster reader (src/check/parse.ts), which gives the same reports.
   * With `lineRefs`, each report is pushed with its 1-based line number as its ref, so findings carry their basis as lines.
   */
  constructor(
    // Only push: `detente check --history` hands an engine that moves between texts (check/history.ts).
    private readonly monitor: Pick<Monitor, 'push'>,
    private readonly parse: LineParser = byJson,
    private readonly lineRefs = false,
  ) {}

  /** Processes one line (without its newline); returns the transitions, or a Rejection. */
  feed(text: string): Finding[] | Rejection {
    return this.feedAt(text, 0, text.length);
  }

  /** Processes the line text[from, to), as feed(text.slice(from, to)) would. */
  feedAt(text: string, from: number, to: number): Finding[] | Rejection {
    const line = ++this.lines;
    // Blank lines (and a trailing \r from CRLF files) are not reports.
    if (from === to) return [];
    const c = text.charCodeAt(from);
    if ((c === 32 || c === 9 || c === 13) && /^\s*$/.test(text.slice(from, to))) return [];
    try {
      return this.accept(this.parse(text, from, to), line);
    } catch (e) {
      return this.reject(e, line);
    }
  }

  /** Processes a line already read into a report (as `parse` reads it: a line that is not blank). */
  feedReport(report: Report): Finding[] | Rejection {
    const line = ++this.lines;
    try {
      return this.accept(report, line);
    } catch (e) {
      return this.reject(e, line);
    }
  }

  private accept(report: Report, line: number): Finding[] {
    const f = this.monitor.push(report, this.lineRefs ? line : undefined);
    this.accepted++;
    return f;
  }

  private reject(e: unknown, line: number): Rejection {
    if (!(e instanceof ReportError)) throw e;
    const r = { line, message: e.message };
    this.rejected.push(r);
    return r;
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
