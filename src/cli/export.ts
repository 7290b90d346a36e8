// detente export --data DIR --out BUNDLE [--arrangement ID]
// DIR is a data directory (its record/<arrangement>/ logs) or a log directory itself.

import { type ExportResult, exportFromStore } from '../record/export.ts';
import { findLogDir, LayoutError } from '../store/layout.ts';
import { openSqliteStore } from '../store/sqlite.ts';
import { parseArgs, UsageError } from './args.ts';

const USAGE = 'usage: detente export --data DIR --out BUNDLE [--arrangement ID]';

/** Exports the log in directory `logDir` (see store/layout.ts) to `out`, reading it read-only. */
export async function exportBundle(logDir: string, out: string): Promise<ExportResult> {
  const store = await openSqliteStore(logDir, { readonly: true });
  try {
    return await exportFromStore(store, out);
  } finally {
    await store.close();
  }
}

export async function run(argv: string[]): Promise<number> {
  const args = parseArgs(argv, { values: { data: undefined, out: undefined, arrangement: undefined } });
  if (args.positional.length > 0) throw new UsageError(`unexpected argument "${args.positional[0]}"; ${USAGE}`);
  const { data, out, arrangement } = args.values;
  if (data === undefined) throw new UsageError(`--data DIR is required; ${USAGE}`);
  if (out === undefined) throw new UsageError(`--out BUNDLE is required; ${USAGE}`);
  let logDir: string;
  try {
    logDir = findLogDir(data, arrangement);
  } catch (e) {
    if (e instanceof LayoutError) throw new UsageError(e.message);
    throw e;
  }
  try {
    const r = await exportBundle(logDir, out);
    process.stdout.write(`exported ${r.size} entries of ${r.origin} to ${r.out}\n`);
    return 0;
  } catch (e) {
    process.stderr.write(`detente export: ${(e as Error).message}\n`);
    return 1;
  }
}
