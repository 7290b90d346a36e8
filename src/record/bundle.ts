// Offline verification of an exported bundle (spec/record.md, "Export"):
//   checkpoint       the signed checkpoint (C2SP note)
//   log-key.vkey     the log's verifier key, one line
//   entries.ndjson   the entries, exact bytes, one per line, in index order
//   keys.json        author id → the first verifier key it signed with (optional now)
//   leaf-hashes      (optional) the leaf hashes, 32 bytes each, in index order
// The first four are the spec's. leaf-hashes lets a failure be pinned to one entry: it
// is trusted only if it hashes to the signed root, and then any entry whose hash differs
// from its leaf is the one that was altered, moved, dropped or inserted. Without it a
// reordering shows only as a root that does not match.
// Which key may sign for whom is followed through the entries themselves: the genesis
// carries the key book and must be endorsed by every party and the guarantor, and `key`
// statements move it (key-book.ts). keys.json is only compared with the first key each
// author signed with, so that bundles from before the key book verify as they did.

import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { openCheckpoint, type OpenedCheckpoint } from './checkpoint.ts';
import { bytesEqual, encodeBase64 } from './encoding.ts';
import { EntryJudge } from './entry-judge.ts';
import { parseVerifierKey, type Verifier } from './keys.ts';
import { readLines } from './lines.ts';
import { HASH_SIZE, leafHash, RootBuilder, verifyConsistency } from './merkle.ts';
import { consistencyRanges } from './proofs.ts';
import { parseEntry, type Entry } from './statement.ts';

export const BUNDLE_FILES = {
  checkpoint: 'checkpoint',
  logKey: 'log-key.vkey',
  entries: 'entries.ndjson',
  keys: 'keys.json',
  leafHashes: 'leaf-hashes',
} as const;

/** The bundle cannot be checked at all (a file missing or unreadable, a key that does not parse). */
export class BundleInputError extends Error {}

export type BundleResult =
  | { ok: true; origin: string; size: number; root: Uint8Array; signedBy: string[]; since?: number; notes: string[] }
  | { ok: false; index?: number; message: string };

class Failure extends Error {
  constructor(
    readonly index: number | undefined,
    message: string,
  ) {
    super(message);
  }
}

function fail(index: number | undefined, what: string): never {
  throw new Failure(index, index === undefined ? what : `entry ${index}: ${what}`);
}

function readText(path: string, what: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (e) {
    throw new BundleInputError(`cannot read ${what} ${path}: ${(e as NodeJS.ErrnoException).code ?? String(e)}`);
  }
}

function readLogKey(dir: string): Verifier {
  const path = join(dir, BUNDLE_FILES.logKey);
  const text = readText(path, 'the log key');
  const line = text.endsWith('\n') ? text.slice(0, -1) : text;
  try {
    return parseVerifierKey(line);
  } catch (e) {
    throw new BundleInputError(`${path}: ${(e as Error).message}`);
  }
}

function readKeys(dir: string): Map<string, string> {
  const path = join(dir, BUNDLE_FILES.keys);
  if (!existsSync(path)) return new Map();
  let value: unknown;
  try {
    value = JSON.parse(readText(path, 'the author keys'));
  } catch (e) {
    if (e instanceof BundleInputError) throw e;
    throw new BundleInputError(`${path}: not JSON (${(e as Error).message})`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new BundleInputError(`${path}: must map author ids to verifier keys`);
  const keys = new Map<string, string>();
  for (const [author, key] of Object.entries(value)) {
    if (typeof key !== 'string') throw new BundleInputError(`${path}: the key of "${author}" is not a string`);
    try {
      parseVerifierKey(key);
    } catch (e) {
      throw new BundleInputError(`${path}: the key of "${author}": ${(e as Error).message}`);
    }
    keys.set(author, key);
  }
  return keys;
}

function openSigned(text: string, logKey: Verifier, what: string, origin?: string): OpenedCheckpoint {
  try {
    return openCheckpoint(text, logKey, origin);
  } catch (e) {
    fail(undefined, `${what}: ${(e as Error).message}`);
  }
}

/** The leaf hashes, if the file is there and hashes to the signed root. */
function trustedLeaves(dir: string, cp: OpenedCheckpoint, notes: string[]): Buffer | undefined {
  const path = join(dir, BUNDLE_FILES.leafHashes);
  if (!existsSync(path)) {
    notes.push(`no ${BUNDLE_FILES.leafHashes}: a mismatch would show only as a wrong root`);
    return undefined;
  }
  if (statSync(path).size !== cp.size * HASH_SIZE) {
    notes.push(`${BUNDLE_FILES.leafHashes} ignored: it does not hold ${cp.size} hashes`);
    return undefined;
  }
  const leaves = readFileSync(path);
  const b = new RootBuilder();
  for (let i = 0; i < cp.size; i++) b.push(leaves.subarray(i * HASH_SIZE, (i + 1) * HASH_SIZE));
  if (!bytesEqual(b.root(), cp.root)) {
    notes.push(`${BUNDLE_FILES.leafHashes} ignored: it does not hash to the checkpoint's root`);
    return undefined;
  }
  return leaves;
}

/**
 * Verifies a bundle: the checkpoint under log-key.vkey; every entry's form, key (as in
 * keys.json) and signature, with no statement twice; the entries' tree against the
 * checkpoint; and with `since` (an older checkpoint's text) that the bundle's tree
 * extends it, through an RFC 9162 consistency proof computed from the entries.
 * Throws BundleInputError when the bundle is unusable.
 */
export function verifyBundle(dir: string, options: { since?: string } = {}): BundleResult {
  const logKey = readLogKey(dir);
  const keys = readKeys(dir);
  const checkpointText = readText(join(dir, BUNDLE_FILES.checkpoint), 'the checkpoint');
  const entriesPath = join(dir, BUNDLE_FILES.entries);
  if (!existsSync(entriesPath)) throw new BundleInputError(`cannot read the entries ${entriesPath}: ENOENT`);
  const notes: string[] = [];
  try {
    const cp = openSigned(checkpointText, logKey, 'checkpoint');
    const old = options.since === undefined ? undefined : openSigned(options.since, logKey, 'the --since checkpoint', cp.origin);
    if (old && old.size > cp.size)
      fail(undefined, `the --since checkpoint is for ${old.size} entries, more than this bundle's ${cp.size}: the log went backwards`);
    const leaves = trustedLeaves(dir, cp, notes);

    // Consistency proof: the subtrees it lists are disjoint, so one pass fills them all.
    const ranges = old ? consistencyRanges(old.size, cp.size).map((r) => ({ ...r, tree: new RootBuilder() })) : [];
    const byStart = [...ranges].sort((a, b) => a.lo - b.lo);
    let next = 0;
    const tree = new RootBuilder();
    let oldRoot = old?.size === 0 ? tree.root() : undefined;
    const judge = new EntryJudge(logKey.vkey);
    const firstKeys = new Map<string, string>();

    let index = 0;
    for (const line of readLines(entriesPath)) {
      let entry: Entry;
      try {
        entry = parseEntry(line);
      } catch (e) {
        fail(index, (e as Error).message);
      }
      const { author } = entry.statement;
      if (!firstKeys.has(author)) {
        firstKeys.set(author, entry.key);
        const registered = keys.get(author);
        if (keys.size > 0 && registered === undefined) fail(index, `author "${author}" has no key in ${BUNDLE_FILES.keys}`);
        if (registered !== undefined && registered !== entry.key) fail(index, `signed with ${entry.key}, not with ${author}'s key in ${BUNDLE_FILES.keys}`);
      }
      const refused = judge.judge(entry);
      if (refused !== undefined) fail(index, refused);
      if (index >= cp.size) fail(index, `beyond the checkpoint, which covers ${cp.size} entries`);
      const h = leafHash(line);
      if (leaves && !bytesEqual(h, leaves.subarray(index * HASH_SIZE, (index + 1) * HASH_SIZE))) {
        fail(index, `not the entry the signed tree holds at index ${index} (altered, moved, inserted or dropped)`);
      }
      tree.push(h);
      while (next < byStart.length && byStart[next].hi <= index) next++;
      if (next < byStart.length && byStart[next].lo <= index) byStart[next].tree.push(h);
      index++;
      if (old && index === old.size) oldRoot = tree.root();
    }
    if (index < cp.size) fail(index, `missing: the checkpoint covers ${cp.size} entries, the bundle has ${index}`);
    const root = tree.root();
    if (!bytesEqual(root, cp.root)) fail(undefined, `the entries hash to ${encodeBase64(root)}, not to the checkpoint's root ${encodeBase64(cp.root)}`);
    if (old) {
      if (!bytesEqual(oldRoot!, old.root)) {
        fail(
          undefined,
          `not consistent with the --since checkpoint: its first ${old.size} entries hash to ${encodeBase64(oldRoot!)}, it says ${encodeBase64(old.root)}`,
        );
      }
      const proof = ranges.map((r) => r.tree.root());
      if (!verifyConsistency(old.size, cp.size, old.root, cp.root, proof)) fail(undefined, 'the consistency proof from the --since checkpoint does not verify');
    }
    return {
      ok: true,
      origin: cp.origin,
      size: cp.size,
      root: cp.root,
      signedBy: cp.signatures.map((s) => s.name),
      since: old?.size,
      notes: [...notes, ...judge.notes],
    };
  } catch (e) {
    if (e instanceof Failure) return { ok: false, index: e.index, message: e.message };
    const code = (e as NodeJS.ErrnoException).code;
    if (typeof code === 'string') throw new BundleInputError(`cannot read ${entriesPath}: ${code}`);
    throw e;
  }
}
