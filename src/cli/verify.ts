// detente verify BUNDLE [--since OLD_CHECKPOINT] [--witness VKEY …] [--quorum N]
//                       [--state FILE | --no-state]
// Exit 0: everything holds. Exit 1: the first failure, naming the entry; too few
// witness cosignatures, naming the witnesses missing; or a fork. Exit 2: the bundle
// cannot be checked (missing files, unparseable keys) or bad arguments.
//
// Witnesses: the --witness keys given, with --quorum N of them required (default: all
// given); with no --witness, those the bundle's genesis (its first entry, the
// arrangement) names, with its quorum. --quorum 0 checks no cosignature.
//
// State: the last checkpoint verified per log is remembered (default
// ~/.detente/verify-state.json), and a later bundle of that log must extend it (an
// automatic --since). A bundle that does not is a fork: both checkpoints are printed
// and written beside the state file, and the state is not advanced.

import { readFileSync } from 'node:fs';
import { BundleInputError, verifyBundle } from '../record/bundle.ts';
import { bundleCheckpoint, bundleHead, checkCosignatures, genesisWitnesses, readConsistency } from '../record/bundle-witnessing.ts';
import { parseCheckpoint } from '../record/checkpoint.ts';
import { noteParts } from '../record/cosignature.ts';
import { encodeBase64 } from '../record/encoding.ts';
import { verifyConsistency } from '../record/merkle.ts';
import { parseArgs, UsageError } from './args.ts';
import { takeRepeated } from './repeated.ts';
import { defaultStatePath, readVerifyState, StateFileError, writeFork, writeVerifyState, type VerifyState } from './verify-state.ts';

const USAGE = 'usage: detente verify BUNDLE [--since OLD_CHECKPOINT] [--witness VKEY …] [--quorum N] [--state FILE | --no-state]';

function readSince(path: string): string | number {
  try {
    return readFileSync(path, 'utf8');
  } catch (e) {
    process.stderr.write(`detente verify: cannot read ${path}: ${(e as NodeJS.ErrnoException).code ?? String(e)}\n`);
    return 2;
  }
}

export async function run(argv: string[]): Promise<number> {
  const repeated = takeRepeated(argv, 'witness');
  const args = parseArgs(repeated.rest, { values: { since: undefined, quorum: undefined, state: undefined }, booleans: ['no-state'] });
  const [bundle, ...extra] = args.positional;
  if (bundle === undefined) throw new UsageError(`missing BUNDLE; ${USAGE}`);
  if (extra.length > 0) throw new UsageError(`unexpected argument "${extra[0]}"; ${USAGE}`);
  const q = args.values.quorum;
  if (q !== undefined && !/^(0|[1-9][0-9]{0,5})$/.test(q)) throw new UsageError(`--quorum takes a number, not "${q}"`);
  if (args.booleans.has('no-state') && args.values.state !== undefined) throw new UsageError('--state and --no-state exclude each other');
  const statePath = args.booleans.has('no-state') ? undefined : (args.values.state ?? defaultStatePath());

  let since: string | undefined;
  if (args.values.since !== undefined) {
    const s = readSince(args.values.since);
    if (typeof s === 'number') return s;
    since = s;
  }
  let state: VerifyState | undefined;
  try {
    state = statePath === undefined ? undefined : readVerifyState(statePath);
  } catch (e) {
    if (!(e instanceof StateFileError)) throw e;
    process.stderr.write(`detente verify: ${e.message}\n`);
    return 2;
  }
  const head = bundleHead(bundle);
  const remembered = head && state ? state.logs[head.origin] : undefined;

  let result: ReturnType<typeof verifyBundle>;
  try {
    result = verifyBundle(bundle, { since: since ?? remembered?.checkpoint });
    if (!result.ok && since === undefined && remembered) {
      // The bundle may hold on its own and only fail to extend what was verified before.
      const alone = verifyBundle(bundle);
      if (alone.ok) return notExtending(statePath!, alone.origin, alone.size, remembered.size, remembered.checkpoint, bundleCheckpoint(bundle));
    }
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
  const note = bundleCheckpoint(bundle);
  const lines = [
    `ok: ${result.size} entries of ${result.origin}`,
    `root ${encodeBase64(result.root)}, checkpoint signed by ${result.signedBy.join(', ')}`,
    ...(result.since !== undefined ? [`consistent with the ${since === undefined ? 'remembered ' : ''}checkpoint for ${result.since} entries`] : []),
  ];

  // The proof the bundle carries (export --since) must hold too, from wherever it starts.
  let carried: ReturnType<typeof readConsistency>;
  try {
    carried = readConsistency(bundle);
  } catch (e) {
    process.stderr.write(`detente verify: ${(e as Error).message}\n`);
    return 2;
  }
  if (carried) {
    const oldNote = since ?? remembered?.checkpoint;
    // verifyBundle opened the older checkpoint under the log key already.
    const old = oldNote === undefined ? undefined : parseCheckpoint(noteParts(oldNote).text);
    if (old && old.size === carried.old) {
      if (!verifyConsistency(old.size, result.size, old.root, result.root, carried.proof)) {
        process.stderr.write(`detente verify: FAILED: the consistency proof the bundle carries from ${old.size} entries does not verify\n`);
        return 1;
      }
      lines.push(`the bundle's consistency proof from ${old.size} entries verifies`);
    } else lines.push(`note: the bundle carries a consistency proof from ${carried.old} entries; no checkpoint of that size to check it against`);
  }

  // Witnesses.
  const given = repeated.values;
  const genesis = given.length === 0 ? genesisWitnesses(bundle) : undefined;
  const keys = given.length > 0 ? given : (genesis?.keys.map((k) => k.key) ?? []);
  const quorum = q !== undefined ? Number(q) : given.length > 0 ? given.length : (genesis?.quorum ?? 0);
  if (quorum > keys.length) throw new UsageError(`--quorum ${quorum} is more than the ${keys.length} witness key(s) given`);
  if (quorum > 0) {
    let check: ReturnType<typeof checkCosignatures>;
    try {
      check = checkCosignatures(note, keys, quorum);
    } catch (e) {
      throw new UsageError(`--witness: ${(e as Error).message}`);
    }
    if (!check.ok) {
      process.stderr.write(`detente verify: FAILED: ${check.message}\n`);
      return 1;
    }
    const from = given.length > 0 ? '--witness' : "the genesis's witnesses";
    lines.push(`cosigned by ${check.cosigned.map((c) => `${c.name} (${new Date(c.time * 1000).toISOString()})`).join(', ')}: ${quorum} required of ${from}`);
  }

  if (state && statePath) {
    if (!remembered || result.size >= remembered.size) {
      state.logs[result.origin] = { size: result.size, root: encodeBase64(result.root), checkpoint: note, verified: new Date().toISOString() };
      writeVerifyState(statePath, state);
      lines.push(`remembered in ${statePath}`);
    }
  }
  lines.push(...result.notes.map((n) => `note: ${n}`));
  process.stdout.write(lines.join('\n') + '\n');
  return 0;
}

/** The bundle holds on its own but does not extend the remembered checkpoint. */
function notExtending(statePath: string, origin: string, size: number, rememberedSize: number, remembered: string, offered: string): number {
  if (size < rememberedSize) {
    process.stderr.write(
      `detente verify: FAILED: the bundle's checkpoint covers ${size} entries, fewer than the ${rememberedSize} verified before (${statePath}); it cannot show that it extends it\n`,
    );
    return 1;
  }
  const file = writeFork(statePath, origin, remembered, offered);
  process.stderr.write(
    [
      `detente verify: FAILED: the log forked: ${origin} at ${size} entries does not extend the checkpoint for ${rememberedSize} entries verified before.`,
      'Both are signed by the log key; both cannot be true.',
      '--- remembered ---',
      remembered.trimEnd(),
      '--- this bundle ---',
      offered.trimEnd(),
      `Both are written to ${file} for publication; the remembered checkpoint is kept.`,
      '',
    ].join('\n'),
  );
  return 1;
}
