// detente serve --arrangement FILE --data DIR [--port N] [--host H] [--deployment NAME]
// Serves one arrangement's talks, monitoring and record over HTTP (spec/api.md). On
// start it prints the URL and writes DIR/tokens.json; it stops cleanly on SIGINT or
// SIGTERM, committing what is queued and signing a last checkpoint.
import { loadArrangementSource } from '../arrangement/load.ts';
import { ArrangementError, formatIssue } from '../arrangement/issues.ts';
import { DeploymentRefused } from '../server/deployment.ts';
import { startServer } from '../server/start.ts';
import { parseArgs, UsageError } from './args.ts';
import { takeRepeated } from './repeated.ts';

const USAGE = 'usage: detente serve --arrangement FILE --data DIR [--port N] [--host H] [--deployment NAME] [--witness NAME=URL …]';

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
  const repeated = takeRepeated(argv, 'witness');
  const a = parseArgs(repeated.rest, { values: { arrangement: undefined, data: undefined, port: undefined, host: '127.0.0.1', deployment: 'local' } });
  if (a.positional.length) throw new UsageError(`unexpected argument "${a.positional[0]}"; ${USAGE}`);
  const { arrangement, data, host, deployment } = a.values;
  if (!arrangement) throw new UsageError(`--arrangement FILE is required; ${USAGE}`);
  if (!data) throw new UsageError(`--data DIR is required; ${USAGE}`);
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
  const urls = witnessUrls(repeated.values, named);
  for (const n of named) if (!urls.has(n)) process.stderr.write(`detente serve: warning: no --witness ${n}=URL: witness ${n} is never asked to cosign\n`);
  let server: Awaited<ReturnType<typeof startServer>>;
  let refused: Error | undefined;
  try {
    // Reads are served from the restored state at once; writes wait for the check of the
    // stored record, and a record altered on disk stops the server (exit 2).
    server = await startServer({
      source,
      dataDir: data,
      port,
      host: host!,
      deployment,
      readsBeforeCheck: true,
      witnessUrls: urls,
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
  process.stdout.write(
    `detente: serving ${server.deployment.id} at ${server.url}\n  tokens: ${server.tokensPath}\n  record: ${server.deployment.log.size} entries\n`,
  );
  await server.closed;
  return refused ? 2 : 0;
}
