// detente report --data DIR --arrangement ID [--from T] [--to T] [--lang en|ar|he|ru]
//                [--as ACTOR] [--arrangement-file FILE] --out FILE.pdf
// A compliance report for a period (docs/report.md), from a data directory read as
// export reads it: the store opened read-only and checked before anything is reported,
// nothing written into it. --store URL is the spec's other source, for a PostgreSQL
// store, which is not built yet. Exit 0: written; 1: the record failed its check or
// printing failed; 2: bad arguments or input (naming the flag), or no Chromium.
import { existsSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { Arrangement } from '../arrangement/compile.ts';
import { parseTime } from '../arrangement/time.ts';
import { RecordError } from '../record/errors.ts';
import { ArrangementUnavailable, arrangementOf } from '../report/arrangement-of.ts';
import { reportHtml } from '../report/html.ts';
import { buildReport, ReportInputError, type ReportModel } from '../report/model.ts';
import { findChromium, NoChromium, printPdf } from '../report/pdf.ts';
import { readRecordForReport, type RecordForReport } from '../report/record-read.ts';
import { isLang, LANGS, STRINGS } from '../report/strings.ts';
import { findLogDir, LayoutError } from '../store/layout.ts';
import { openSqliteStore } from '../store/sqlite.ts';
import { parseArgs, UsageError } from './args.ts';
import { witnessedCheckpoint } from './export.ts';

const USAGE =
  'usage: detente report --data DIR --arrangement ID [--from T] [--to T] [--lang en|ar|he|ru] [--as ACTOR] [--arrangement-file FILE] --out FILE.pdf';

function timeFlag(flag: string, v: string | undefined): number | undefined {
  if (v === undefined) return undefined;
  const t = parseTime(v);
  if (Number.isNaN(t)) throw new UsageError(`--${flag}: "${v}" is not an RFC 3339 date-time (e.g. 2025-12-27T00:00:00Z)`);
  return t;
}

/** Reads and checks the record, and builds what the report says; shared by the CLI and the tests. */
export async function reportModel(o: {
  data: string;
  arrangement: string;
  arrangementFile?: string;
  from?: number;
  to?: number;
  as?: string;
}): Promise<{ model: ReportModel; record: RecordForReport; arrangement: Arrangement }> {
  let logDir: string;
  try {
    logDir = findLogDir(o.data, o.arrangement);
  } catch (e) {
    if (e instanceof LayoutError) throw new UsageError(`--data: ${e.message}`);
    throw e;
  }
  const store = await openSqliteStore(logDir, { readonly: true });
  let record: RecordForReport;
  try {
    record = await readRecordForReport(store, witnessedCheckpoint(logDir));
  } finally {
    await store.close();
  }
  let arrangement: Arrangement;
  try {
    arrangement = arrangementOf(record.genesis, o.arrangementFile);
  } catch (e) {
    if (e instanceof ArrangementUnavailable) throw new UsageError(`${e.flag}: ${e.message}`);
    throw e;
  }
  try {
    return { model: buildReport(arrangement, record, { from: o.from, to: o.to, as: o.as }), record, arrangement };
  } catch (e) {
    if (e instanceof ReportInputError) throw new UsageError(`${e.flag}: ${e.message}`);
    throw e;
  }
}

export async function run(argv: string[]): Promise<number> {
  const args = parseArgs(argv, {
    values: {
      data: undefined,
      store: undefined,
      arrangement: undefined,
      from: undefined,
      to: undefined,
      lang: 'en',
      as: undefined,
      out: undefined,
      'arrangement-file': undefined,
    },
  });
  if (args.positional.length > 0) throw new UsageError(`unexpected argument "${args.positional[0]}"; ${USAGE}`);
  const v = args.values;
  if (v.store !== undefined)
    throw new UsageError(`--store: reading a PostgreSQL store (${v.store}) is not built yet; export or copy the data directory and use --data DIR`);
  if (v.data === undefined) throw new UsageError(`--data DIR is required; ${USAGE}`);
  if (v.arrangement === undefined) throw new UsageError(`--arrangement ID is required; ${USAGE}`);
  if (v.out === undefined) throw new UsageError(`--out FILE.pdf is required; ${USAGE}`);
  const lang = v.lang ?? 'en';
  if (!isLang(lang)) throw new UsageError(`--lang: "${lang}" is not one of ${LANGS.join(', ')}`);
  const from = timeFlag('from', v.from);
  const to = timeFlag('to', v.to);
  if (from !== undefined && to !== undefined && from > to) throw new UsageError('--from: the period starts after it ends (--from is later than --to)');
  const out = resolve(v.out);
  if (!existsSync(dirname(out)) || !statSync(dirname(out)).isDirectory()) throw new UsageError(`--out: ${dirname(out)} is not a directory`);
  if (existsSync(out) && statSync(out).isDirectory()) throw new UsageError(`--out: ${out} is a directory`);
  // The data directory is judged before Chromium is looked for, so that a mistyped path is named as such.
  try {
    findLogDir(v.data, v.arrangement);
  } catch (e) {
    if (e instanceof LayoutError) throw new UsageError(`--data: ${e.message}`);
    throw e;
  }
  let chromium: string;
  try {
    chromium = findChromium();
  } catch (e) {
    if (e instanceof NoChromium) throw new UsageError(e.message);
    throw e;
  }

  let model: ReportModel;
  try {
    ({ model } = await reportModel({ data: v.data, arrangement: v.arrangement, arrangementFile: v['arrangement-file'], from, to, as: v.as }));
  } catch (e) {
    if (e instanceof RecordError) {
      process.stderr.write(`detente report: the record does not check: ${e.message}\n`);
      return 1;
    }
    throw e;
  }
  const s = STRINGS[lang];
  await printPdf(reportHtml(model, lang), out, { chromium, pageWord: s.page, dir: s.dir });
  process.stdout.write(
    `wrote ${out}: ${model.findings.length} finding(s) under ${model.sections.length} rule(s), as ${model.reader.id}, resting on the checkpoint of ${model.record.size} entries${model.record.witnessed ? ' (witnessed)' : ''}\n`,
  );
  return 0;
}
