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
// what is wrong, on an entry found at fault. Each entry's key is checked against the key
// book replayed over the record (key-uses.ts: valid for its author at its index), and
// every sealed content against its commitment.
//
// It reads the store in chunks and yields between them, so a server can run it after
// opening while it serves reads (store/check-worker.ts runs it off the main thread).

import * as crypto from 'node:crypto';
import { openCheckpoint, type OpenedCheckpoint } from './checkpoint.ts';
import { bytesEqual, encodeBase64 } from './encoding.ts';
import { RecordError } from './errors.ts';
import type { LogStore } from './log-store.ts';
import { HASH_SIZE, leafHash, nodeHash } from './merkle.ts';
import { foldNodes } from './proofs.ts';
import { sealedDigest } from './sealed.ts';
import { judgeKeyUses, newRangeKeys, noteKeyUse, type RangeKeys } from './key-uses.ts';
import { parseEntry, verifyStatement } from './statement.ts';
import { hashAt, locate, openTileSources, TILE_NODES, TILE_WIDTH, type TileWrite, TileWriter, tileName, tileRoot } from './tiles.ts';

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
const ENDORSED = Buffer.from('{"endorsements":');
const ENDORSED_CUSTODIAL = Buffer.from('{"custodial":true,"endorsements":');

/**
 * The author key an entry carries, read off its first bytes: canonical JSON sorts the
 * entry's fields as custodial, key, …, so the key comes first. Undefined when the bytes
 * do not start that way (the entry is then parsed in full to say why).
 */
export function keyOf(entry: Uint8Array): string | undefined {
  const b = Buffer.from(entry.buffer, entry.byteOffset, entry.byteLength);
  const start = b.subarray(0, KEY_AT_START.length).equals(KEY_AT_START)
    ? KEY_AT_START.length
    : b.subarray(0, KEY_AFTER_CUSTODIAL.length).equals(KEY_AFTER_CUSTODIAL)
      ? KEY_AFTER_CUSTODIAL.length
      : -1;
  if (start < 0) return endorsedKeyOf(b);
  const end = b.indexOf(QUOTE, start);
  const plus = b.indexOf(PLUS, start);
  if (end < 0 || plus < 0 || plus > end) return undefined;
  // Runs of entries share an author: the last key's string is reused while the bytes are
  // the same (one string, not one per entry, for the key book's lookups).
  if (end - start === last.bytes.length && b.compare(last.bytes, 0, last.bytes.length, start, end) === 0) return last.key;
  last.bytes = Buffer.from(b.subarray(start, end));
  last.key = b.toString('latin1', start, end);
  return last.key;
}

const last = { bytes: Buffer.alloc(0), key: '' };

/** The key of an entry carrying endorsements (a genesis: rare), which then comes after them. */
function endorsedKeyOf(b: Buffer): string | undefined {
  if (!b.subarray(0, ENDORSED.length).equals(ENDORSED) && !b.subarray(0, ENDORSED_CUSTODIAL.length).equals(ENDORSED_CUSTODIAL)) return undefined;
  try {
    return parseEntry(b).key;
  } catch {
    return undefined;
  }
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
    const plan = await planCheck(store, options);
    if (!plan) return undefined;
    const part = await checkRange(store, plan, 0, plan.size, options);
    const sealed = await checkSealed(store, options.signal);
    return combineRanges(plan, [part], sealed);
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

/** What the check of a whole record is against: the stored size, the signed tree and the log's key. */
export interface CheckPlan {
  /** entries stored */
  size: number;
  /** entries the checkpoint signs */
  signed: number;
  root: Uint8Array;
  /** the log's key: the key book admits it for the statements the log signs */
  logKey: string;
}

/**
 * The first part of the check, on the store's snapshot: the checkpoint opened under the
 * log key. Throws Found on a problem; undefined when there is nothing more to check.
 */
async function planCheck(store: LogStore, options: CheckStoredOptions): Promise<CheckPlan | undefined> {
  const chunk = options.chunk ?? 8192;
  if (chunk <= 0 || chunk % TILE_WIDTH !== 0) throw new RecordError('config', `chunk ${chunk} is not a positive multiple of ${TILE_WIDTH}`);
  const snap = await store.load();
  const size = snap.size;
  if (!snap.meta) {
    if (size > 0 || snap.checkpoint) found({ reason: `${size} entries are stored without the log's identity (origin and key)` });
    return undefined;
  }
  if (!snap.checkpoint) {
    if (size > 0) found({ reason: `${size} entries are stored without a signed checkpoint` });
    return undefined;
  }
  let cp: OpenedCheckpoint;
  try {
    cp = openCheckpoint(snap.checkpoint.note, snap.meta.logKey, snap.meta.origin);
  } catch (e) {
    found({ reason: `the stored checkpoint: ${(e as Error).message}` });
  }
  if (cp.size !== snap.checkpoint.size) found({ reason: `the stored checkpoint is filed for ${snap.checkpoint.size} entries but signs ${cp.size}` });
  if (cp.size > size) found({ index: size, reason: `entry ${size}: missing: the checkpoint covers ${cp.size} entries, ${size} are stored` });
  return { size, signed: cp.size, root: cp.root, logKey: snap.meta.logKey };
}

/** The plan of a record, or the problem that ends its check before any entry is read. */
export async function planStoreCheck(
  store: LogStore,
  options: CheckStoredOptions = {},
): Promise<{ plan: CheckPlan } | { problem: StoredRecordProblem | undefined }> {
  try {
    const plan = await planCheck(store, options);
    return plan ? { plan } : { problem: undefined };
  } catch (e) {
    if (e instanceof Found) return { problem: e.problem };
    throw e;
  }
}

/**
 * What checking entries lo … hi - 1 found: problems (see check), the keys used there and
 * the entries that move the key book (key-uses.ts), and the hashes of the aligned subtrees covering the part of
 * the range the checkpoint signs (coverNodes), which the parts' results fold into the root.
 */
export interface RangeResult {
  lo: number;
  hi: number;
  entryFault?: StoredRecordProblem;
  leafFault?: StoredRecordProblem;
  tileFault?: StoredRecordProblem;
  /** entries that could not be read (the range's check stopped there) */
  readFault?: StoredRecordProblem;
  keys: RangeKeys;
  nodes: Uint8Array[];
}

/** The aligned full subtrees (level, index) that exactly cover leaves lo … hi - 1, left to right. */
export function coverNodes(lo: number, hi: number): Array<{ level: number; index: number }> {
  const out: Array<{ level: number; index: number }> = [];
  while (lo < hi) {
    let size = 1;
    while (size * 2 <= hi - lo && lo % (size * 2) === 0) size *= 2;
    out.push({ level: Math.log2(size), index: lo / size });
    lo += size;
  }
  return out;
}

/**
 * Tile-aligned ranges (multiples of `chunk`) splitting a record into at most `parts`
 * pieces of about the same size; every boundary lies within the signed entries.
 */
export function splitRanges(plan: CheckPlan, parts: number, chunk = 8192): Array<[number, number]> {
  const bounds = [0];
  for (let i = 1; i < parts; i++) {
    const b = Math.round((plan.size * i) / parts / chunk) * chunk;
    if (b > bounds[bounds.length - 1] && b < plan.signed) bounds.push(b);
  }
  bounds.push(plan.size);
  return bounds.slice(1).map((hi, i) => [bounds[i], hi]);
}

/**
 * Checks entries lo … hi - 1 (lo a multiple of the chunk, and within the signed entries
 * unless it is 0): re-hashes them, rebuilds and compares the tiles they complete, and
 * checks their author keys. The open tiles a range starts in are seeded from the stored
 * tiles before it: those are compared by the range below, whose problem comes first.
 */
export async function checkRange(store: LogStore, plan: CheckPlan, lo: number, hi: number, options: CheckStoredOptions = {}): Promise<RangeResult> {
  const chunk = options.chunk ?? 8192;
  const end = Math.min(hi, plan.signed);
  const coverIds = lo < end ? coverNodes(lo, end).map((n) => locate(n.level, n.index)) : [];
  const kept = new Map<number, Uint8Array>(coverIds.map((n) => [n.id, new Uint8Array(0)]));
  const result: RangeResult = { lo, hi, keys: newRangeKeys(), nodes: [] };
  const writer = new TileWriter(lo, lo === 0 ? [] : await storedBases(store, lo));
  const keys = result.keys;
  const fault = (problem: StoredRecordProblem) => {
    result.entryFault ??= problem;
  };
  for (let from = lo; from < hi; from += chunk) {
    options.signal?.throwIfAborted();
    const to = Math.min(hi, from + chunk);
    let entries: Uint8Array[];
    try {
      entries = await store.readEntries(from, to);
    } catch (e) {
      result.readFault = { index: from, reason: `entries ${from}..${to - 1}: ${(e as Error).message}` };
      return result;
    }
    const leaves: Uint8Array[] = new Array(entries.length);
    for (let k = 0; k < entries.length; k++) {
      const index = from + k;
      const entry = entries[k];
      const leaf = leafHash(entry);
      leaves[k] = leaf;
      writer.addLeaf(leaf);
      if (index + 1 === end) result.nodes = nodesOf(coverIds, kept, writer);
      if (result.entryFault) continue;
      const key = keyOf(entry);
      if (key === undefined) {
        fault({ index, reason: diagnose(entry, index, 'does not begin with its author key') });
        continue;
      }
      const unjudged = noteKeyUse(keys, entry, key, index, () => brokenWhy(entry));
      if (unjudged) fault({ index, reason: unjudged });
      if (index >= plan.signed || options.allSignatures) {
        try {
          verifyStatement(parseEntry(entry));
        } catch (e) {
          fault({ index, reason: `entry ${index}: ${(e as Error).message}` });
        }
      }
    }
    const finished = writer.takeFinished();
    for (const t of finished) if (kept.has(t.id)) kept.set(t.id, t.data);
    if (finished.length > 0 && !result.leafFault && !result.tileFault) {
      const differs = await compareTiles(store, finished, from, leaves, entries);
      if (differs?.index !== undefined) result.leafFault = differs;
      else if (differs) result.tileFault = differs;
    }
    if (result.entryFault) return result;
    options.onProgress?.(to, plan.size);
    await turn();
  }
  return result;
}

/** The roots of the stored full tiles that begin the open tiles of a tree of `size` leaves (zeros where one is unusable). */
async function storedBases(store: LogStore, size: number): Promise<Uint8Array[][]> {
  const { below } = openTileSources(size);
  const ids = below.flat();
  const tiles = await store.readTiles(ids);
  const byId = new Map(ids.map((id, i) => [id, tiles[i]]));
  return below.map((level) =>
    level.map((id) => {
      const t = byId.get(id);
      return t && t.length === TILE_NODES * HASH_SIZE ? tileRoot(t).slice() : new Uint8Array(HASH_SIZE);
    }),
  );
}

/** Why an entry does not verify, or undefined when it does. */
function brokenWhy(entry: Uint8Array): string | undefined {
  try {
    verifyStatement(parseEntry(entry));
    return undefined;
  } catch (e) {
    return (e as Error).message;
  }
}

/** Checks every sealed content (whole bodies, then item openings) against its commitment; the first that does not match. */
export async function checkSealed(store: LogStore, signal?: AbortSignal): Promise<StoredRecordProblem | undefined> {
  return (await checkSealedBodies(store, signal)) ?? (await checkSealedItems(store, 0, Number.POSITIVE_INFINITY, signal));
}

// A sealed commitment is SHA-256(salt ‖ content) in hex (sealed.ts). Here it is taken for
// every report of the record, so it is computed in one shot over a scratch copy rather
// than through a Hash object per item (a third of the time of the sealed part).
const oneShot = (crypto as { hash?: (alg: string, data: Uint8Array, enc: 'hex') => string }).hash;
let digestBuf = new Uint8Array(4096);

function digestOf(salt: Uint8Array, content: Uint8Array): string {
  if (!oneShot) return sealedDigest(salt, content);
  const n = salt.length + content.length;
  if (n > digestBuf.length) digestBuf = new Uint8Array(Math.max(n, digestBuf.length * 2));
  digestBuf.set(salt, 0);
  digestBuf.set(content, salt.length);
  return oneShot('sha256', digestBuf.subarray(0, n), 'hex');
}

/** Checks the sealed whole bodies (kept by commitment) against their commitments; the first that does not match. */
export async function checkSealedBodies(store: LogStore, signal?: AbortSignal): Promise<StoredRecordProblem | undefined> {
  for (let after: string | undefined; ; ) {
    signal?.throwIfAborted();
    const batch = await store.listSealed(after, 1024);
    for (const s of batch) {
      if (digestOf(s.salt, s.content) !== s.digest) return { sealed: s.digest, reason: `sealed content ${s.digest} does not match its commitment` };
    }
    if (batch.length < 1024) return undefined;
    after = batch[batch.length - 1].digest;
    await turn();
  }
}

/**
 * Checks the item openings kept at entries fromEntry … toEntry - 1, in place order; the
 * first that does not match its commitment. Workers each take the items of their range.
 */
export async function checkSealedItems(store: LogStore, fromEntry: number, toEntry: number, signal?: AbortSignal): Promise<StoredRecordProblem | undefined> {
  const PAGE = 4096;
  for (let from = fromEntry, skip = 0; ; ) {
    signal?.throwIfAborted();
    const batch = (await store.listSealedItems(from, PAGE + skip)).slice(skip);
    for (const s of batch) {
      if (s.entry >= toEntry) return undefined;
      if (digestOf(s.salt, s.content) !== s.digest)
        return { sealed: s.digest, reason: `the sealed content of item ${s.n} of entry ${s.entry} does not match its commitment ${s.digest}` };
    }
    if (batch.length < PAGE) return undefined;
    // The next page starts at the last item's entry, past the items of it already seen.
    const last = batch[batch.length - 1];
    skip = from === last.entry ? skip + batch.length : batch.filter((s) => s.entry === last.entry).length;
    from = last.entry;
    await turn();
  }
}

/**
 * The first problem of the record from the results of its ranges (in order, covering
 * 0 … size) and of its sealed contents: the same one a single pass finds.
 */
export function combineRanges(plan: CheckPlan, parts: readonly RangeResult[], sealed: StoredRecordProblem | undefined): StoredRecordProblem | undefined {
  try {
    combine(plan, parts, sealed);
    return undefined;
  } catch (e) {
    if (e instanceof Found) return e.problem;
    throw e;
  }
}

function combine(plan: CheckPlan, parts: readonly RangeResult[], sealed: StoredRecordProblem | undefined): void {
  let leafFault: StoredRecordProblem | undefined;
  let tileFault: StoredRecordProblem | undefined;
  const keyFault = judgeKeyUses(
    parts.map((p) => p.keys),
    plan.logKey,
  );
  const nodes: Array<{ level: number; index: number; hash: Uint8Array }> = [];
  for (const part of parts) {
    // A range's tiles are compared only while no range below it has found a differing tile.
    if (!leafFault && !tileFault) {
      leafFault = part.leafFault;
      tileFault = part.tileFault;
    }
    // A key not valid for its author at an entry of this range (judged over the whole record).
    let entryFault = part.entryFault;
    if (keyFault && keyFault.index >= part.lo && keyFault.index < part.hi && (entryFault === undefined || keyFault.index < entryFault.index!))
      entryFault = { index: keyFault.index, reason: keyFault.reason };
    if (part.readFault && (entryFault === undefined || entryFault.index! >= part.readFault.index!)) found(part.readFault);
    if (entryFault) found(leafFault?.index !== undefined && leafFault.index < entryFault.index! ? leafFault : entryFault);
    const cover = coverNodes(part.lo, Math.min(part.hi, plan.signed));
    cover.forEach((n, i) => {
      nodes.push({ ...n, hash: part.nodes[i] });
      // Siblings merge into their parent, leaving the cover of 0 … hi.
      for (let l = nodes.length; l >= 2; l = nodes.length) {
        const a = nodes[l - 2];
        const b = nodes[l - 1];
        if (a.level !== b.level || a.index % 2 !== 0 || b.index !== a.index + 1) break;
        nodes.splice(l - 2, 2, { level: a.level + 1, index: a.index / 2, hash: nodeHash(a.hash, b.hash) });
      }
    });
  }

  if (plan.signed > 0) {
    const root = foldNodes(nodes.map((n) => n.hash));
    if (!bytesEqual(root, plan.root)) {
      if (leafFault) found(leafFault);
      found({
        reason: `the stored entries hash to ${encodeBase64(root)}, not to the checkpoint's root ${encodeBase64(plan.root)}${tileFault ? ` (and ${tileFault.reason})` : ''}`,
      });
    }
  }
  // The entries make the signed tree, so a stored tile that differs is itself at fault.
  if (leafFault) found({ tile: leafFault.tile, reason: `tile ${leafFault.tile} holds a leaf hash that is not that of the signed entry ${leafFault.index}` });
  if (tileFault) found(tileFault);

  if (sealed) found(sealed);
}

/** The hashes of the nodes covering a range, from kept or open tiles. */
function nodesOf(nodes: ReturnType<typeof locate>[], kept: Map<number, Uint8Array>, writer: TileWriter): Uint8Array[] {
  return nodes.map((n) => {
    const tile = writer.openTile(n.tileLevel, n.tileIndex) ?? kept.get(n.id);
    if (!tile || tile.length === 0) throw new RecordError('corrupt', `node in tile ${tileName(n.id)} was not kept`);
    return hashAt(tile, n.pos).slice();
  });
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
