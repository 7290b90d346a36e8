// detente genesis --arrangement FILE [--custodial ACTOR[,ACTOR…]|all] [--server-keys DIR]
// Prints the genesis statement (canonical JSON) exactly as `detente serve` will record
// it, so that every party and the guarantor can sign it offline (`detente keys sign`)
// before the server starts. With --custodial, the server's keys for those actors are
// part of the key book: they are read from DIR/keys/actors (made there on first use),
// DIR being the --data directory the server will run on.
import { loadArrangementSource } from '../arrangement/load.ts';
import { ArrangementError, formatIssue } from '../arrangement/issues.ts';
import { canonicalJson } from '../record/canonical.ts';
import { genesisStatement, mediatorOf } from '../server/core/arrangement-note.ts';
import { custodialSigners } from '../server/keyring.ts';
import { parseArgs, UsageError } from './args.ts';
import { custodialOf } from './serve.ts';

const USAGE = 'usage: detente genesis --arrangement FILE [--custodial ACTOR[,ACTOR…]|all] [--server-keys DIR]';

export async function run(argv: string[]): Promise<number> {
  const a = parseArgs(argv, { values: { arrangement: undefined, custodial: undefined, 'server-keys': undefined } });
  if (a.positional.length) throw new UsageError(`unexpected argument "${a.positional[0]}"; ${USAGE}`);
  if (!a.values.arrangement) throw new UsageError(`--arrangement FILE is required; ${USAGE}`);
  let source: ReturnType<typeof loadArrangementSource>;
  try {
    source = loadArrangementSource(a.values.arrangement);
  } catch (e) {
    if (!(e instanceof ArrangementError)) throw e;
    for (const i of e.issues) process.stderr.write(formatIssue(i) + '\n');
    return 2;
  }
  const ids = source.arrangement.actors.map((x) => x.id);
  const custodial = custodialOf(a.values.custodial, ids);
  if (custodial.length > 0 && a.values['server-keys'] === undefined)
    throw new UsageError('--custodial needs --server-keys DIR (the data directory the server will run on), where its keys are kept');
  const held = custodial.length ? custodialSigners(a.values['server-keys']!, custodial) : new Map();
  const serverKeys = new Map([...held].map(([id, s]) => [id, s.verifier.vkey as string]));
  const author = mediatorOf(source);
  if (author === undefined) throw new UsageError('the arrangement has no mediator to author its genesis');
  process.stdout.write(`${canonicalJson(genesisStatement(source, serverKeys, author))}\n`);
  return 0;
}
