// detente serve --arrangement FILE --data DIR [--port N] [--host H] [--deployment NAME] [--log-public]
// Serves one arrangement's talks, monitoring and record over HTTP (spec/api.md). On
// start it prints the URL and writes DIR/tokens.json; it stops cleanly on SIGINT or
// SIGTERM, committing what is queued and signing a last checkpoint.
import { loadArrangementSource } from '../arrangement/load.ts';
import { ArrangementError, formatIssue } from '../arrangement/issues.ts';
import { DeploymentRefused } from '../server/deployment.ts';
import { startServer } from '../server/start.ts';
import { parseArgs, UsageError } from './args.ts';

const USAGE = 'usage: detente serve --arrangement FILE --data DIR [--port N] [--host H] [--deployment NAME] [--log-public]';

export function portOf(value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (!/^\d{1,5}$/.test(value) || Number(value) > 65535) throw new UsageError(`--port must be a number from 0 to 65535, not "${value}"`);
  return Number(value);
}

export async function run(argv: string[]): Promise<number> {
  const a = parseArgs(argv, {
    values: { arrangement: undefined, data: undefined, port: undefined, host: '127.0.0.1', deployment: 'local' },
    // the log's tlog-tiles at /log/ without a token: only once nothing restricted is in the entries
    booleans: ['log-public'],
  });
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
      logPublic: a.booleans.has('log-public'),
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
