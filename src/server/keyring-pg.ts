// A deployment's secrets in PostgreSQL (the log's schema, table secrets), for a node with
// no data directory: the same Keyring as keyring.ts keeps under DIR/keys and
// DIR/tokens.json, made on first start and kept. Rows: key:log, key:actor:<id>, tokens.
// Two nodes starting together read back the same keys (the first insert wins).
import { randomBytes } from 'node:crypto';
import { generateKey, parseSignerKey, type Signer } from '../record/keys.ts';
import type { PgSecrets } from '../store/postgres/secrets.ts';
import type { Keyring } from './keyring.ts';

function newToken(): string {
  return 'dt_' + randomBytes(24).toString('base64url');
}

async function keyNamed(secrets: PgSecrets, row: string, name: string): Promise<Signer> {
  const signer = parseSignerKey((await secrets.getOrCreate(row, () => generateKey(name).skey)).trim());
  if (signer.name !== name) throw new Error(`${secrets.location}: secret ${row} holds a key named "${signer.name}", expected "${name}"`);
  return signer;
}

export async function openPgKeyring(secrets: PgSecrets, origin: string, actorIds: readonly string[], custodial: readonly string[]): Promise<Keyring> {
  const logSigner = await keyNamed(secrets, 'key:log', origin);
  const actorSigners = new Map<string, Signer>();
  for (const id of custodial) actorSigners.set(id, await keyNamed(secrets, `key:actor:${id}`, id));
  const stored = await secrets.get('tokens');
  const tokens = stored === undefined ? {} : (JSON.parse(stored) as Record<string, string>);
  let added = false;
  for (const id of actorIds) {
    if (typeof tokens[id] !== 'string' || tokens[id].length < 20) {
      tokens[id] = newToken();
      added = true;
    }
  }
  if (added) await secrets.put('tokens', JSON.stringify(tokens));
  return { logSigner, actorSigners, tokens };
}
