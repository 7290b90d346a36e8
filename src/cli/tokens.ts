// detente tokens revoke (--data DIR | --store postgres://…) --arrangement ID --actor ACTOR
// Replaces one actor's bearer token in one arrangement (tokens-revoke.ts says where and
// when a running server notices).
import { isPostgresUrl, redactUrl } from '../store/postgres/connect.ts';
import { parseArgs, UsageError } from './args.ts';
import { newToken, revokeInDir, revokeInStore } from './tokens-revoke.ts';

const USAGE = 'usage: detente tokens revoke (--data DIR | --store postgres://…) --arrangement ID --actor ACTOR';

export async function run(argv: string[]): Promise<number> {
  const [sub, ...rest] = argv;
  if (sub !== 'revoke') throw new UsageError(sub === undefined ? USAGE : `unknown tokens command "${sub}"; ${USAGE}`);
  const a = parseArgs(rest, { values: { data: undefined, store: undefined, arrangement: undefined, actor: undefined } });
  if (a.positional.length) throw new UsageError(`unexpected argument "${a.positional[0]}"; ${USAGE}`);
  const { data, arrangement, actor } = a.values;
  const store = a.values.store ?? (process.env.DETENTE_STORE || undefined);
  if (!arrangement) throw new UsageError(`--arrangement ID is required; ${USAGE}`);
  if (!actor) throw new UsageError(`--actor ACTOR is required; ${USAGE}`);
  if (data === undefined && store === undefined) throw new UsageError(`--data DIR or --store postgres://… is required; ${USAGE}`);
  if (store !== undefined && !isPostgresUrl(store)) throw new UsageError(`--store: ${store.includes('://') ? redactUrl(store) : store}: not a postgres:// URL`);
  const where: string[] = [];
  const fresh = newToken();
  if (store !== undefined) {
    try {
      where.push(await revokeInStore(store, arrangement, actor, fresh));
    } catch (e) {
      if (e instanceof UsageError) throw e;
      process.stderr.write(`detente tokens: --store ${redactUrl(store)}: ${(e as Error).message}\n`);
      return 2;
    }
  }
  // With both, the data directory's copies follow the database's (a server writes them again on start).
  if (data !== undefined) where.push(...revokeInDir(data, arrangement, actor, fresh));
  process.stdout.write(`revoked ${actor}'s token in ${arrangement}; a new one is in ${where.join(', ')}\n`);
  return 0;
}
