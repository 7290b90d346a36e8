// detente export --data DIR --out BUNDLE [--arrangement ID] [--since N] [--latest]
// DIR is a data directory (its record/<arrangement>/ logs) or a log directory itself.
// When the log's witnesses have cosigned a checkpoint, the bundle carries that one
// (the witnessed head, with every cosignature) and the entries it covers; --latest
// exports the newest checkpoint the log signed instead. --since N adds the
// consistency proof from the tree of N entries (a client remembering that size).

import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type ExportOptions, type ExportResult, exportFromStore } from '../record/export.ts';
import { WITNESSING_FILE } from '../server/witnessing/witnessing.ts';
import { findLogDir, LayoutError } from '../store/layout.ts';
import { openSqliteStore } from '../store/sqlite.ts';
import { parseArgs, UsageError } from './args.ts';

const USAGE = 'usage: detente export --data DIR --out BUNDLE [--arrangement ID] [--since N] [--latest]';

/** The witnessed checkpoint the server keeps beside the log, if there is one. */
export function witnessedCheckpoint(logDir: string): string | undefined {
  const path = join(logDir, WITNESSING_FILE);
  if (!existsSync(path)) return undefined;
  try {
    const w = (JSON.parse(readFileSync(path, 'utf8')) as { witnessed?: unknown }).witnessed;
    return typeof w === 'string' ? w : undefined;
  } catch {
    return undefined;
  }
}

/** Exports the log in directory `logDir` (see store/layout.ts) to `out`, reading it read-only. */
export async function exportBundle(logDir: string, out: string, options: ExportOptions = {}): Promise<ExportResult> {
  const store = await openSqliteStore(logDir, { readonly: true });
  try {
    return await exportFromStore(store, out, options);
  } finally {
    await store.close();
  }
}

export async function run(argv: string[]): Promise<number> {
  const args = parseArgs(argv, { values: { data: undefined, out: undefined, arrangement: undefined, since: undefined }, booleans: ['latest'] });
  if (args.positional.length > 0) throw new UsageError(`unexpected argument "${args.positional[0]}"; ${USAGE}`);
  const { data, out, arrangement } = args.values;
  if (data === undefined) throw new UsageError(`--data DIR is required; ${USAGE}`);
  if (out === undefined) throw new UsageError(`--out BUNDLE is required; ${USAGE}`);
  const sinceText = args.values.since;
  if (sinceText !== undefined && !/^(0|[1-9][0-9]{0,15})$/.test(sinceText)) throw new UsageError(`--since takes a tree size (entries), not "${sinceText}"`);
  let logDir: string;
  try {
    logDir = findLogDir(data, arrangement);
  } catch (e) {
    if (e instanceof LayoutError) throw new UsageError(e.message);
    throw e;
  }
  try {
    const witnessed = args.booleans.has('latest') ? undefined : witnessedCheckpoint(logDir);
    const r = await exportBundle(logDir, out, { witnessed, since: sinceText === undefined ? undefined : Number(sinceText) });
    process.stdout.write(`exported ${r.size} entries of ${r.origin} to ${r.out}${r.witnessed ? ' (the witnessed checkpoint)' : ''}\n`);
    return 0;
  } catch (e) {
    process.stderr.write(`detente export: ${(e as Error).message}\n`);
    return 1;
  }
}
