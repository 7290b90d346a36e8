// detente follow URL --arrangement ID --token TOKEN --data DIR [--once] [--interval MS]
//                    [--latest] [--witness-key FILE --listen PORT [--host H]]
//                    [--check-findings FILE --as ACTOR]
// A party's own replica of the record (docs/follow.md). Exit codes: with --once, 0 when
// everything the server serves verifies, 1 when a discrepancy was found (printed, and in
// DIR/discrepancies.ndjson), 2 when the server cannot be read or the arguments are bad.
// Without --once it follows until SIGINT/SIGTERM (exit 0), or until the server's log is
// no longer the one it verified (exit 1) unless it also serves as a witness, which goes
// on refusing to cosign what does not extend what it verified.

import { ServerError } from '../follow/client.ts';
import { describe } from '../follow/discrepancy.ts';
import { engineCheck } from '../follow/engine-check.ts';
import { Follower } from '../follow/follower.ts';
import { startFollowerWitness } from '../follow/witness.ts';
import { StateError } from '../follow/state.ts';
import { parseArgs, UsageError } from './args.ts';

const USAGE =
  'usage: detente follow URL --arrangement ID --token TOKEN --data DIR [--once] [--interval MS] [--latest] [--witness-key FILE --listen PORT [--host H]] [--check-findings ARRANGEMENT_FILE --as ACTOR]';

export async function run(argv: string[]): Promise<number> {
  const args = parseArgs(argv, {
    values: {
      arrangement: undefined,
      token: undefined,
      data: undefined,
      interval: '2000',
      'witness-key': undefined,
      listen: undefined,
      host: '127.0.0.1',
      'check-findings': undefined,
      as: undefined,
    },
    booleans: ['once', 'latest'],
  });
  const [url, ...extra] = args.positional;
  if (url === undefined) throw new UsageError(`missing URL; ${USAGE}`);
  if (extra.length > 0) throw new UsageError(`unexpected argument "${extra[0]}"; ${USAGE}`);
  if (!/^https?:\/\//.test(url)) throw new UsageError(`URL must be http:// or https://, not "${url}"`);
  const { arrangement, token, data } = args.values;
  if (arrangement === undefined) throw new UsageError(`--arrangement ID is required; ${USAGE}`);
  if (token === undefined) throw new UsageError(`--token TOKEN is required; ${USAGE}`);
  if (data === undefined) throw new UsageError(`--data DIR is required; ${USAGE}`);
  const interval = Number(args.values.interval);
  if (!Number.isSafeInteger(interval) || interval < 10) throw new UsageError(`--interval takes milliseconds (at least 10), not "${args.values.interval}"`);
  const witnessKey = args.values['witness-key'];
  const listen = args.values.listen;
  if ((witnessKey === undefined) !== (listen === undefined)) throw new UsageError('--witness-key and --listen go together');
  if (listen !== undefined && !/^\d{1,5}$/.test(listen)) throw new UsageError(`--listen takes a port, not "${listen}"`);
  const checkFile = args.values['check-findings'];
  const as = args.values.as;
  if ((checkFile === undefined) !== (as === undefined))
    throw new UsageError('--check-findings ARRANGEMENT_FILE and --as ACTOR go together (the file this party holds, the actor the token is for)');
  const once = args.booleans.has('once');
  if (once && listen !== undefined) throw new UsageError('--once does not serve as a witness');

  const say = (line: string) => process.stdout.write(`${line}\n`);
  let follower: Follower;
  try {
    const checks = checkFile === undefined ? [] : [engineCheck({ dir: data, actor: as!, arrangementFile: checkFile })];
    follower = new Follower({ dir: data, url, arrangement, token, latest: args.booleans.has('latest'), say, checks });
  } catch (e) {
    if (e instanceof StateError) {
      process.stderr.write(`detente follow: ${e.message}\n`);
      return 2;
    }
    throw e;
  }

  if (once) {
    try {
      const r = await follower.round();
      for (const d of r.discrepancies) process.stderr.write(`detente follow: ${describe(d)}\n`);
      if (r.discrepancies.length === 0)
        say(`${r.size} entries verified; ${JSON.stringify(follower.openings.counts())} sealed contents (full, coarse, not disclosed)`);
      return r.discrepancies.length > 0 || r.stopped ? 1 : 0;
    } catch (e) {
      // The server unreachable or answering nonsense, a data directory of another log: unusable input.
      process.stderr.write(`detente follow: ${(e as Error).message}\n`);
      return 2;
    } finally {
      await follower.close();
    }
  }

  const witness =
    witnessKey === undefined ? undefined : await startFollowerWitness({ follower, keyFile: witnessKey, port: Number(listen), host: args.values.host! });
  if (witness) say(`witness ${witness.vkey} listening on ${witness.url}`);
  let stopping = false;
  let wake: (() => void) | undefined;
  const stop = () => {
    stopping = true;
    wake?.();
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  let code = 0;
  while (!stopping) {
    try {
      const r = await follower.round();
      for (const d of r.discrepancies) process.stderr.write(`detente follow: ${describe(d)}\n`);
      if (r.stopped && !witness) {
        code = 1;
        break;
      }
    } catch (e) {
      if (!(e instanceof ServerError)) throw e;
      process.stderr.write(`detente follow: ${e.message} (trying again)\n`);
    }
    await new Promise<void>((resolve) => {
      const t = setTimeout(resolve, interval);
      wake = () => {
        clearTimeout(t);
        resolve();
      };
    });
  }
  await witness?.close();
  await follower.close();
  return code;
}
