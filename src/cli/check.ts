// `detente check ARRANGEMENT REPORTS`: the engine over a report file (or stdin).
// Findings go to stdout as NDJSON (or a table for people), everything else to
// stderr. Exit 0: no breach open at the end; 1: breaches; 2: unusable input.
import { createReadStream, statSync } from 'node:fs';
import { loadArrangementSource } from '../arrangement/load.ts';
import { HistoryError, readHistory, TextsInTime } from '../check/history.ts';
import { ArrangementError, formatIssue } from '../arrangement/issues.ts';
import { parseTime } from '../arrangement/time.ts';
import { isBreach, subjectText, type Finding } from '../monitor/findings.ts';
import { LineFeeder, type Rejection } from '../monitor/stream.ts';
import { feedStream } from '../check/feed-stream.ts';
import { parseReportAt } from '../check/parse.ts';
import { ReadAhead } from '../check/read-ahead.ts';
import { parseArgs, UsageError } from './args.ts';
import { Output } from './output.ts';
import { Progress } from './progress.ts';
import { tableHeader, tableRow } from './table.ts';
import { csvLine } from '../interop/csv/field.ts';
import { FINDING_COLUMNS, findingRow } from '../interop/csv/findings.ts';

const HELP = `usage: detente check ARRANGEMENT REPORTS [options]

  ARRANGEMENT          arrangement file (YAML or JSON)
  REPORTS              NDJSON report stream, or - for standard input

  --format ndjson|table|csv   findings as NDJSON (default), a table for people, or CSV (docs/csv.md)
  --strict                stop at the first bad report line (exit 2)
  --until TIME|now|last   pass deadlines up to TIME at the end (default: now)
  --quiet                 no summary on stderr
  --basis                 each finding's basis: the 1-based line numbers of the reports it rests on
  --any-confidence        count unconfirmed findings in the exit code too (by default only
                          confirmed and probable ones count, where the arrangement grades evidence)
  --history FILE          the arrangement's history (GET …/history): each report is judged
                          under the text in force at its time
`;

export async function run(argv: string[]): Promise<number> {
  const a = parseArgs(argv, { values: { format: 'ndjson', until: 'now', history: '' }, booleans: ['strict', 'quiet', 'help', 'basis', 'any-confidence'] });
  if (a.booleans.has('help')) {
    process.stdout.write(HELP);
    return 0;
  }
  if (a.positional.length !== 2) throw new UsageError(`expected ARRANGEMENT and REPORTS\n\n${HELP}`);
  const format = a.values.format;
  if (format !== 'ndjson' && format !== 'table' && format !== 'csv') throw new UsageError(`--format must be ndjson, table or csv, not "${format}"`);
  const untilArg = a.values.until!;
  const until = untilArg === 'now' ? Date.now() : untilArg === 'last' ? -Infinity : parseTime(untilArg);
  if (Number.isNaN(until)) throw new UsageError(`--until: "${untilArg}" is not an RFC 3339 time, now or last`);
  const [arrPath, reportsPath] = a.positional;
  const strict = a.booleans.has('strict');
  const quiet = a.booleans.has('quiet');
  const basis = a.booleans.has('basis');
  const anyConfidence = a.booleans.has('any-confidence');
  // A long file's lines are read on another thread too; it starts now, while the arrangement loads.
  const ahead = reportsPath !== '-' && fileSize(reportsPath) >= READ_AHEAD_FROM ? new ReadAhead() : null;
  try {
    return await check({ arrPath, reportsPath, format, until, strict, quiet, basis, anyConfidence, history: a.values.history || undefined }, ahead);
  } finally {
    ahead?.close();
  }
}

/** Files from this size up are read ahead (read-ahead.ts); below, starting a thread would cost more than it saves. */
const READ_AHEAD_FROM = 4 << 20;

function fileSize(path: string): number {
  try {
    return statSync(path).size;
  } catch {
    return 0;
  }
}

interface CheckOptions {
  arrPath: string;
  reportsPath: string;
  format: 'ndjson' | 'table' | 'csv';
  until: number;
  strict: boolean;
  quiet: boolean;
  basis: boolean;
  anyConfidence: boolean;
  history?: string;
}

async function check(
  { arrPath, reportsPath, format, until, strict, quiet, basis, anyConfidence, history }: CheckOptions,
  ahead: ReadAhead | null,
): Promise<number> {
  let texts: TextsInTime;
  try {
    const source = loadArrangementSource(arrPath);
    texts =
      history === undefined
        ? new TextsInTime(source.arrangement, [])
        : (() => {
            const h = readHistory(history, source);
            return new TextsInTime(h.first, h.later);
          })();
  } catch (e) {
    if (e instanceof HistoryError) {
      process.stderr.write(`detente check: ${e.message}\n`);
      return 2;
    }
    if (!(e instanceof ArrangementError)) throw e;
    for (const i of e.issues) process.stderr.write(formatIssue(i) + '\n');
    process.stderr.write(`detente check: the arrangement has ${e.issues.length} problem${e.issues.length === 1 ? '' : 's'}; nothing was checked\n`);
    return 2;
  }

  let size = 0;
  if (reportsPath !== '-') {
    try {
      const st = statSync(reportsPath);
      // Devices and pipes are fine (process substitution, /dev/stdin); a directory is not.
      if (st.isDirectory()) throw Object.assign(new Error('is a directory'), { code: 'EISDIR' });
      size = st.isFile() ? st.size : 0;
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      process.stderr.write(
        `detente check: cannot read ${reportsPath}: ${code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory' : (e as Error).message}\n`,
      );
      return 2;
    }
  }
  const name = reportsPath === '-' ? '(stdin)' : reportsPath;
  const out = new Output(process.stdout);
  const feeder = new LineFeeder(texts, parseReportAt, basis);
  const progress = new Progress(size, quiet);
  const counts = new Map<string, number>();
  if (format === 'table') out.write(tableHeader());
  if (format === 'csv') out.write(csvLine(FINDING_COLUMNS));
  let seq = 0;
  const write = (fs: Finding[]) => {
    for (const f of fs) {
      counts.set(f.finding, (counts.get(f.finding) ?? 0) + 1);
      seq++;
      out.write(format === 'table' ? tableRow(f, texts.monitor.arrangement) : format === 'csv' ? csvLine(findingRow({ ...f, seq })) : JSON.stringify(f) + '\n');
    }
  };

  const input = reportsPath === '-' ? process.stdin : createReadStream(reportsPath, { highWaterMark: 1 << 20 });
  let stopped: boolean;
  try {
    stopped = !(await feedStream(input, feeder, { line: handle, closed: () => out.closed, read: (n) => progress.add(n) }, ahead));
  } catch (e) {
    progress.stop();
    const code = (e as NodeJS.ErrnoException).code;
    process.stderr.write(`detente check: cannot read ${name}: ${code ?? (e as Error).message}\n`);
    return 2;
  }
  progress.stop();

  function handle(r: Finding[] | Rejection): boolean {
    if (Array.isArray(r)) {
      if (r.length) write(r);
      return true;
    }
    process.stderr.write(`${name}:${r.line}: ${r.message}${strict ? '' : ' (line skipped)'}\n`);
    return !strict;
  }

  if (stopped) {
    await out.end();
    process.stderr.write(`detente check: stopped at the first bad line (--strict)\n`);
    return 2;
  }
  const end = until === -Infinity ? texts.monitor.now : until;
  write(texts.upTo(end));
  write(texts.monitor.finish(end));
  await out.end();
  const open = texts.monitor.openNow();
  const breaches = open.filter((f) => isBreach(f, anyConfidence));
  const unconfirmed = anyConfidence ? [] : open.filter((f) => isBreach(f, true) && !isBreach(f));
  if (!quiet) {
    const summary = [
      `${feeder.accepted} report${feeder.accepted === 1 ? '' : 's'} checked` +
        (feeder.rejected.length ? `, ${feeder.rejected.length} line${feeder.rejected.length === 1 ? '' : 's'} rejected` : ''),
      [...counts].map(([k, v]) => `${k} ${v}`).join(', ') || 'no findings',
      breaches.length ? `open at the end: ${breaches.map((f) => `${f.finding} ${f.rule} ${subjectText(f)}`).join('; ')}` : 'nothing open at the end',
    ];
    if (unconfirmed.length)
      summary.push(`unconfirmed, not counted (--any-confidence counts them): ${unconfirmed.map((f) => `${f.finding} ${f.rule} ${subjectText(f)}`).join('; ')}`);
    process.stderr.write(summary.join('\n') + '\n');
  }
  return breaches.length ? 1 : 0;
}
