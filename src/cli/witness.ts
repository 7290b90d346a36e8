// detente witness --data DIR [--port N] [--host H] [--name NAME] --log ORIGIN=VKEY …
// Runs a C2SP tlog-witness v1.0.0 witness for the logs named (docs/spec/witness.md).
// Its key is made on first start and kept in DIR/witness.key (owner only); its verifier
// key is printed and written to DIR/witness.vkey. Stops cleanly on SIGINT or SIGTERM.

import { RecordError } from '../record/errors.ts';
import { WitnessKeyError } from '../witness/key-file.ts';
import { parseLogs, startWitness } from '../witness/server.ts';
import { StateInUseError } from '../witness/state.ts';
import { takeRepeated } from './repeated.ts';
import { parseArgs, UsageError } from './args.ts';

const USAGE = 'usage: detente witness --data DIR [--port N] [--host H] [--name NAME] --log ORIGIN=VKEY …';
const DEFAULT_PORT = 7480;

function portOf(value: string | undefined): number {
  if (value === undefined) return DEFAULT_PORT;
  if (!/^\d{1,5}$/.test(value) || Number(value) > 65535) throw new UsageError(`--port must be a number from 0 to 65535, not "${value}"`);
  return Number(value);
}

export async function run(argv: string[]): Promise<number> {
  const { rest, values: logArgs } = takeRepeated(argv, 'log');
  const a = parseArgs(rest, { values: { data: undefined, port: undefined, host: '127.0.0.1', name: undefined } });
  if (a.positional.length) throw new UsageError(`unexpected argument "${a.positional[0]}"; ${USAGE}`);
  const { data, host, name } = a.values;
  if (!data) throw new UsageError(`--data DIR is required; ${USAGE}`);
  if (logArgs.length === 0) throw new UsageError(`at least one --log ORIGIN=VKEY is required; ${USAGE}`);
  const port = portOf(a.values.port);
  const logs = new Map<string, string[]>();
  for (const l of logArgs) {
    // The origin cannot hold '=' here; the key's base64 may end in it.
    const eq = l.indexOf('=');
    if (eq <= 0) throw new UsageError(`--log "${l}" is not ORIGIN=VKEY`);
    const origin = l.slice(0, eq);
    logs.set(origin, [...(logs.get(origin) ?? []), l.slice(eq + 1)]);
  }
  try {
    parseLogs(logs);
  } catch (e) {
    throw new UsageError((e as Error).message);
  }

  let witness: Awaited<ReturnType<typeof startWitness>>;
  try {
    witness = await startWitness({ dir: data, name, logs, port, host });
  } catch (e) {
    if (e instanceof WitnessKeyError || e instanceof StateInUseError || e instanceof RecordError) {
      process.stderr.write(`detente witness: ${e.message}\n`);
      return 2;
    }
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE' || code === 'EACCES' || code === 'EADDRNOTAVAIL') {
      process.stderr.write(`detente witness: cannot listen on ${host}:${port}: ${code}\n`);
      return 2;
    }
    throw e;
  }
  // Signals are handled before anything is printed: whoever waits for the line below may
  // stop the witness the moment it reads it.
  const stopped = new Promise<void>((resolve) => {
    const stop = () => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      void witness.close().then(resolve);
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
  // The verifier key alone on the first line, so that `| head -1` gives it to an arrangement.
  process.stdout.write(
    `${witness.vkey}\ndetente witness: listening at ${witness.url} (POST /add-checkpoint) for ${[...logs.keys()].join(', ')}; verifier key above and in ${data}/witness.vkey\n`,
  );
  await stopped;
  return 0;
}
