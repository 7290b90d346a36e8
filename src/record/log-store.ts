// The storage the record's log needs, and nothing more. The log owns every decision
// (hashing, tiles, batching, checkpoints); a store only keeps bytes and applies a batch
// atomically, so a PostgreSQL store is these methods over a few tables.
// Sizes and indexes are numbers; ids of tiles are opaque safe integers chosen by the log.

export interface LogMeta {
  /** checkpoint origin, detente/<deployment>/<arrangement> */
  origin: string;
  /** the log's verifier key (signed-note form), fixed for the life of the log */
  logKey: string;
}

export interface StoredCheckpoint {
  size: number;
  /** when it was signed, ms since the epoch (paces checkpoints across restarts) */
  issuedAt: number;
  /** the signed note */
  note: string;
}

/** What the store holds, read in one consistent snapshot. */
export interface StoreSnapshot {
  size: number;
  meta: LogMeta | undefined;
  checkpoint: StoredCheckpoint | undefined;
}

export interface AppendBatch {
  /** index of entries[0]; the store refuses the batch unless it equals its size */
  first: number;
  entries: Uint8Array[];
  /** one per entry: the key under which a replay of the same statement is refused */
  statementIds: Uint8Array[];
  /** tiles to insert or replace */
  tiles: Array<{ id: number; data: Uint8Array }>;
  /**
   * the openings of the batch's sealed items (each sealed report of a batch), kept by
   * their place in the record; durable no later than the entries naming them
   */
  sealed?: SealedItem[];
  /** content sealed as a whole body (talks, disputes), kept by its digest; durable no later than the entries */
  loose?: Array<SealedRecord & { digest: string }>;
}

export interface SealedRecord {
  salt: Uint8Array;
  content: Uint8Array;
}

/**
 * A sealed item's opening, kept by its place in the record: entry `entry`, item `n` of
 * its body's list (0 for a lone report). Written in record order, so a store appends
 * them (a B-tree keyed by random digests costs a page write per row); the digest is kept
 * to check the opening against its commitment.
 */
export interface SealedItem extends SealedRecord {
  entry: number;
  n: number;
  digest: string;
}

/**
 * An attachment a report names (an inspection photo, imagery): bytes kept apart from the
 * record by their SHA-256, which the report commits to; what it holds is read as it is
 * streamed out, never whole into memory.
 */
export interface StoredAttachment {
  /** its media type, as uploaded */
  type: string;
  /** its size in bytes */
  bytes: number;
  /** its bytes, in chunks */
  data(): AsyncIterable<Uint8Array>;
}

/**
 * Thrown by putAttachment() when the bytes are not what was promised: their SHA-256 is
 * not the one named (`mismatch`), or they run past the limit (`too-large`). Nothing is kept.
 */
export class AttachmentRefused extends Error {
  constructor(
    readonly why: 'mismatch' | 'too-large',
    message: string,
  ) {
    super(message);
  }
}

/** Thrown by append() when a statement id is already stored; the batch is not applied. */
export class DuplicateStatementError extends Error {}

export interface LogStore {
  /** where it lives, for messages */
  readonly location: string;
  load(): Promise<StoreSnapshot>;
  /** records the log's identity once, when the log is created */
  init(meta: LogMeta): Promise<void>;
  /**
   * writes a batch in one durable transaction; resolves once it is on disk. Statement ids
   * are unique: a batch repeating a stored one fails whole with DuplicateStatementError.
   */
  append(batch: AppendBatch): Promise<void>;
  readTiles(ids: readonly number[]): Promise<Array<Uint8Array | undefined>>;
  /** entries [from, to) in index order */
  readEntries(from: number, to: number): Promise<Uint8Array[]>;
  /**
   * entries [from, to) as a C2SP tlog-tiles entry bundle, when the store can build one
   * itself; undefined when it cannot (the log encodes readEntries' entries then)
   */
  readEntryBundle?(from: number, to: number): Promise<Uint8Array | undefined>;
  /** for each id, the index of the entry stored under it, if any (to name a replay) */
  findStatements(ids: readonly Uint8Array[]): Promise<Array<number | undefined>>;
  /** replaces the latest checkpoint; refuses one smaller than the stored one */
  saveCheckpoint(cp: StoredCheckpoint): Promise<void>;
  /** stores content sealed apart from a batch (kept by its digest; a repeat is a no-op) */
  putSealed(digest: string, record: SealedRecord): Promise<void>;
  /** content sealed as a whole (putSealed or a batch's `loose`), by its digest */
  getSealed(digest: string): Promise<SealedRecord | undefined>;
  /** up to `limit` records sealed as a whole with digests after `after` (all when undefined), in digest order (to check them all) */
  listSealed(after: string | undefined, limit: number): Promise<Array<SealedRecord & { digest: string }>>;
  /** the opening of item `n` of entry `entry`, if one is stored */
  getSealedAt(entry: number, n: number): Promise<SealedItem | undefined>;
  /** up to `limit` item openings from entry `fromEntry` on, in (entry, n) order (to check them all) */
  listSealedItems(fromEntry: number, limit: number): Promise<SealedItem[]>;
  /**
   * Stores an attachment's bytes under their SHA-256 (lower-case hex), hashing them as they
   * stream in: AttachmentRefused, and nothing kept, when they hash otherwise or pass
   * `maxBytes`. Once it resolves the attachment is durable; a repeat is a no-op.
   */
  putAttachment(sha256: string, type: string, data: AsyncIterable<Uint8Array>, maxBytes: number): Promise<void>;
  /** the attachment stored under this SHA-256, if any */
  getAttachment(sha256: string): Promise<StoredAttachment | undefined>;
  close(): Promise<void>;
}
