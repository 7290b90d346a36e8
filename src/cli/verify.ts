// detente verify BUNDLE [--since OLD_CHECKPOINT]
// Exit 0: everything holds. Exit 1: the first failure, naming the entry. Exit 2: the
// bundle cannot be checked (missing files, unparseable keys) or bad arguments.

import { readFileSync } from 'node:fs';
import { BundleInputError, verifyBundle } from '../record/bundle.ts';
import { encodeBase64 } from '../record/encoding.ts';
import { parseArgs, UsageError } from './args.ts';

const USAGE = 'usage: detente verify BUNDLE [--since OLD_CHECKPOINT]';

export async function run(argv: string[]): Promise<number> {
  const args = parseArgs(argv, { values: { since: undefined } });
  const [bundle, ...extra] = args.positional;
  if (bundle === undefined) throw new UsageError(`missing BUNDLE; ${USAGE}`);
  if (extra.length > 0) throw new UsageError(`unexpected argument "${extra[0]}"; ${USAGE}`);
  let since: string | undefined;
  if (args.values.since !== undefined) {
    try {
      since = readFileSync(args.values.since, 'utf8');
    } catch (e) {
      process.stderr.write(`detente verify: cannot read ${args.values.since}: ${(e as NodeJS.ErrnoException).code ?? String(e)}\n`);
      return 2;
    }
  }
  let result: ReturnType<typeof verifyBundle>;
  try {
    result = verifyBundle(bundle, { since });
  } catch (e) {
    if (e instanceof BundleInputError) {
      process.stderr.write(`detente verify: ${e.message}\n`);
      return 2;
    }
    throw e;
  }
  if (!result.ok) {
    process.stderr.write(`detente verify: FAILED: ${result.message}\n`);
    return 1;
  }
  const lines = [
    `ok: ${result.size} entries of ${result.origin}`,
    `root ${encodeBase64(result.root)}, checkpoint signed by ${result.signedBy.join(', ')}`,
    ...(result.since !== undefined ? [`consistent with the checkpoint for ${result.since} entries`] : []),
    ...result.notes.map((n) => `note: ${n}`),
  ];
  process.stdout.write(lines.join('\n') + '\n');
  return 0;
}
