// detente serve --arrangement FILE (--data DIR | --store postgres://…) [--port N] [--host H] [--deployment NAME] [--log-public]
//               [--custodial ACTOR[,ACTOR…]|all] [--endorsement FILE …] [--cot-port N]
//               [--cot-tls-port N --cot-ca FILE --cot-cert FILE --cot-key FILE --cot-clients FILE]
//               [--webhook-allow-private]
// Serves one arrangement's talks, monitoring and record over HTTP (spec/api.md). On
// start it prints the URL and writes DIR/tokens.json; it stops cleanly on SIGINT or
// SIGTERM, committing what is queued and signing a last checkpoint.
// --store postgres://USER@HOST:PORT/DB (or DETENTE_STORE) keeps the record, keys and
// tokens in PostgreSQL (docs/postgres.md); --data is then optional.
// The server holds keys (and signs) only for the --custodial actors; every other actor
// signs its own statements. A new record's genesis must be endorsed by every party and
// the guarantor: those the server holds no key for give theirs with --endorsement
// (`detente genesis`, then `detente keys sign`); without them the server exits 2.
import { readFileSync } from 'node:fs';
import { loadArrangementSource } from '../arrangement/load.ts';
import { ArrangementError, formatIssue } from '../arrangement/issues.ts';
import type { Endorsement } from '../record/statement.ts';
import { DeploymentRefused } from '../server/deployment.ts';
import { startServer } from '../server/start.ts';
import { parseArgs, UsageError } from './args.ts';
import { loginLinks } from './login-links.ts';
import { takeRepeated } from './repeated.ts';
import { isPostgresUrl, redactUrl } from '../store/postgres/connect.ts';
import { COT_FLAGS, cotOptions } from './cot-options.ts';

const USAGE =
  'usage: detente serve --arrangement FILE (--data DIR | --store postgres://USER@HOST:PORT/DB) [--port N] [--host H] [--deployment NAME] [--custodial ACTOR[,ACTOR…]|all] [--endorsement FILE …] [--log-public] [--witness NAME=URL …] [--cot-port N] [--cot-tls-port N --cot-ca FILE --cot-cert FILE --cot-key FILE --cot-clients FILE] [--webhook-allow-private]';

/** The actors named by --custodial (all, or a comma-separated list of actor ids); none without it. */
export function custodialOf(value: string | undefined, ids: readonly string[]): string[] {
  if (value === undefined) return [];
  if (value === 'all') return [...ids];
  const named = value.split(',').filter((x) => x !== '');
  const unknown = named.filter((x) => !ids.includes(x));
  if (unknown.length) throw new UsageError(`--custodial: ${unknown.join(', ')} is not an actor (the actors are ${ids.join(', ')})`);
  return named;
}

function readEndorsements(files: string[]): Endorsement[] {
  return files.flatMap((f) => {
    let value: unknown;
    try {
      value = JSON.parse(readFileSync(f, 'utf8'));
    } catch (e) {
      throw new UsageError(`--endorsement ${f}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
    }
    const list = Array.isArray(value) ? value : [value];
    for (const e of list)
      if (typeof e !== 'object' || e === null || typeof e.key !== 'string' || typeof e.sig !== 'string')
        throw new UsageError(`--endorsement ${f}: an endorsement is { "key", "sig" } (as detente keys sign prints it)`);
    return list.map((e: Endorsement) => ({ key: e.key, sig: e.sig }));
  });
}

/** `--witness NAME=URL` values, checked against the witnesses the arrangement names. */
function witnessUrls(values: string[], named: readonly string[]): Map<string, string> {
  const urls = new Map<string, string>();
  for (const v of values) {
    const eq = v.indexOf('=');
    const name = v.slice(0, eq);
    const url = v.slice(eq + 1);
    if (eq <= 0 || !/^https?:\/\//.test(url)) throw new UsageError(`--witness takes NAME=URL (http or https), not "${v}"`);
    if (!named.includes(name)) throw new UsageError(`--witness ${name}: the arrangement names no such witness (it names: ${named.join(', ') || 'none'})`);
    urls.set(name, url);
  }
  return urls;
}

export function portOf(value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (!/^\d{1,5}$/.test(value) || Number(value) > 65535) throw new UsageError(`--port must be a number from 0 to 65535, not "${value}"`);
  return Number(value);
}

export async function run(argv: string[]): Promise<number> {
  const endorsementArgs = takeRepeated(argv, 'endorsement');
  const witnessArgs = takeRepeated(endorsementArgs.rest, 'witness');
  const a = parseArgs(witnessArgs.rest, {
    values: {
      arrangement: undefined,
      data: undefined,
      store: undefined,
      port: undefined,
      host: '127.0.0.1',
      deployment: 'local',
      custodial: undefined,
      ...COT_FLAGS,
    },
    // the log's tlog-tiles at /log/ without a token: only once nothing restricted is in the entries
    // webhooks to loopback and private addresses: off by default, so that no token can make the server probe its own network
    booleans: ['log-public', 'webhook-allow-private'],
  });
  const endorsements = readEndorsements(endorsementArgs.values);
  if (a.positional.length) throw new UsageError(`unexpected argument "${a.positional[0]}"; ${USAGE}`);
  const { arrangement, data, host, deployment } = a.values;
  if (!arrangement) throw new UsageError(`--arrangement FILE is required; ${USAGE}`);
  const store = a.values.store ?? (process.env.DETENTE_STORE || undefined);
  if (store !== undefined && !isPostgresUrl(store))
    throw new UsageError(
      `--store: ${store.includes('://') ? redactUrl(store) : store}: not a postgres:// URL (without --store the record is kept in SQLite under --data)`,
    );
  if (!data && store === undefined) throw new UsageError(`--data DIR (or --store postgres://…) is required; ${USAGE}`);
  if (!/^[A-Za-z0-9._-]+$/.test(deployment!)) throw new UsageError(`--deployment must be letters, digits, '.', '_' or '-'`);
  const port = portOf(a.values.port, 7474);
  let source: ReturnType<typeof loadArrangementSource>;
  try {
    source = loadArrangementSource(arrangement);
  } catch (e) {
    if (!(e instanceof ArrangementError)) throw e;
    for (const i of e.issues) process.stderr.write(formatIssue(i) + '\n');
    return 2;
  }
  const named = (source.arrangement.witnesses?.keys ?? []).map((w) => w.name);
  const urls = witnessUrls(witnessArgs.values, named);
  const cot = cotOptions(a.values, new Set(source.arrangement.actors.map((x) => x.id)));
  for (const n of named) if (!urls.has(n)) process.stderr.write(`detente serve: warning: no --witness ${n}=URL: witness ${n} is never asked to cosign\n`);
  let server: Awaited<ReturnType<typeof startServer>>;
  let refused: Error | undefined;
  try {
    // Reads are served from the restored state at once; writes wait for the check of the
    // stored record, and a record altered on disk stops the server (exit 2).
    server = await startServer({
      source,
      dataDir: data,
      store,
      port,
      host: host!,
      deployment,
      custodial: custodialOf(
        a.values.custodial,
        source.arrangement.actors.map((x) => x.id),
      ),
      endorsements,
      readsBeforeCheck: true,
      logPublic: a.booleans.has('log-public'),
      witnessUrls: urls,
      cot,
      webhooks: { allowPrivate: a.booleans.has('webhook-allow-private') },
      onRefused: (e) => {
        refused = e;
        process.stderr.write(`detente serve: ${e.message}\n`);
        void server.stop();
      },
    });
  } catch (e) {
    // A record this server must not run (another arrangement, an edited file): say why, exit 2.
    if (!(e instanceof DeploymentRefused)) throw e;
    process.stderr.write(`detente serve: ${e.message}\n`);
    return 2;
  }
  for (const w of server.deployment.warnings) process.stderr.write(`detente serve: warning: ${w}\n`);
  process.stdout.write(
    `detente: serving ${server.deployment.id} at ${server.url}\n  tokens: ${server.tokensPath}\n  record: ${server.deployment.log.size} entries\n`,
  );
  // As the demo does: a link per actor, to open the page already logged in.
  process.stdout.write(['  log in as:', ...loginLinks(server.url, server.deployment), ''].join('\n'));
  const c = server.cot;
  if (c)
    process.stdout.write(
      `  cot: ${[c.port !== undefined ? `tcp ${host}:${c.port}` : '', c.tlsPort !== undefined ? `tls ${host}:${c.tlsPort}` : ''].filter(Boolean).join(', ')}\n`,
    );
  await server.closed;
  return refused ? 2 : 0;
}
