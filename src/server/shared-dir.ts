// Several arrangements in one data directory (`detente serve --arrangement A --arrangement B`):
//   DIR/record/<id>/                  each arrangement's record, as one arrangement has it
//   DIR/keys/, DIR/tokens.json,       the FIRST arrangement's keys, tokens and webhook
//   DIR/webhooks.json                 subscriptions, where a one-arrangement server keeps them
//   DIR/arrangements/<id>/keys/       each other arrangement's keys
//   DIR/arrangements/<id>/webhooks.json   and its webhook subscriptions
//   DIR/tokens/<id>.json              every arrangement's tokens, { "<actor id>": "<token>" }
//                                     (the first's is a copy of DIR/tokens.json)
// The first arrangement owns the directory: a directory whose log key is another
// arrangement's is refused, so that reordering the flags cannot hand one arrangement's
// keys and tokens to another.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { readSignerKeyFile } from '../record/key-file.ts';
import { DeploymentRefused } from './core/refused.ts';
import type { DeploymentFiles } from './deployment.ts';

export const TOKENS_DIR = 'tokens';

/** DIR/tokens/<id>.json: the arrangement's tokens, as clients read them. */
export function tokensFile(dataDir: string, id: string): string {
  return join(dataDir, TOKENS_DIR, `${id}.json`);
}

/** Where the tokens a server reads on start are: DIR/tokens.json for the first arrangement, DIR/tokens/<id>.json for the others. */
export function tokensSource(dataDir: string, id: string, first: boolean): string {
  return first ? join(dataDir, 'tokens.json') : tokensFile(dataDir, id);
}

/** The files of an arrangement served with others from dataDir; undefined for the first (a one-arrangement layout). */
export function filesOf(dataDir: string, id: string, first: boolean): DeploymentFiles | undefined {
  if (first) return undefined;
  const own = join(dataDir, 'arrangements', id);
  return { keys: join(own, 'keys'), tokens: tokensFile(dataDir, id), webhooks: join(own, 'webhooks.json') };
}

/** Refuses a data directory whose keys belong to an arrangement other than the first given. */
export function checkOwner(dataDir: string, firstId: string, given: readonly string[]): void {
  const logKey = join(dataDir, 'keys', 'log.key');
  if (!existsSync(logKey)) return;
  let name: string;
  try {
    name = readSignerKeyFile(logKey).name;
  } catch {
    return; // the deployment's own open says what is wrong with the key
  }
  const owner = name.slice(name.lastIndexOf('/') + 1);
  if (owner === firstId) return;
  throw new DeploymentRefused(
    given.includes(owner)
      ? `${dataDir} is arrangement "${owner}"'s (its keys and tokens.json): give --arrangement for "${owner}" first`
      : `${dataDir} holds the keys of arrangement "${owner}", not "${firstId}"; use another --data directory`,
  );
}
