// Opening a log kept in the embedded store: the record's log takes any LogStore and
// knows nothing of SQLite, so the one-call form for a directory lives here.

import { type Log, type LogOptions, openLog } from '../record/log.ts';
import { openSqliteStore } from './sqlite.ts';

export type SqliteLogOptions = Omit<LogOptions, 'store'> & {
  /** the log's directory (see layout.ts); created if missing */
  dir: string;
};

/** Opens (or creates) the log stored in SQLite under `dir`. */
export async function openSqliteLog(options: SqliteLogOptions): Promise<Log> {
  const { dir, ...rest } = options;
  return openLog({ ...rest, store: await openSqliteStore(dir) });
}
