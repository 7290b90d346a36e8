// detente serve --arrangement FILE [--arrangement FILE …] (--data DIR | --store postgres://…) [--port N] [--host H] [--deployment NAME] [--log-public]
//               [--custodial ACTOR[,ACTOR…]|all] [--endorsement FILE …] [--cot-port N]
//               [--cot-tls-port N --cot-ca FILE --cot-cert FILE --cot-key FILE --cot-clients FILE]
//               [--webhook-allow-private] [--cot-arrangement ID] [--bench FILE]
// Serves arrangements' talks, monitoring and record over HTTP (spec/api.md), each its own
// log and origin under /api/arrangements/<id>. On start it prints the URL and writes
// DIR/tokens.json (the first arrangement's) and DIR/tokens/<id>.json (each one's); it
// stops cleanly on SIGINT or SIGTERM, committing what is queued and signing a last
// checkpoint. The CoT listener serves one arrangement: --cot-arrangement, else the first;
// --bench loads the mediator's bench model of the first.
// --store postgres://USER@HOST:PORT/DB (or DETENTE_STORE) keeps the record, keys and
// tokens in PostgreSQL (docs/postgres.md); --data is then optional. Several nodes may run
// on one database: one sequences, the others follow and forward writes to the URL it
// advertises (--advertise URL, default http://HOST:PORT/).
// The server holds keys (and signs) only for the --custodial actors; every other actor
// signs its own statements. A new record's genesis must be endorsed by every party and
// the guarantor: those the server holds no key for give theirs with --endorsement
// (`detente genesis`, then `detente keys sign`); without them the server exits 2.
// --bench FILE starts the mediator's bench with that model (as `detente analyze` reads it;
// a bad one exits 2 naming each field); without it the one stored under --data is served.
import { readFileSync } from 'node:fs';
import { loadArrangementSource } from '../arrangement/load.ts';
import { ArrangementError, formatIssue } from '../arrangement/issues.ts';
import type { Endorsement } from '../record/statement.ts';
import { DeploymentRefused } from '../server/deployment.ts';
import { sourcesOf, startServer } from '../server/start.ts';
import { benchArg } from './bench-arg.ts';
import { parseArgs, UsageError } from './args.ts';
import { loginLinks } from './login-links.ts';
import { takeRepeated } from './repeated.ts';
import { isPostgresUrl, redactUrl } from '../store/postgres/connect.ts';
import { COT_FLAGS, cotOptions } from './cot-options.ts';

const USAGE =
  'usage: detente serve --arrangement FILE [--arrangement FILE …] (--data DIR | --store postgres://USER@HOST:PORT/DB) [--port N] [--host H] [--deployment NAME] [--custodial ACTOR[,ACTOR…]|all] [--endorsement FILE …] [--log-public] [--witness NAME=URL …] [--cot-port N] [--cot-tls-port N --cot-ca FILE --cot-cert FILE --cot-key FILE --cot-clients FILE] [--webhook-allow-private] [--cot-arrangement ID] [--bench FILE] [--advertise URL]';

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
  const arrangementArgs = takeRepeated(argv, 'arrangement');
  const endorsementArgs = takeRepeated(arrangementArgs.rest, 'endorsement');
  const witnessArgs = takeRepeated(endorsementArgs.rest, 'witness');
  const a = parseArgs(witnessArgs.rest, {
    values: {
      data: undefined,
      'cot-arrangement': undefined,
      store: undefined,
      port: undefined,
      host: '127.0.0.1',
      deployment: 'local',
      custodial: undefined,
      bench: undefined,
      advertise: undefined,
      ...COT_FLAGS,
    },
    // the log's tlog-tiles at /log/ without a token: only once nothing restricted is in the entries
    // webhooks to loopback and private addresses: off by default, so that no token can make the server probe its own network
    booleans: ['log-public', 'webhook-allow-private'],
  });
  const endorsements = readEndorsements(endorsementArgs.values);
  if (a.positional.length) throw new UsageError(`unexpected argument "${a.positional[0]}"; ${USAGE}`);
  const { data, host, deployment } = a.values;
  if (arrangementArgs.values.length === 0) throw new UsageError(`--arrangement FILE is required; ${USAGE}`);
  const store = a.values.store ?? (process.env.DETENTE_STORE || undefined);
  if (store !== undefined && !isPostgresUrl(store))
    throw new UsageError(
      `--store: ${store.includes('://') ? redactUrl(store) : store}: not a postgres:// URL (without --store the record is kept in SQLite under --data)`,
    );
  if (!data && store === undefined) throw new UsageError(`--data DIR (or --store postgres://…) is required; ${USAGE}`);
  if (!/^[A-Za-z0-9._-]+$/.test(deployment!)) throw new UsageError(`--deployment must be letters, digits, '.', '_' or '-'`);
  const port = portOf(a.values.port, 7474);
  const advertise = a.values.advertise;
  if (advertise !== undefined) {
    if (store === undefined) throw new UsageError('--advertise is for several nodes on one PostgreSQL (--store postgres://…)');
    if (!/^https?:\/\/[^/\s]+\/?$/.test(advertise))
      throw new UsageError(`--advertise takes the base URL other nodes reach this one at (http://HOST:PORT/), not "${advertise}"`);
  }
  const sources: ReturnType<typeof loadArrangementSource>[] = [];
  for (const file of arrangementArgs.values) {
    try {
      sources.push(loadArrangementSource(file));
    } catch (e) {
      if (!(e instanceof ArrangementError)) throw e;
      for (const i of e.issues) process.stderr.write(formatIssue(i) + '\n');
      return 2;
    }
  }
  try {
    sourcesOf({ sources });
  } catch (e) {
    process.stderr.write(`detente serve: ${(e as Error).message}\n`);
    return 2;
  }
  const ids = sources.map((s) => s.arrangement.id);
  const cotArrangement = a.values['cot-arrangement'];
  if (cotArrangement !== undefined && !ids.includes(cotArrangement))
    throw new UsageError(`--cot-arrangement ${cotArrangement}: not an --arrangement given (${ids.join(', ')})`);
  const source = sources.find((s) => s.arrangement.id === (cotArrangement ?? ids[0]))!;
  const everyActor = sources.flatMap((s) => s.arrangement.actors.map((x) => x.id));
  // --witness names a witness of whichever arrangement names it.
  const named = [...new Set(sources.flatMap((s) => (s.arrangement.witnesses?.keys ?? []).map((w) => w.name)))];
  const urls = witnessUrls(witnessArgs.values, named);
  const cot = cotOptions(a.values, new Set(source.arrangement.actors.map((x) => x.id)));
  for (const n of named) if (!urls.has(n)) process.stderr.write(`detente serve: warning: no --witness ${n}=URL: witness ${n} is never asked to cosign\n`);
  const benchRead = benchArg(a.values.bench);
  if (benchRead === 2) return 2;
  const bench = benchRead.model;
  let server: Awaited<ReturnType<typeof startServer>>;
  let refused: Error | undefined;
  try {
    // Reads are served from the restored state at once; writes wait for the check of the
    // stored record, and a record altered on disk stops the server (exit 2).
    server = await startServer({
      sources,
      cotArrangement,
      dataDir: data,
      store,
      port,
      host: host!,
      deployment,
      custodial: custodialOf(a.values.custodial, [...new Set(everyActor)]),
      endorsements,
      readsBeforeCheck: true,
      logPublic: a.booleans.has('log-public'),
      witnessUrls: urls,
      cot,
      webhooks: { allowPrivate: a.booleans.has('webhook-allow-private') },
      bench,
      ...(advertise !== undefined ? { advertise } : {}),
      onLeader: (epoch, id) =>
        process.stdout.write(`detente: this node sequences the record ${sources.length > 1 ? `of ${id} ` : ''}now (leader epoch ${epoch})\n`),
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
  const several = server.deployments.length > 1;
  for (const d of server.deployments) for (const w of d.warnings) process.stderr.write(`detente serve: warning: ${several ? `${d.id}: ` : ''}${w}\n`);
  process.stdout.write(
    several
      ? `detente: serving ${server.deployments.map((d) => d.id).join(', ')} at ${server.url}\n` +
          server.deployments.map((d) => `  ${d.id}: tokens ${server.tokensPaths[d.id]}; record ${d.log.size} entries\n`).join('') +
          (data ? `  tokens of ${server.deployment.id} also in ${server.tokensPath}\n` : '')
      : `detente: serving ${server.deployment.id} at ${server.url}\n  tokens: ${server.tokensPath}\n  record: ${server.deployment.log.size} entries\n`,
  );
  // As the demo does: a link per actor, to open the page already logged in.
  process.stdout.write(
    (several
      ? server.deployments.flatMap((d) => [`  log in to ${d.id} as:`, ...loginLinks(server.url, d, '    ', d.id)])
      : ['  log in as:', ...loginLinks(server.url, server.deployment)]
    )
      .concat([''])
      .join('\n'),
  );
  if (server.node?.following) process.stdout.write('  node: following the record; writes are forwarded to the leader\n');
  const c = server.cot;
  if (c)
    process.stdout.write(
      `  cot: ${[c.port !== undefined ? `tcp ${host}:${c.port}` : '', c.tlsPort !== undefined ? `tls ${host}:${c.tlsPort}` : ''].filter(Boolean).join(', ')}\n`,
    );
  await server.closed;
  return refused ? 2 : 0;
}
