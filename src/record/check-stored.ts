// The stored record checked against what its own log signed, as a server must before it
// replays and serves it: an edit made on disk (a flipped byte, swapped entries, a new
// signature, another author key, a corrupted tile, changed sealed content) must stop the
// server, not be replayed as if it had happened.
//
// The trust anchor is the stored checkpoint, under the log key the store was created
// with. Every stored entry is re-hashed (RFC 6962 leaf hashes) and the tree rebuilt tile
// by tile: the rebuilt root must be the checkpoint's, and each stored full tile the
// rebuilt one. A tree equal to the signed one means the entries are those the log
// accepted (their signatures were checked then), so author signatures are re-verified
// only where the checkpoint does not reach (entries a crash left unsigned) and, to say
// what is wrong, on an entry found at fault. Pinned author keys are checked against the
// keys the entries carry, and every sealed content against its commitment.
//
// It reads the store in chunks and yields between them, so a server can run it after
// opening while it serves reads (store/check-worker.ts runs it off the main thread).

import { openCheckpoint, type OpenedCheckpoint } from './checkpoint.ts';
import { bytesEqual, encodeBase64 } from './encoding.ts';
import { RecordError } from './errors.ts';
import type { LogStore } from './log-store.ts';
import { HASH_SIZE, leafHash } from './merkle.ts';
import { foldNodes, rangeNodes } from './proofs.ts';
import { sealedDigest } from './sealed.ts';
import { parseEntry, verifyStatement } from './statement.ts';
import { hashAt, locate, TILE_NODES, TILE_WIDTH, type TileWrite, TileWriter, tileName } from './tiles.ts';

/** What is wrong with a stored record: the first entry at fault when one can be named. */
export interface StoredRecordProblem {
  /** the entry at fault */
  index?: number;
  /** the tile at fault (level/index) */
  tile?: string;
  /** the sealed content at fault (its commitment) */
  sealed?: string;
  reason: string;
}

export interface CheckStoredOptions {
  /** entries read per store call (a multiple of 16; default 8192) */
  chunk?: number;
  /** re-verify the author signature of every entry, not only those past the checkpoint (slow: ~50 µs each) */
  allSignatures?: boolean;
  /** called after each chunk with the entries checked so far and the total */
  onProgress?: (done: number, total: number) => void;
  /** stops the check (it then rejects with the signal's reason) */
  signal?: AbortSignal;
}

const QUOTE = 0x22;
const PLUS = 0x2b;
const KEY_AT_START = Buffer.from('{"key":"');
const KEY_AFTER_CUSTODIAL = Buffer.from('{"custodial":true,"key":"');

/**
 * The author key an entry carries, read off its first bytes: canonical JSON sorts the
 * entry's fields as custodial, key, …, so the key comes first. Undefined when the bytes
 * do not start that way (the entry is then parsed in full to say why).
 */
function keyOf(entry: Uint8Array): string | undefined {
  const b = Buffer.from(entry.buffer, entry.byteOffset, entry.byteLength);
  const start = b.subarray(0, KEY_AT_START.length).equals(KEY_AT_START)
    ? KEY_AT_START.length
    : b.subarray(0, KEY_AFTER_CUSTODIAL.length).equals(KEY_AFTER_CUSTODIAL)
      ? KEY_AFTER_CUSTODIAL.length
      : -1;
  if (start < 0) return undefined;
  const end = b.indexOf(QUOTE, start);
  const plus = b.indexOf(PLUS, start);
  if (end < 0 || plus < 0 || plus > end) return undefined;
  return b.toString('latin1', start, end);
}

/** Why an entry is at fault, as precisely as it can be said. */
function diagnose(entry: Uint8Array, index: number, fallback: string): string {
  try {
    verifyStatement(parseEntry(entry));
  } catch (e) {
    return `entry ${index}: ${(e as Error).message}`;
  }
  return `entry ${index}: ${fallback}`;
}

class Found extends Error {
  constructor(readonly problem: StoredRecordProblem) {
    super(problem.reason);
  }
}

function found(problem: StoredRecordProblem): never {
  throw new Found(problem);
}

const turn = () => new Promise<void>((r) => setImmediate(r));

/**
 * Checks the record in `store` against its stored signed checkpoint; resolves with the
 * first problem found, or undefined when the record is what its log signed. Entries
 * appended while it runs (past the size it started at) are not looked at.
 */
export async function checkStore(store: LogStore, options: CheckStoredOptions = {}): Promise<StoredRecordProblem | undefined> {
  try {
    await check(store, options);
    return undefined;
  } catch (e) {
    if (e instanceof Found) return e.problem;
    throw e;
  }
}

/** checkStore, throwing a RecordError (code 'tampered', with the entry's index) on a problem. */
export async function assertStoreIntact(store: LogStore, options: CheckStoredOptions = {}): Promise<void> {
  const problem = await checkStore(store, options);
  if (problem) throw tamperedError(store.location, problem);
}

export function tamperedError(location: string, problem: StoredRecordProblem): RecordError {
  return new RecordError('tampered', `${location}: the stored record was altered: ${problem.reason}`, problem.index);
}

async function check(store: LogStore, options: CheckStoredOptions): Promise<void> {
  const chunk = options.chunk ?? 8192;
  if (chunk <= 0 || chunk % TILE_WIDTH !== 0) throw new RecordError('config', `chunk ${chunk} is not a positive multiple of ${TILE_WIDTH}`);
  const snap = await store.load();
  const size = snap.size;
  if (!snap.meta) {
    if (size > 0 || snap.checkpoint) found({ reason: `${size} entries are stored without the log's identity (origin and key)` });
    return;
  }
  if (!snap.checkpoint) {
    if (size > 0) found({ reason: `${size} entries are stored without a signed checkpoint` });
    return;
  }
  let cp: OpenedCheckpoint;
  try {
    cp = openCheckpoint(snap.checkpoint.note, snap.meta.logKey, snap.meta.origin);
  } catch (e) {
    found({ reason: `the stored checkpoint: ${(e as Error).message}` });
  }
  if (cp.size !== snap.checkpoint.size) found({ reason: `the stored checkpoint is filed for ${snap.checkpoint.size} entries but signs ${cp.size}` });
  if (cp.size > size) found({ index: size, reason: `entry ${size}: missing: the checkpoint covers ${cp.size} entries, ${size} are stored` });

  // The tiles holding the nodes of the signed tree's root, kept when they fill up.
  const rootNodes = cp.size === 0 ? [] : rangeNodes({ lo: 0, hi: cp.size }).map((n) => locate(n.level, n.index));
  const rootTiles = new Map<number, Uint8Array>(rootNodes.map((n) => [n.id, new Uint8Array(0)]));
  let root: Uint8Array | undefined;

  const writer = new TileWriter(0, []);
  const keys = new Map<string, { key: string; index: number }>();
  // Problems met on the way; which one is reported depends on whether the entries
  // turn out to make the signed tree (then a differing tile is the tile's fault).
  let leafFault: StoredRecordProblem | undefined;
  let tileFault: StoredRecordProblem | undefined;
  // An entry that does not parse, verify or keep its author's key is at fault whatever the
  // tree says; the first one is reported once its chunk's tiles are compared too.
  let entryFault: StoredRecordProblem | undefined;
  const fault = (problem: StoredRecordProblem) => {
    entryFault ??= problem;
  };

  for (let from = 0; from < size; from += chunk) {
    options.signal?.throwIfAborted();
    const to = Math.min(size, from + chunk);
    let entries: Uint8Array[];
    try {
      entries = await store.readEntries(from, to);
    } catch (e) {
      found({ index: from, reason: `entries ${from}..${to - 1}: ${(e as Error).message}` });
    }
    const leaves: Uint8Array[] = new Array(entries.length);
    for (let k = 0; k < entries.length; k++) {
      const index = from + k;
      const entry = entries[k];
      const leaf = leafHash(entry);
      leaves[k] = leaf;
      writer.addLeaf(leaf);
      if (index + 1 === cp.size) root = rootOf(rootNodes, rootTiles, writer);
      if (entryFault) continue;
      const key = keyOf(entry);
      if (key === undefined) {
        fault({ index, reason: diagnose(entry, index, 'does not begin with its author key') });
        continue;
      }
      const author = key.slice(0, key.indexOf('+'));
      const pinned = keys.get(author);
      if (pinned === undefined) keys.set(author, { key, index });
      else if (pinned.key !== key)
        fault({ index, reason: diagnose(entry, index, `"${author}" signs with ${key}, but with ${pinned.key} in entry ${pinned.index}`) });
      if (index >= cp.size || options.allSignatures) {
        try {
          verifyStatement(parseEntry(entry));
        } catch (e) {
          fault({ index, reason: `entry ${index}: ${(e as Error).message}` });
        }
      }
    }
    const finished = writer.takeFinished();
    for (const t of finished) if (rootTiles.has(t.id)) rootTiles.set(t.id, t.data);
    if (finished.length > 0 && !leafFault && !tileFault) {
      const differs = await compareTiles(store, finished, from, leaves, entries);
      if (differs?.index !== undefined) leafFault = differs;
      else if (differs) tileFault = differs;
    }
    if (entryFault) found(leafFault?.index !== undefined && leafFault.index < entryFault.index! ? leafFault : entryFault);
    options.onProgress?.(to, size);
    await turn();
  }

  if (cp.size > 0 && !bytesEqual(root!, cp.root)) {
    if (leafFault) found(leafFault);
    found({
      reason: `the stored entries hash to ${encodeBase64(root!)}, not to the checkpoint's root ${encodeBase64(cp.root)}${tileFault ? ` (and ${tileFault.reason})` : ''}`,
    });
  }
  // The entries make the signed tree, so a stored tile that differs is itself at fault.
  if (leafFault) found({ tile: leafFault.tile, reason: `tile ${leafFault.tile} holds a leaf hash that is not that of the signed entry ${leafFault.index}` });
  if (tileFault) found(tileFault);

  for (const [author, key] of snap.authors) {
    const seen = keys.get(author);
    if (!seen) found({ reason: `the author keys pin a key for "${author}", who signed no stored entry` });
    if (seen.key !== key)
      found({ index: seen.index, reason: `the author keys pin ${key} for "${author}", but entry ${seen.index} is signed with ${seen.key}` });
  }
  for (const [author, seen] of keys) {
    if (!snap.authors.has(author)) found({ index: seen.index, reason: `entry ${seen.index}: "${author}" has no pinned key in the author keys` });
  }

  for (let after: string | undefined; ; ) {
    options.signal?.throwIfAborted();
    const batch = await store.listSealed(after, 1024);
    for (const s of batch) {
      if (sealedDigest(s.salt, s.content) !== s.digest) found({ sealed: s.digest, reason: `sealed content ${s.digest} does not match its commitment` });
    }
    if (batch.length < 1024) break;
    after = batch[batch.length - 1].digest;
    await turn();
  }
}

/** The root of the tree so far, from the nodes of rangeNodes(0, size) in kept or open tiles. */
function rootOf(nodes: ReturnType<typeof locate>[], kept: Map<number, Uint8Array>, writer: TileWriter): Uint8Array {
  return foldNodes(
    nodes.map((n) => {
      const tile = writer.openTile(n.tileLevel, n.tileIndex) ?? kept.get(n.id);
      if (!tile || tile.length === 0) throw new RecordError('corrupt', `node in tile ${tileName(n.id)} was not kept`);
      return hashAt(tile, n.pos).slice();
    }),
  ).slice();
}

/**
 * Compares the tiles rebuilt from a chunk with the stored ones. A level-0 tile that
 * differs at a leaf names the entry (which of the two is at fault is decided later,
 * against the signed root); any other difference names the tile.
 */
async function compareTiles(
  store: LogStore,
  finished: TileWrite[],
  from: number,
  leaves: Uint8Array[],
  entries: Uint8Array[],
): Promise<StoredRecordProblem | undefined> {
  const stored = await store.readTiles(finished.map((t) => t.id));
  for (let i = 0; i < finished.length; i++) {
    const t = finished[i];
    const s = stored[i];
    const name = tileName(t.id);
    if (!s || s.length !== TILE_NODES * HASH_SIZE) return { tile: name, reason: `tile ${name} is ${s ? 'incomplete' : 'missing'}` };
    if (bytesEqual(s, t.data)) continue;
    // Tile ids of level 0 are their index; their leaves are entries 16·index … 16·index + 15.
    if (t.id < 2 ** 40) {
      for (let index = t.id * TILE_WIDTH; index < (t.id + 1) * TILE_WIDTH; index++) {
        const at = locate(0, index);
        if (!bytesEqual(hashAt(s, at.pos), leaves[index - from])) {
          return {
            index,
            tile: name,
            reason: diagnose(entries[index - from], index, `not the entry the stored tree holds at index ${index} (altered, moved or replaced)`),
          };
        }
      }
    }
    return { tile: name, reason: `tile ${name} does not hold the hashes of the stored entries` };
  }
  return undefined;
}
