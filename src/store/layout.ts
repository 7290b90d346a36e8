// Where a deployment's record lives on disk (see README.md in this directory):
//   DIR/record/<arrangement id>/log.db      the log (entries, tiles, checkpoint, keys)
//   DIR/record/<arrangement id>/sealed.db   sealed content, apart from the log (0600)

import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

export const RECORD_DIR = 'record';
export const LOG_DB = 'log.db';
export const SEALED_DB = 'sealed.db';

/** The directory of an arrangement's log inside a data directory. */
export function logDir(dataDir: string, arrangementId: string): string {
  return join(dataDir, RECORD_DIR, arrangementId);
}

export class LayoutError extends Error {}

/**
 * Finds a log from what a user typed: a log directory itself (it holds log.db), or a
 * data directory holding one log under record/ (or several, chosen by `arrangement`).
 */
export function findLogDir(path: string, arrangement?: string): string {
  if (!existsSync(path) || !statSync(path).isDirectory()) throw new LayoutError(`${path} is not a directory`);
  if (arrangement === undefined && existsSync(join(path, LOG_DB))) return path;
  const recordDir = join(path, RECORD_DIR);
  if (!existsSync(recordDir)) throw new LayoutError(`${path} holds no log (neither ${LOG_DB} nor ${RECORD_DIR}/<arrangement>/${LOG_DB})`);
  const logs = readdirSync(recordDir)
    .filter((d) => existsSync(join(recordDir, d, LOG_DB)))
    .sort();
  if (arrangement !== undefined) {
    if (!logs.includes(arrangement)) throw new LayoutError(`${path} has no log for arrangement "${arrangement}" (found: ${logs.join(', ') || 'none'})`);
    return join(recordDir, arrangement);
  }
  if (logs.length === 0) throw new LayoutError(`${recordDir} holds no log`);
  if (logs.length > 1) throw new LayoutError(`${path} holds logs for several arrangements (${logs.join(', ')}); choose one with --arrangement`);
  return join(recordDir, logs[0]);
}
