// A deployment's secrets in its data directory, made on first start and kept:
//   DIR/keys/log.key          the log's signer key (its name is the checkpoint origin)
//   DIR/keys/actors/<id>.key  the key of an actor the deployment is custodial for
//                             (`detente serve --custodial`), which the server signs with
//   DIR/tokens.json           { "<actor id>": "<bearer token>" }
// Files are created owner-only and never overwritten, so a restart keeps every key
// and token (clients keep working, the key book keeps its keys). The server holds no key
// of an actor it is not custodial for: such an actor signs its own statements, and a key
// file left under keys/actors from an earlier run is not read.
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { writeFileAtomic } from '../store/atomic-file.ts';
import { readSignerKeyFile } from '../record/key-file.ts';
import { generateKey, type Signer } from '../record/keys.ts';

export interface Keyring {
  logSigner: Signer;
  /** only the actors the deployment is custodial for */
  actorSigners: Map<string, Signer>;
  tokens: Record<string, string>;
}

function loadOrMakeKey(path: string, name: string): Signer {
  if (!existsSync(path)) writeFileAtomic(path, generateKey(name).skey + '\n');
  const signer = readSignerKeyFile(path);
  if (signer.name !== name) throw new Error(`${path} holds a key named "${signer.name}", expected "${name}"`);
  return signer;
}

function newToken(): string {
  return 'dt_' + randomBytes(24).toString('base64url');
}

/** The keys the server holds for these actors, made on first use (also what `detente genesis --server-keys` lists). */
export function custodialSigners(dataDir: string, actorIds: readonly string[], keysDir = join(dataDir, 'keys')): Map<string, Signer> {
  const keys = keysDir;
  mkdirSync(join(keys, 'actors'), { recursive: true, mode: 0o700 });
  return new Map(actorIds.map((id) => [id, loadOrMakeKey(join(keys, 'actors', `${id}.key`), id)]));
}

/** `paths`: where an arrangement sharing its data directory with others keeps its keys and tokens. */
export function openKeyring(
  dataDir: string,
  origin: string,
  actorIds: string[],
  custodial: readonly string[],
  paths?: { keys: string; tokens: string },
): Keyring {
  const keys = paths?.keys ?? join(dataDir, 'keys');
  const actorSigners = custodialSigners(dataDir, custodial, keys);
  const logPath = join(keys, 'log.key');
  const logSigner = existsSync(logPath) ? readSignerKeyFile(logPath) : loadOrMakeKey(logPath, origin);

  const tokensPath = paths?.tokens ?? join(dataDir, 'tokens.json');
  mkdirSync(dirname(tokensPath), { recursive: true, mode: 0o700 });
  let tokens: Record<string, string> = {};
  if (existsSync(tokensPath)) tokens = JSON.parse(readFileSync(tokensPath, 'utf8')) as Record<string, string>;
  let added = false;
  for (const id of actorIds) {
    if (typeof tokens[id] !== 'string' || tokens[id].length < 20) {
      tokens[id] = newToken();
      added = true;
    }
  }
  if (added || !existsSync(tokensPath)) writeFileAtomic(tokensPath, JSON.stringify(tokens, null, 2) + '\n');
  return { logSigner, actorSigners, tokens };
}
