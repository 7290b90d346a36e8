// The record's log: an append-only Merkle tree of entries with signed checkpoints.
//
// - append() validates an entry and queues it; one writer loop takes everything queued
//   and commits it as one batch (group commit). A promise resolves only after its batch
//   is durable, with the entry's index.
// - The tree grows incrementally in tiles (tiles.ts); nothing is ever rebuilt. Opening
//   reads at most 15 hashes per level for the right edge, so it costs the same at any size.
// - Proofs list the full-subtree hashes they need, fetch the tiles holding them in one
//   store call (most come from memory), and fold them: O(log n) reads.
// - A checkpoint is signed at most once per interval (1 s) while entries arrive, and
//   only ever for a larger tree; it is stored before it is published.
//
// One process writes a log at a time; the store refuses a batch that does not start at
// its size, so a second writer fails instead of corrupting the tree.

import { signCheckpoint, openCheckpoint } from './checkpoint.ts';
import { bytesEqual, copyShared } from './encoding.ts';
import { RecordError } from './errors.ts';
import { parseVerifierKey, type Signer } from './keys.ts';
import { EMPTY_ROOT, HASH_SIZE, leafHash } from './merkle.ts';
import { consistencyRanges, foldNodes, inclusionRanges, rangeNodes, type Range } from './proofs.ts';
import { assertStoreIntact, type CheckStoredOptions, checkStore, type StoredRecordProblem } from './check-stored.ts';
import { seal, type SealedContent } from './sealed.ts';
import { encodeEntryBundle, MAX_STANDARD_TILE_LEVEL, STANDARD_TILE_HEIGHT, STANDARD_TILE_WIDTH, standardTileWidth } from './standard-tiles.ts';
import { factsOf, madeHere, makeEntry, parseEntry, verifyStatement, type EntryFacts, type SignedStatement } from './statement.ts';
import { TileCache } from './tile-cache.ts';
import { hashAt, locate, openTileSources, TILE_NODES, tileName, tileRoot, TileWriter, type NodeLocation } from './tiles.ts';
import { type AppendBatch, DuplicateStatementError, type LogStore, type SealedItem, type StoredAttachment, type StoredCheckpoint } from './log-store.ts';

export interface LogOptions {
  /** where the log is kept (the log takes ownership and closes it); src/store has them,
   * and openSqliteLog there opens the embedded one from a directory */
  store: LogStore;
  /** checkpoint origin: detente/<deployment>/<arrangement> */
  origin: string;
  /** signs checkpoints; its verifier key is fixed when the log is created */
  logSigner: Signer;
  /** check each author signature on append (default true; ~0.1 ms per entry) */
  verifySignatures?: boolean;
  /** least time between checkpoints, ms (default 1000; tests shorten it) */
  checkpointIntervalMs?: number;
  /** most entries per transaction (default 4096) */
  maxBatch?: number;
  /** full tiles kept in memory, 1 KiB each (default 16384) */
  tileCacheSize?: number;
  /** called after each new checkpoint is stored */
  onCheckpoint?: (note: string, size: number) => void;
  /**
   * check the whole stored record against its signed checkpoint before opening
   * (check-stored.ts; default true). A server holding millions of entries opens with
   * false, serves reads, and takes writes once checkStored() (or the store's worker
   * check) has passed.
   */
  checkOnOpen?: boolean;
  /** the time the log reads, ms since the epoch (default Date.now): checkpoint pacing, received times */
  now?: () => number;
  /**
   * runs `fn` after `ms` of the clock above; returns a cancel (default setTimeout). A
   * test clock fires it when the test moves the time on. `keepAlive` is false for the
   * pending checkpoint's timer (it must not keep the process alive) and true for
   * close() waiting out the interval (a process awaiting close must not exit first).
   */
  setTimer?: (fn: () => void, ms: number, keepAlive: boolean) => () => void;
  /**
   * Open as a follower of a log another process sequences (several nodes on one
   * PostgreSQL, docs/postgres.md): nothing is written (no identity, no checkpoint), the
   * tree advances with follow(), and promote() makes it the writer. The log must exist.
   */
  follow?: boolean;
  /** called after each batch is durable, with the new size (the leader's nudge to followers) */
  onCommitted?: (size: number) => void;
}

function realTimer(fn: () => void, ms: number, keepAlive: boolean): () => void {
  const t = setTimeout(fn, ms);
  if (!keepAlive) t.unref();
  return () => clearTimeout(t);
}

export interface Appended {
  index: number;
  leafHash: Uint8Array;
}

const ORIGIN = /^detente\/[^/\s]+\/[^/\s]+$/;

/** The opening of item `n` of an entry's list (a sealed report of a batch, a sealed finding; 0 for a lone report). */
export type ItemOpening = SealedContent & { n: number };

interface Pending {
  bytes: Uint8Array;
  leaf: Uint8Array;
  facts: EntryFacts;
  id: Uint8Array;
  /** content the entry seals as a whole body, stored no later than it */
  loose?: SealedContent;
  /** openings of the entry's sealed items (one per sealed report of a batch), stored no later than it */
  items?: readonly ItemOpening[];
  resolve: (a: Appended) => void;
  reject: (e: Error) => void;
}

/** A batch's sealed content for the store: item openings at their places, whole bodies by digest. */
function sealedOfBatch(first: number, accepted: readonly Pending[]): Pick<AppendBatch, 'sealed' | 'loose'> {
  const sealed: SealedItem[] = [];
  const loose: NonNullable<AppendBatch['loose']> = [];
  accepted.forEach((p, i) => {
    if (p.loose) loose.push({ digest: p.loose.sealed, salt: p.loose.salt, content: p.loose.content });
    for (const o of p.items ?? []) sealed.push({ entry: first + i, n: o.n, digest: o.sealed, salt: o.salt, content: o.content });
  });
  return { ...(sealed.length ? { sealed } : {}), ...(loose.length ? { loose } : {}) };
}

/**
 * The key under which a statement is stored once: its time (big-endian, so ids of
 * statements made around the same moment sit together in the index and inserts stay
 * local) then 8 bytes of its signature. A replay has the same time and signature.
 */
export function statementId(facts: EntryFacts): Uint8Array {
  const id = new Uint8Array(STATEMENT_ID_BYTES);
  writeStatementId(facts.time, facts.sig, id, 0);
  return id;
}

export const STATEMENT_ID_BYTES = 16;

// The base64 alphabet's values by character code (-1: not in it).
const BASE64_VALUE = new Int8Array(128).fill(-1);
for (const [i, c] of [...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/'].entries()) BASE64_VALUE[c.charCodeAt(0)] = i;

/** statementId written into `out` at `at`, allocating nothing (a follower writes one per entry into one buffer per batch). */
export function writeStatementId(time: string, sig: string, out: Uint8Array, at: number): void {
  // Date's range, shifted to be non-negative. A time Date cannot read (a leap second,
  // which RFC 3339 allows) counts as 0, as it always has: the id only has to be the same
  // for the same statement.
  const parsed = Date.parse(time) + 8.64e15;
  const t = Number.isFinite(parsed) ? parsed : 0;
  const high = Math.floor(t / 2 ** 32);
  const low = t % 2 ** 32;
  for (let k = 0; k < 4; k++) {
    out[at + k] = (high >>> (24 - 8 * k)) & 0xff;
    out[at + 4 + k] = (low >>> (24 - 8 * k)) & 0xff;
  }
  // The signature's first 8 bytes, from its first 12 base64 digits (which hold 9).
  for (let g = 0; g < 3; g++) {
    let v = 0;
    for (let k = 0; k < 4; k++) {
      const d = BASE64_VALUE[sig.charCodeAt(4 * g + k)] ?? -1;
      if (d < 0) throw new RecordError('invalid', 'sig is not base64');
      v = (v << 6) | d;
    }
    const o = at + 8 + 3 * g;
    out[o] = v >>> 16;
    out[o + 1] = (v >>> 8) & 0xff;
    if (g < 2) out[o + 2] = v & 0xff; // the 9th byte is not kept
  }
}

function idKey(id: Uint8Array): string {
  return Buffer.from(id).toString('hex');
}

function checkCount(name: string, value: number, min: number, max: number): void {
  if (!Number.isSafeInteger(value) || value < min || value > max) {
    throw new RecordError('out-of-range', `${name} ${value} is outside ${min}..${max}`);
  }
}

export class Log {
  readonly origin: string;
  private readonly store: LogStore;
  private readonly signer: Signer;
  private readonly verifySignatures: boolean;
  private readonly interval: number;
  private readonly maxBatch: number;
  private readonly onCheckpoint: ((note: string, size: number) => void) | undefined;
  private writer: TileWriter;
  private readonly cache: TileCache;
  /** hashes of edge ranges (not full subtrees), by "lo:hi"; they never change */
  private readonly edgeHashes = new Map<string, Uint8Array>();
  /** tiles that became full in a batch not yet committed (an async store may be slow) */
  private readonly inflight = new Map<number, Uint8Array>();
  private committed: number;
  private head: Uint8Array;
  private latest: StoredCheckpoint | undefined;
  private queue: Pending[] = [];
  private pumping: Promise<void> | undefined;
  private readonly now: () => number;
  private readonly setTimer: (fn: () => void, ms: number, keepAlive: boolean) => () => void;
  /** cancels the pending checkpoint timer */
  private timer: (() => void) | undefined;
  private closed = false;
  private failure: RecordError | undefined;
  /** another process writes this log; follow() advances the tree (see LogOptions.follow) */
  private following: boolean;
  private readonly onCommitted: ((size: number) => void) | undefined;

  private constructor(init: {
    options: LogOptions;
    store: LogStore;
    size: number;
    writer: TileWriter;
    checkpoint: StoredCheckpoint | undefined;
  }) {
    const o = init.options;
    this.origin = o.origin;
    this.store = init.store;
    this.signer = o.logSigner;
    this.verifySignatures = o.verifySignatures ?? true;
    this.interval = o.checkpointIntervalMs ?? 1000;
    this.maxBatch = o.maxBatch ?? 4096;
    this.onCheckpoint = o.onCheckpoint;
    this.now = o.now ?? Date.now;
    this.setTimer = o.setTimer ?? realTimer;
    this.writer = init.writer;
    this.cache = new TileCache(o.tileCacheSize ?? 16384);
    this.committed = init.size;
    this.head = this.edgeRoot(init.size);
    this.latest = init.checkpoint;
    this.following = o.follow ?? false;
    this.onCommitted = o.onCommitted;
  }

  /** Whether this log follows another process's writes (LogOptions.follow). */
  get isFollowing(): boolean {
    return this.following;
  }

  /**
   * Advances a following log over the entries another process appended since: each
   * leaf is hashed here and added to this log's own tree (the stored tiles are not
   * trusted), and a stored checkpoint newer than ours must carry the log's signature and
   * the root computed here, else the record was altered: the log fails and says so.
   * Resolves with the new size.
   */
  async follow(): Promise<number> {
    if (!this.following) throw new RecordError('config', 'follow() is for a log opened to follow (LogOptions.follow)');
    if (this.failure) throw this.failure;
    if (this.closed) throw new RecordError('closed', 'the log is closed');
    const snap = await this.store.load();
    const cp = snap.checkpoint;
    const isFresh = fresh(cp, this.latest);
    try {
      if (snap.size < this.committed)
        throw new RecordError('corrupt', `${this.store.location} holds ${snap.size} entries, fewer than the ${this.committed} followed`);
      // Up to the checkpoint first, so its root is compared with the one computed here.
      if (isFresh && cp!.size >= this.committed) await this.extendTo(cp!.size);
      if (isFresh) {
        const signed = openCheckpoint(cp!.note, this.signer.verifier.vkey, this.origin);
        if (signed.size !== cp!.size || !bytesEqual(signed.root, await this.rootAt(cp!.size)))
          throw new RecordError('corrupt', `${this.store.location}: the stored entries do not hash to the signed checkpoint for ${cp!.size} entries`);
      }
      await this.extendTo(snap.size);
    } catch (e) {
      this.failure = e instanceof RecordError ? e : new RecordError('failed', `following ${this.store.location} failed (${(e as Error).message})`);
      throw this.failure;
    }
    if (isFresh) {
      this.latest = cp;
      this.onCheckpoint?.(cp!.note, cp!.size);
    }
    return this.committed;
  }

  private async extendTo(size: number): Promise<void> {
    const CHUNK = 4096;
    for (let from = this.committed; from < size; from = this.committed) {
      const to = Math.min(size, from + CHUNK);
      const entries = await this.store.readEntries(from, to);
      if (entries.length !== to - from) throw new RecordError('corrupt', `${this.store.location}: entries ${from}..${to - 1} are not all stored`);
      for (const e of entries) this.writer.addLeaf(leafHash(e));
      for (const t of this.writer.takeFinished()) this.cache.set(t.id, t.data);
      this.committed = to;
      this.head = this.edgeRoot(to);
    }
  }

  /**
   * A following log becomes the writer (its node took the sequencer's lease): it must
   * have followed to the store's size first. Entries no checkpoint covers get one.
   */
  async promote(): Promise<void> {
    if (!this.following) return;
    this.following = false;
    await this.start();
  }

  /** Entries durably in the log. */
  get size(): number {
    return this.committed;
  }

  /** Root hash of the tree of `size` entries. */
  root(): Uint8Array {
    return this.head.slice();
  }

  /** The latest signed checkpoint (note text). */
  checkpoint(): string {
    // openLog always leaves one.
    return this.latest!.note;
  }

  /** The log's verifier key, for clients checking checkpoints. */
  get verifierKey(): string {
    return this.signer.verifier.vkey;
  }

  /**
   * Appends entry bytes (canonical JSON of { statement, sig, key, received }). Resolves
   * with the index once the entry is durable; rejects with a RecordError if the entry is
   * malformed, too large, badly signed or a replay. Which keys may sign for which author
   * is not the log's to say: the key book (key-book.ts) judges that where statements
   * arrive and when a stored record is checked. Sealed content the entry names is stored
   * durably with the entry's batch, never after it, so the entry never outlives it after
   * a crash, and the entry still takes its index now, in call order. Content sealed as the
   * whole body is kept by its digest; item openings (a batch of reports seals each report
   * apart) by their place in the record, entry and n.
   */
  append(bytes: Uint8Array, sealed?: SealedContent | readonly ItemOpening[]): Promise<Appended> {
    // Not an async function: one promise per append rather than two (an async function
    // returning a promise adds its own, and a job to adopt this one). What pending()
    // throws rejects the promise, as a throw in an executor does.
    return new Promise((resolve, reject) => {
      this.queue.push(this.pending(bytes, sealed, resolve, reject));
      this.kick();
    });
  }

  /** What append queues for entry bytes, checked: throws a RecordError for bytes the log refuses. */
  private pending(
    bytes: Uint8Array,
    sealed: SealedContent | readonly ItemOpening[] | undefined,
    resolve: Pending['resolve'],
    reject: Pending['reject'],
  ): Pending {
    this.assertWritable();
    const copy = copyShared(bytes); // the caller may reuse its buffer once this returns
    const leaf = leafHash(copy);
    let facts = this.verifySignatures ? undefined : madeHere(bytes, leaf);
    if (!facts) {
      const entry = parseEntry(copy);
      // Key parsing is cached, so this costs nothing for known authors, and keeps keys
      // that could never verify out of the record.
      parseVerifierKey(entry.key);
      if (this.verifySignatures) verifyStatement(entry);
      facts = factsOf(entry);
    }
    const loose = sealed !== undefined && 'sealed' in sealed ? sealed : undefined;
    const items = sealed !== undefined && !('sealed' in sealed) && sealed.length > 0 ? sealed : undefined;
    return { bytes: copy, leaf, facts, id: statementId(facts), loose, items, resolve, reject };
  }

  /** Wraps a signed statement with the server's time and appends it. */
  appendStatement(signed: SignedStatement, received?: Date): Promise<Appended> {
    return this.append(makeEntry(signed, received ?? new Date(this.now())));
  }

  async entry(index: number): Promise<Uint8Array> {
    checkCount('index', index, 0, this.committed - 1);
    return (await this.store.readEntries(index, index + 1))[0];
  }

  /** Entries [from, to). */
  async entries(from: number, to: number): Promise<Uint8Array[]> {
    checkCount('to', to, 0, this.committed);
    checkCount('from', from, 0, to);
    return this.store.readEntries(from, to);
  }

  /** Inclusion proof of entry `index` in the tree of `size` entries (RFC 9162 §2.1.3). */
  async inclusionProof(index: number, size: number): Promise<Uint8Array[]> {
    checkCount('size', size, 1, this.committed);
    checkCount('index', index, 0, size - 1);
    return this.hashRanges(inclusionRanges(index, size));
  }

  /** Consistency proof from the tree of m entries to that of n (RFC 9162 §2.1.4). */
  async consistencyProof(m: number, n: number): Promise<Uint8Array[]> {
    checkCount('n', n, 0, this.committed);
    checkCount('m', m, 0, n);
    return this.hashRanges(consistencyRanges(m, n));
  }

  /** Root hash of the tree of the first `size` entries. */
  async rootAt(size: number): Promise<Uint8Array> {
    checkCount('size', size, 0, this.committed);
    if (size === this.committed) return this.root();
    if (size === 0) return EMPTY_ROOT.slice();
    return (await this.hashRanges([{ lo: 0, hi: size }]))[0];
  }

  /**
   * The C2SP tlog-tiles tile (level, index) of `width` hashes (standard-tiles.ts): the
   * level-8·level nodes 256·index … +width-1, concatenated. Any width the current tree
   * has is served, so a tile for an older checkpoint's size stays readable. The nodes
   * are the base nodes of this log's tiles at tile-level 2·level, read in one store call.
   */
  async standardTile(level: number, index: number, width: number): Promise<Uint8Array> {
    checkCount('level', level, 0, MAX_STANDARD_TILE_LEVEL);
    this.checkStandardWidth(level, index, width);
    const first = index * STANDARD_TILE_WIDTH;
    const nodes = Array.from({ length: width }, (_, i) => locate(level * STANDARD_TILE_HEIGHT, first + i));
    // Gathered before anything is awaited: a tile that is open or in flight now is read
    // from memory, and one that is in neither is full and committed, so in the store.
    const tiles = new Map<number, Uint8Array>();
    const missing: number[] = [];
    for (const n of nodes) {
      if (tiles.has(n.id) || missing.includes(n.id)) continue;
      const t = this.writer.openTile(n.tileLevel, n.tileIndex) ?? this.inflight.get(n.id) ?? this.cache.get(n.id);
      if (t) tiles.set(n.id, t);
      else missing.push(n.id);
    }
    if (missing.length > 0) {
      // Not cached: a mirror reading the whole tree would flush the tiles proofs need.
      const loaded = await this.store.readTiles(missing);
      loaded.forEach((t, i) => {
        if (!t || t.length !== TILE_NODES * HASH_SIZE) {
          throw new RecordError('corrupt', `${this.store.location}: tile ${tileName(missing[i])} is ${t ? 'incomplete' : 'missing'}`);
        }
        tiles.set(missing[i], t);
      });
    }
    const out = new Uint8Array(width * HASH_SIZE);
    nodes.forEach((n, i) => out.set(hashAt(tiles.get(n.id)!, n.pos), i * HASH_SIZE));
    return out;
  }

  /** The C2SP tlog-tiles entry bundle `index` of `width` entries: each entry after its length as a big-endian uint16. */
  async entryBundle(index: number, width: number): Promise<Uint8Array> {
    this.checkStandardWidth(0, index, width);
    const first = index * STANDARD_TILE_WIDTH;
    const built = await this.store.readEntryBundle?.(first, first + width);
    return built ?? encodeEntryBundle(await this.store.readEntries(first, first + width), first);
  }

  private checkStandardWidth(level: number, index: number, width: number): void {
    checkCount('width', width, 1, STANDARD_TILE_WIDTH);
    const has = standardTileWidth(this.committed, level, index);
    // Infinity (an index no safe integer holds) is beyond the tree like any other.
    if (!(Number.isInteger(index) && index >= 0) || width > has) {
      throw new RecordError('out-of-range', `the tree of ${this.committed} entries has no tile ${level}/${index} of width ${width} (it has ${has})`);
    }
  }

  /** Stores sealed content (with a fresh salt unless given); returns what to put in the body. */
  async putSealed(content: Uint8Array | string, salt?: Uint8Array): Promise<SealedContent> {
    this.assertWritable();
    const s = seal(content, salt);
    await this.store.putSealed(s.sealed, { salt: s.salt, content: s.content });
    return s;
  }

  /** Stores an attachment's bytes by their SHA-256 (LogStore.putAttachment): kept beside sealed content, outside the tree. */
  async putAttachment(sha256: string, type: string, data: AsyncIterable<Uint8Array>, maxBytes: number): Promise<void> {
    this.assertWritable();
    await this.store.putAttachment(sha256, type, data, maxBytes);
  }

  /** The attachment stored under this SHA-256, if any. */
  getAttachment(sha256: string): Promise<StoredAttachment | undefined> {
    return this.store.getAttachment(sha256);
  }

  /** Content sealed as a whole (putSealed, or an entry's sealed body), by its commitment. */
  async getSealed(sealed: string): Promise<SealedContent | undefined> {
    const r = await this.store.getSealed(sealed);
    return r && { sealed, salt: r.salt, content: r.content };
  }

  /** The opening of item `n` of entry `entry`, if one is stored. */
  async getSealedAt(entry: number, n: number): Promise<SealedContent | undefined> {
    const r = await this.store.getSealedAt(entry, n);
    return r && { sealed: r.digest, salt: r.salt, content: r.content };
  }

  /**
   * The opening of the commitment `sealed`: at its place in the record when that is known
   * (item openings are kept there), else among content sealed as a whole (also where
   * records written before item openings had places kept them).
   */
  async openSealed(sealed: string, at?: { entry: number; n: number }): Promise<SealedContent | undefined> {
    if (at) {
      const r = await this.getSealedAt(at.entry, at.n);
      if (r?.sealed === sealed) return r;
    }
    return this.getSealed(sealed);
  }

  /**
   * Checks the stored record against its signed checkpoint (see check-stored.ts),
   * yielding between chunks; resolves with the first problem, or undefined.
   */
  checkStored(options?: CheckStoredOptions): Promise<StoredRecordProblem | undefined> {
    return checkStore(this.store, options);
  }

  /** Commits what is queued, signs a last checkpoint if entries are not covered, closes the store. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    while (this.pumping) await this.pumping;
    this.timer?.();
    this.timer = undefined;
    if (!this.failure && !this.following && this.latest && this.committed > this.latest.size) {
      const wait = this.latest.issuedAt + this.interval - this.now();
      if (wait > 0) await new Promise<void>((r) => this.setTimer(r, wait, true));
      await this.issueCheckpoint();
    }
    await this.store.close();
  }

  /** Opens (or creates) a log; see openLog. */
  static async open(options: LogOptions): Promise<Log> {
    if (!ORIGIN.test(options.origin)) throw new RecordError('config', `origin "${options.origin}" is not detente/<deployment>/<arrangement>`);
    const store = options.store;
    try {
      const logKey = options.logSigner.verifier.vkey;
      const snap = await store.load();
      if (!snap.meta && options.follow) throw new RecordError('config', `${store.location} holds no log yet: a follower opens once its writer has created it`);
      if (!snap.meta) {
        if (snap.size > 0) throw new RecordError('corrupt', `${store.location} holds entries but no log identity`);
        await store.init({ origin: options.origin, logKey });
      } else {
        if (snap.meta.origin !== options.origin) throw new RecordError('config', `${store.location} is the log of ${snap.meta.origin}, not ${options.origin}`);
        if (snap.meta.logKey !== logKey) throw new RecordError('config', `${store.location} is signed by ${snap.meta.logKey}, not by ${logKey}`);
      }
      if (options.checkOnOpen ?? true) await assertStoreIntact(store);
      if (snap.checkpoint && snap.checkpoint.size > snap.size) {
        throw new RecordError('corrupt', `${store.location}: the checkpoint covers ${snap.checkpoint.size} entries but ${snap.size} are stored`);
      }
      const writer = new TileWriter(snap.size, await openTileBases(store, snap.size));
      const log = new Log({ options, store, size: snap.size, writer, checkpoint: snap.checkpoint });
      if (snap.checkpoint) {
        // The stored tree must still be the one the last checkpoint signed.
        const cp = openCheckpoint(snap.checkpoint.note, logKey, options.origin);
        if (cp.size !== snap.checkpoint.size || !bytesEqual(cp.root, await log.rootAt(cp.size))) {
          throw new RecordError('corrupt', `${store.location}: the stored tree does not match its checkpoint for ${cp.size} entries`);
        }
      }
      await log.start();
      return log;
    } catch (e) {
      await store.close();
      throw e;
    }
  }

  /**
   * Signs the first checkpoint of a new log, or schedules one for entries that a crash
   * left without a checkpoint.
   */
  private async start(): Promise<void> {
    if (this.following) return;
    if (!this.latest) await this.issueCheckpoint();
    else if (this.committed > this.latest.size) this.kick();
    if (this.failure) throw this.failure;
  }

  private assertWritable(): void {
    if (this.failure) throw this.failure;
    if (this.closed) throw new RecordError('closed', 'the log is closed');
    if (this.following) throw new RecordError('closed', 'this log follows another writer: it takes no appends');
  }

  private kick(): void {
    // Anything pump throws beyond a store failure (which commit handles) is a bug or a
    // corrupt store: stop the log rather than leave an unhandled rejection.
    this.pumping ??= this.pump()
      .catch((e: unknown) => this.fail(e, []))
      .finally(() => {
        this.pumping = undefined;
        if (this.queue.length > 0 && !this.failure) this.kick();
      });
  }

  /**
   * The single writer. A due checkpoint goes first, so that a steady stream of appends
   * (the queue never empty) still gets one per interval.
   */
  private async pump(): Promise<void> {
    for (;;) {
      // Yield a turn of the event loop so that every append made meanwhile joins the batch.
      await new Promise((r) => setImmediate(r));
      if (this.failure) return;
      const uncovered = this.latest !== undefined && this.committed > this.latest.size;
      const wait = uncovered ? this.latest!.issuedAt + this.interval - this.now() : Infinity;
      if (uncovered && wait <= 0) {
        await this.issueCheckpoint();
      } else if (this.queue.length > 0) {
        await this.commit(this.queue.splice(0, this.maxBatch));
      } else {
        if (uncovered) {
          this.timer ??= this.setTimer(
            () => {
              this.timer = undefined;
              if (!this.closed) this.kick();
            },
            wait,
            false,
          );
        }
        return;
      }
    }
  }

  private async commit(items: Pending[]): Promise<void> {
    const accepted: Pending[] = [];
    const inBatch = new Map<string, number>();
    for (const p of items) {
      const id = idKey(p.id);
      const twin = inBatch.get(id);
      if (twin !== undefined) {
        p.reject(new RecordError('duplicate', `statement appended twice (as entry ${twin})`));
        continue;
      }
      inBatch.set(id, this.committed + accepted.length);
      accepted.push(p);
    }
    if (accepted.length === 0) return;

    const first = this.committed;
    for (const p of accepted) this.writer.addLeaf(p.leaf);
    const finished = this.writer.takeFinished();
    for (const t of finished) this.inflight.set(t.id, t.data);
    try {
      await this.store.append({
        first,
        entries: accepted.map((p) => p.bytes),
        statementIds: accepted.map((p) => p.id),
        tiles: finished,
        ...sealedOfBatch(first, accepted),
      });
    } catch (e) {
      if (e instanceof DuplicateStatementError) return this.retryWithoutReplays(accepted);
      return this.fail(e, accepted);
    }
    for (const t of finished) this.cache.set(t.id, t.data);
    this.inflight.clear();
    this.committed = first + accepted.length;
    this.head = this.edgeRoot(this.committed);
    accepted.forEach((p, i) => p.resolve({ index: first + i, leafHash: p.leaf }));
    this.onCommitted?.(this.committed);
  }

  /**
   * Replays are rare, so a batch is written without looking each statement up first;
   * when the store refuses one, the tree goes back to the committed state, the replays
   * are named and refused, and the rest is committed again.
   */
  private async retryWithoutReplays(items: Pending[]): Promise<void> {
    try {
      this.inflight.clear();
      this.writer = new TileWriter(this.committed, await openTileBases(this.store, this.committed));
      const found = await this.store.findStatements(items.map((p) => p.id));
      const rest = items.filter((p, i) => {
        if (found[i] === undefined) return true;
        p.reject(new RecordError('duplicate', `statement already in the log as entry ${found[i]}`));
        return false;
      });
      if (rest.length === items.length) throw new Error('the store reported a replay that it cannot find');
      await this.commit(rest);
    } catch (e) {
      this.fail(e, items);
    }
  }

  /**
   * After a failed write the in-memory tree may be ahead of the store; rather than
   * guess, the log stops and must be reopened (which reads the store's truth).
   */
  private fail(e: unknown, items: Pending[]): void {
    this.failure = new RecordError('failed', `writing to ${this.store.location} failed (${(e as Error).message}); reopen the log`);
    for (const p of [...items, ...this.queue.splice(0)]) p.reject(this.failure);
  }

  private async issueCheckpoint(): Promise<void> {
    const size = this.committed;
    const note = signCheckpoint({ origin: this.origin, size, root: this.head, extensions: [] }, this.signer);
    const cp: StoredCheckpoint = { size, issuedAt: this.now(), note };
    try {
      await this.store.saveCheckpoint(cp);
    } catch (e) {
      return this.fail(e, []);
    }
    this.latest = cp;
    this.onCheckpoint?.(note, size);
  }

  /** Root of the current tree from the open tiles alone: the right edge is always there. */
  private edgeRoot(size: number): Uint8Array {
    if (size === 0) return EMPTY_ROOT;
    const hashes = rangeNodes({ lo: 0, hi: size }).map((n) => {
      const at = locate(n.level, n.index);
      const tile = this.writer.openTile(at.tileLevel, at.tileIndex);
      if (!tile) throw new RecordError('corrupt', `node ${n.level}/${n.index} is not in an open tile`);
      return hashAt(tile, at.pos);
    });
    return foldNodes(hashes).slice();
  }

  /**
   * Hashes of the ranges, reading each missing tile once. Most ranges of a proof are
   * full subtrees, one stored hash each; the others lie on the tree's right edge, and
   * since a tree size has only a few of them, their hashes are kept (edgeHashes).
   */
  private async hashRanges(ranges: Range[]): Promise<Uint8Array[]> {
    const out: Uint8Array[] = new Array(ranges.length);
    const plans: Array<{ at: number; nodes: NodeLocation[]; key?: string }> = [];
    for (let at = 0; at < ranges.length; at++) {
      const { lo, hi } = ranges[at];
      const width = hi - lo;
      const level = Math.round(Math.log2(width));
      if (2 ** level === width) {
        plans.push({ at, nodes: [locate(level, lo / width)] });
        continue;
      }
      const key = `${lo}:${hi}`;
      const known = this.edgeHashes.get(key);
      if (known) out[at] = known.slice();
      else plans.push({ at, nodes: rangeNodes(ranges[at]).map((n) => locate(n.level, n.index)), key });
    }
    const tiles = new Map<number, Uint8Array>();
    let missing: number[] | undefined;
    for (const plan of plans) {
      for (const n of plan.nodes) {
        if (tiles.has(n.id)) continue;
        const t = this.writer.openTile(n.tileLevel, n.tileIndex) ?? this.inflight.get(n.id) ?? this.cache.get(n.id);
        if (t) tiles.set(n.id, t);
        else if (!missing) missing = [n.id];
        else if (!missing.includes(n.id)) missing.push(n.id);
      }
    }
    if (missing) await this.loadTiles(missing, tiles);
    for (const plan of plans) {
      const nodes = plan.nodes;
      let h: Uint8Array;
      if (nodes.length === 1) {
        h = hashAt(tiles.get(nodes[0].id)!, nodes[0].pos);
      } else {
        h = foldNodes(nodes.map((n) => hashAt(tiles.get(n.id)!, n.pos)));
        if (this.edgeHashes.size >= 1024) this.edgeHashes.clear();
        this.edgeHashes.set(plan.key!, h);
      }
      // A copy: callers may keep or change what they get without touching the tiles.
      out[plan.at] = h.slice();
    }
    return out;
  }

  private async loadTiles(ids: number[], into: Map<number, Uint8Array>): Promise<void> {
    const loaded = await this.store.readTiles(ids);
    loaded.forEach((t, i) => {
      if (!t || t.length !== TILE_NODES * HASH_SIZE) {
        throw new RecordError('corrupt', `${this.store.location}: tile ${tileName(ids[i])} is ${t ? 'incomplete' : 'missing'}`);
      }
      this.cache.set(ids[i], t);
      into.set(ids[i], t);
    });
  }
}

/** The base nodes of each level's open tile: the last leaves, and roots of stored full tiles. */
export async function openTileBases(store: LogStore, size: number): Promise<Uint8Array[][]> {
  const { leaves, below } = openTileSources(size);
  const bases: Uint8Array[][] = [(await store.readEntries(size - leaves, size)).map(leafHash)];
  const ids = below.flat();
  const tiles = await store.readTiles(ids);
  const byId = new Map(ids.map((id, i) => [id, tiles[i]]));
  for (let level = 1; level < below.length; level++) {
    bases.push(
      below[level].map((id) => {
        const t = byId.get(id);
        if (!t || t.length !== TILE_NODES * HASH_SIZE)
          throw new RecordError('corrupt', `${store.location}: tile ${tileName(id)} is ${t ? 'incomplete' : 'missing'}`);
        return tileRoot(t);
      }),
    );
  }
  return bases;
}

function fresh(cp: StoredCheckpoint | undefined, latest: StoredCheckpoint | undefined): boolean {
  return cp !== undefined && (latest === undefined || cp.size > latest.size);
}

/** Opens (or creates) a log. */
export function openLog(options: LogOptions): Promise<Log> {
  return Log.open(options);
}
