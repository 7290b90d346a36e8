// Builds logs and bundles for the export/verify tests, and runs the real CLI.

import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Signer } from '../../src/record/keys.ts';
import { openSqliteLog as openLog } from '../../src/store/open-log.ts';
import { logDir } from '../../src/store/layout.ts';
import { makeEntries, ORIGIN } from './record-fixtures.ts';

const bin = new URL('../../bin/detente.js', import.meta.url).pathname;

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * Runs `detente ARGS` in a child process, as a user would, with a HOME of its own (so
 * `detente verify` remembers nothing from other runs, nor writes the user's state).
 */
export function detente(args: string[], cwd?: string): CliResult {
  const home = mkdtempSync(join(tmpdir(), 'detente-home-'));
  try {
    const r = spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8', cwd, env: { ...process.env, HOME: home } });
    return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
  } finally {
    rmSync(home, { recursive: true, force: true });
  }
}

/**
 * Appends entries [from, to) of the fixture sequence to the arrangement's log under
 * `dataDir` and closes it (which signs a checkpoint for all of them). Returns that checkpoint.
 */
export async function appendEntries(dataDir: string, logSigner: Signer, authors: Signer[], from: number, to: number): Promise<string> {
  const log = await openLog({ dir: logDir(dataDir, 'southern-syria'), origin: ORIGIN, logSigner, checkpointIntervalMs: 0 });
  for (const e of makeEntries(to - from, authors, from)) await log.append(e);
  await log.close();
  return log.checkpoint();
}
