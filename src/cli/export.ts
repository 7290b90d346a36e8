// detente export (--data DIR | --store postgres://… --arrangement ID) --out BUNDLE [--arrangement ID] [--since N] [--latest]
// DIR is a data directory (its record/<arrangement>/ logs) or a log directory itself;
// --store reads the arrangement's record from PostgreSQL, read-only (with --data too, the
// witnessed checkpoint a server on PostgreSQL keeps under DIR is used).
// When the log's witnesses have cosigned a checkpoint, the bundle carries that one
// (the witnessed head, with every cosignature) and the entries it covers; --latest
// exports the newest checkpoint the log signed instead. --since N adds the
// consistency proof from the tree of N entries (a client remembering that size).

import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type ExportOptions, type ExportResult, exportFromStore } from '../record/export.ts';
import { WITNESSING_FILE } from '../server/witnessing/witnessing.ts';
import { findLogDir, LayoutError, logDir as logDirOf } from '../store/layout.ts';
import { isPostgresUrl, redactUrl } from '../store/postgres/connect.ts';
import { PgLogStore } from '../store/postgres/pg-log-store.ts';
import { schemaFor } from '../store/postgres/schema-name.ts';
import { openSqliteStore } from '../store/sqlite.ts';
import { parseArgs, UsageError } from './args.ts';

const USAGE = 'usage: detente export (--data DIR | --store postgres://… --arrangement ID) --out BUNDLE [--arrangement ID] [--since N] [--latest]';

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

/** Exports an arrangement's record from PostgreSQL (its schema, read-only) to `out`. */
export async function exportFromPostgres(url: string, arrangement: string, out: string, options: ExportOptions = {}): Promise<ExportResult> {
  const store = await PgLogStore.open({ url, schema: schemaFor(arrangement), readonly: true, connections: 2 });
  try {
    return await exportFromStore(store, out, options);
  } finally {
    await store.close();
  }
}

export async function run(argv: string[]): Promise<number> {
  const args = parseArgs(argv, {
    values: { data: undefined, store: undefined, out: undefined, arrangement: undefined, since: undefined },
    booleans: ['latest'],
  });
  if (args.positional.length > 0) throw new UsageError(`unexpected argument "${args.positional[0]}"; ${USAGE}`);
  const { data, out, arrangement, store } = args.values;
  if (data === undefined && store === undefined) throw new UsageError(`--data DIR or --store postgres://… is required; ${USAGE}`);
  if (out === undefined) throw new UsageError(`--out BUNDLE is required; ${USAGE}`);
  const sinceText = args.values.since;
  if (sinceText !== undefined && !/^(0|[1-9][0-9]{0,15})$/.test(sinceText)) throw new UsageError(`--since takes a tree size (entries), not "${sinceText}"`);
  const since = sinceText === undefined ? undefined : Number(sinceText);
  if (store !== undefined) {
    if (!isPostgresUrl(store)) throw new UsageError(`--store: ${store.includes('://') ? redactUrl(store) : store}: not a postgres:// URL`);
    if (arrangement === undefined) throw new UsageError(`--store needs --arrangement ID (each arrangement is its own schema); ${USAGE}`);
    try {
      const witnessed = args.booleans.has('latest') || data === undefined ? undefined : witnessedCheckpoint(logDirOf(data, arrangement));
      const r = await exportFromPostgres(store, arrangement, out, { witnessed, since });
      process.stdout.write(`exported ${r.size} entries of ${r.origin} to ${r.out}${r.witnessed ? ' (the witnessed checkpoint)' : ''}\n`);
      return 0;
    } catch (e) {
      process.stderr.write(`detente export: --store ${redactUrl(store)}: ${(e as Error).message}\n`);
      return 1;
    }
  }
  let logDir: string;
  try {
    logDir = findLogDir(data!, arrangement);
  } catch (e) {
    if (e instanceof LayoutError) throw new UsageError(e.message);
    throw e;
  }
  try {
    const witnessed = args.booleans.has('latest') ? undefined : witnessedCheckpoint(logDir);
    const r = await exportBundle(logDir, out, { witnessed, since });
    process.stdout.write(`exported ${r.size} entries of ${r.origin} to ${r.out}${r.witnessed ? ' (the witnessed checkpoint)' : ''}\n`);
    return 0;
  } catch (e) {
    process.stderr.write(`detente export: ${(e as Error).message}\n`);
    return 1;
  }
}
