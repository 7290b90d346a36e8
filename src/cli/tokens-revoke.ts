// Revoking a bearer token: the actor's token in one arrangement is replaced by a new one
// (the person or device that held the old one loses access; whoever should keep acting
// for the actor is given the new one). In a data directory: DIR/tokens/<id>.json, and
// DIR/tokens.json where it holds the same token (the first arrangement's); a running
// server on SQLite refuses the old token at once (server/token-watch.ts). On PostgreSQL:
// the arrangement's secrets row, read by a server on its next start.
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomic } from '../store/atomic-file.ts';
import { redactUrl } from '../store/postgres/connect.ts';
import { PgLogStore } from '../store/postgres/pg-log-store.ts';
import { schemaFor } from '../store/postgres/schema-name.ts';
import { tokensFile } from '../server/shared-dir.ts';
import { UsageError } from './args.ts';

export type Tokens = Record<string, string>;

export function newToken(): string {
  return 'dt_' + randomBytes(24).toString('base64url');
}

function readTokens(path: string): Tokens | undefined {
  if (!existsSync(path)) return undefined;
  try {
    const t = JSON.parse(readFileSync(path, 'utf8')) as unknown;
    if (typeof t === 'object' && t !== null && !Array.isArray(t)) return t as Tokens;
  } catch {
    // said below
  }
  throw new UsageError(`${path}: not a JSON object of actor ids to tokens`);
}

/** Replaces the actor's token in the data directory's files; returns the files changed. */
export function revokeInDir(dataDir: string, arrangement: string, actor: string, fresh = newToken()): string[] {
  const own = tokensFile(dataDir, arrangement);
  const first = join(dataDir, 'tokens.json');
  const ownTokens = readTokens(own);
  const firstTokens = readTokens(first);
  // A data directory from before DIR/tokens/: DIR/tokens.json is its one arrangement's.
  const old = ownTokens?.[actor] ?? firstTokens?.[actor];
  if (old === undefined) throw new UsageError(`${ownTokens ? own : firstTokens ? first : dataDir}: no token of "${actor}" in arrangement "${arrangement}"`);
  const changed: string[] = [];
  for (const [path, tokens] of [
    [own, ownTokens],
    [first, firstTokens],
  ] as const) {
    if (tokens?.[actor] !== old) continue;
    writeFileAtomic(path, JSON.stringify({ ...tokens, [actor]: fresh }, null, 2) + '\n');
    changed.push(path);
  }
  return changed;
}

/** Replaces the actor's token in the arrangement's PostgreSQL schema; returns where. */
export async function revokeInStore(url: string, arrangement: string, actor: string, fresh = newToken()): Promise<string> {
  // Read-only for the log: a mistyped arrangement finds no schema rather than making one.
  const store = await PgLogStore.open({ url, schema: schemaFor(arrangement), readonly: true, connections: 1 });
  try {
    const secrets = store.secrets();
    const stored = await secrets.get('tokens');
    const tokens = stored === undefined ? {} : (JSON.parse(stored) as Tokens);
    if (tokens[actor] === undefined) throw new UsageError(`${redactUrl(url)}: no token of "${actor}" in arrangement "${arrangement}"`);
    await secrets.put('tokens', JSON.stringify({ ...tokens, [actor]: fresh }));
    return secrets.location;
  } finally {
    await store.close();
  }
}
