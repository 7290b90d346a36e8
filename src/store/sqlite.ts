// The embedded store: SQLite through better-sqlite3, in WAL mode with synchronous=FULL,
// so a committed batch is in the fsync'd WAL before append() resolves. Each AppendBatch
// is one transaction (the log batches concurrent appends: group commit). Readers in
// other processes (detente export) see consistent snapshots while the log appends.
//
// Sealed content sits in its own file, sealed.db (mode 0600), so the log database can
// be copied or published without it. A batch's item openings are kept by their place in
// the record (an integer key that only grows: appended, like the entries), not by digest:
// a B-tree keyed by random digests dirties a page per row, which capped intake at a
// fraction of what the log writes. sealed.db commits before log.db, so an entry never
// outlives its openings; openings of a batch that did not commit are replaced when the
// entries that do take their place. Appends are written by a thread of their own
// (append-worker.ts), so the server goes on while the disk syncs. Attachments (bytes a report names by SHA-256) are
// files under attachments/, apart from both databases.

import Database from 'better-sqlite3';
import { randomBytes } from 'node:crypto';
import { closeSync, createReadStream, existsSync, mkdirSync, openSync } from 'node:fs';
import { mkdir, open, readFile, rename, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { AppendFailed, type AppendSql, AppendWorker, BETTER_SQLITE3 } from './append-worker.ts';
import { checkedChunks, isSha256 } from './attachment-bytes.ts';
import { writeFileAtomic } from './atomic-file.ts';
import { LOG_DB, SEALED_DB } from './layout.ts';
import { PACKED_MIN, PACKED_ROWS, packable, prepareBundle, preparePacked, readBundle, readPacked } from './sqlite-packed.ts';
import {
  DuplicateStatementError,
  type AppendBatch,
  type LogMeta,
  type LogStore,
  type SealedItem,
  type SealedRecord,
  type StoreSnapshot,
  type StoredAttachment,
  type StoredCheckpoint,
} from '../record/log-store.ts';

const SCHEMA_VERSION = 1;
/** Attachments, a file per SHA-256 (and its type in `<sha256>.json`), under the log's directory, beside sealed.db. */
const ATTACHMENTS_DIR = 'attachments';

const LOG_SCHEMA = `
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS entries (idx INTEGER PRIMARY KEY, data BLOB NOT NULL);
CREATE TABLE IF NOT EXISTS tiles (id INTEGER PRIMARY KEY, data BLOB NOT NULL);
CREATE TABLE IF NOT EXISTS statements (id BLOB PRIMARY KEY, idx INTEGER NOT NULL) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS checkpoint (
  one INTEGER PRIMARY KEY CHECK (one = 1),
  size INTEGER NOT NULL,
  issued_at INTEGER NOT NULL,
  note TEXT NOT NULL
);
`;

const SEALED_SCHEMA = `
CREATE TABLE IF NOT EXISTS sealed (digest TEXT PRIMARY KEY, salt BLOB NOT NULL, content BLOB NOT NULL);
CREATE TABLE IF NOT EXISTS items (at INTEGER PRIMARY KEY, digest BLOB NOT NULL, salt BLOB NOT NULL, content BLOB NOT NULL);
`;

/** Items per entry in the `items` key: an entry's body (at most 64 KiB) lists far fewer. */
const ITEM_SPAN = 65536;

export interface SqliteOptions {
  /** open for reading only (detente export); the directory and log must exist */
  readonly?: boolean;
  /**
   * the page size of a log created now (SQLite's default, 4096, otherwise): a store
   * written only in large batches, as a follower's mirror is, writes its entries with
   * about half the CPU in 64 KiB pages (bench: 200,000 entries of 450 bytes), where a
   * server committing a few entries at a time would write 64 KiB to the WAL for each
   */
  pageSize?: 4096 | 8192 | 16384 | 32768 | 65536;
}

const WRITE_PRAGMAS = ['journal_mode = WAL', 'synchronous = FULL'];
// Readers (and the other writer: the append thread, or this one) wait briefly for a
// writer's checkpoint instead of failing with SQLITE_BUSY. Proof reads are random;
// mapping the file saves a read() per tile.
const SHARED_PRAGMAS = ['busy_timeout = 5000', 'mmap_size = 268435456', 'cache_size = -32768'];
const READ_MMAP = 'mmap_size = 17179869184';

function openDb(path: string, readonly: boolean, pageSize?: number): Database.Database {
  const db = new Database(path, { readonly, fileMustExist: readonly });
  // Only a database with no tables yet takes a page size, and only before it is in WAL mode.
  if (pageSize !== undefined && !readonly) db.pragma(`page_size = ${pageSize}`);
  for (const p of [...(readonly ? [] : WRITE_PRAGMAS), ...SHARED_PRAGMAS]) db.pragma(p);
  // A reader (a restart's check, export) reads the whole file in order: mapped, with no
  // read() per page. SQLite caps the size at what it was built with (2 GB here).
  if (readonly) db.pragma(READ_MMAP);
  return db;
}

/** What the append thread runs: the size check, entries, statements, tiles, and the batch's sealed content. */
function appendSql(dir: string): AppendSql {
  return {
    driver: BETTER_SQLITE3,
    logPath: join(dir, LOG_DB),
    sealedPath: join(dir, SEALED_DB),
    pragmas: [...WRITE_PRAGMAS, ...SHARED_PRAGMAS],
    size: SIZE_SQL,
    // Spans hold start·65536 + length: entries are at most 65,535 bytes (MAX_ENTRY_BYTES).
    entries: 'INSERT INTO entries (idx, data) SELECT @first + key, substr(@bytes, (value >> 16) + 1, value & 65535) FROM json_each(@spans)',
    statements: 'INSERT INTO statements (id, idx) SELECT substr(@ids, key * 16 + 1, 16), @first + key FROM json_each(@spans)',
    tile: 'INSERT OR REPLACE INTO tiles (id, data) VALUES (?, ?)',
    putLoose: PUT_LOOSE_SQL,
    clearItems: 'DELETE FROM items WHERE at >= ? AND at < ?',
    putItem: 'INSERT INTO items (at, digest, salt, content) VALUES (?, ?, ?, ?)',
    itemSpan: ITEM_SPAN,
  };
}

// The size is derived from the entries, never stored twice; checking it in each append
// also stops a second writer process from interleaving with this one.
const SIZE_SQL = 'SELECT coalesce(max(idx) + 1, 0) FROM entries';
const PUT_LOOSE_SQL = 'INSERT OR IGNORE INTO sealed (digest, salt, content) VALUES (?, ?, ?)';

function bytes(b: Buffer): Uint8Array {
  return new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
}

function prepareReads(db: Database.Database) {
  return {
    size: db.prepare(SIZE_SQL).pluck(),
    meta: db.prepare('SELECT key, value FROM meta'),
    checkpoint: db.prepare('SELECT size, issued_at AS issuedAt, note FROM checkpoint WHERE one = 1'),
    tile: db.prepare('SELECT data FROM tiles WHERE id = ?').pluck(),
    tilesPacked: packable(db) ? preparePacked(db, 'SELECT id, data FROM tiles WHERE id >= ? AND id < ? ORDER BY id', 'id', ['data']) : undefined,
    entries: db.prepare('SELECT data FROM entries WHERE idx >= ? AND idx < ? ORDER BY idx').pluck(),
    entriesPacked: packable(db) ? preparePacked(db, 'SELECT idx, data FROM entries WHERE idx >= ? AND idx < ? ORDER BY idx', 'idx', ['data']) : undefined,
    statement: db.prepare('SELECT idx FROM statements WHERE id = ?').pluck(),
    entryBundle: prepareBundle(db, 'SELECT idx, data FROM entries WHERE idx >= ? AND idx < ? ORDER BY idx', 'idx', 'data'),
  };
}

function prepareWrites(db: Database.Database, reads: ReturnType<typeof prepareReads>, location: string) {
  const meta = db.prepare('INSERT INTO meta (key, value) VALUES (?, ?)');
  const checkpoint = db.prepare(
    `INSERT INTO checkpoint (one, size, issued_at, note) VALUES (1, ?, ?, ?)
     ON CONFLICT (one) DO UPDATE SET size = excluded.size, issued_at = excluded.issued_at, note = excluded.note`,
  );
  return {
    init: db.transaction((m: LogMeta) => {
      meta.run('origin', m.origin);
      meta.run('logKey', m.logKey);
    }),
    checkpoint: db.transaction((cp: StoredCheckpoint) => {
      const current = reads.checkpoint.get() as StoredCheckpoint | undefined;
      if (current && cp.size < current.size) throw new Error(`${location}: a checkpoint for ${cp.size} entries would replace one for ${current.size}`);
      checkpoint.run(cp.size, cp.issuedAt, cp.note);
    }),
  };
}

export class SqliteStore implements LogStore {
  readonly location: string;
  private readonly dir: string;
  private readonly readonly: boolean;
  private readonly db: Database.Database;
  private readonly q: ReturnType<typeof prepareReads>;
  private w: ReturnType<typeof prepareWrites> | undefined;
  private sealedDb: Database.Database | undefined;
  private sq:
    | {
        put: Database.Statement;
        get: Database.Statement;
        getAt: Database.Statement;
        listItems: Database.Statement;
        listPacked: Database.Statement | undefined;
      }
    | undefined;
  private appender: AppendWorker | undefined;

  constructor(dir: string, options: SqliteOptions = {}) {
    this.dir = dir;
    this.readonly = options.readonly ?? false;
    this.location = join(dir, LOG_DB);
    if (!this.readonly) mkdirSync(dir, { recursive: true, mode: 0o700 });
    this.db = openDb(this.location, this.readonly, options.pageSize);
    if (!this.readonly) {
      const version = this.db.pragma('user_version', { simple: true }) as number;
      if (version > SCHEMA_VERSION) throw new Error(`${this.location} has schema version ${version}; this program knows ${SCHEMA_VERSION}`);
      this.db.exec(LOG_SCHEMA);
      this.db.pragma(`user_version = ${SCHEMA_VERSION}`);
    }
    this.q = prepareReads(this.db);
  }

  private get write(): ReturnType<typeof prepareWrites> {
    if (this.readonly) throw new Error(`${this.location} is open read-only`);
    return (this.w ??= prepareWrites(this.db, this.q, this.location));
  }

  async load(): Promise<StoreSnapshot> {
    // One read transaction: size and checkpoint from the same instant. (Logs made before
    // the key book have an `authors` table of first-use pins; nothing reads it now.)
    return this.db.transaction(() => {
      const meta = Object.fromEntries((this.q.meta.all() as Array<{ key: string; value: string }>).map((r) => [r.key, r.value]));
      const checkpoint = this.q.checkpoint.get() as StoredCheckpoint | undefined;
      return {
        size: this.q.size.get() as number,
        meta: meta.origin !== undefined && meta.logKey !== undefined ? { origin: meta.origin, logKey: meta.logKey } : undefined,
        checkpoint,
      };
    })();
  }

  async init(meta: LogMeta): Promise<void> {
    this.write.init(meta);
  }

  async append(batch: AppendBatch): Promise<void> {
    if (this.readonly) throw new Error(`${this.location} is open read-only`);
    // sealed.db exists (0600, with its tables) before the append thread opens it.
    if ((batch.sealed?.length ?? 0) > 0 || (batch.loose?.length ?? 0) > 0) this.sealedStatements();
    this.appender ??= new AppendWorker(appendSql(this.dir));
    try {
      await this.appender.append(batch);
    } catch (e) {
      // The statements table's key is the only primary key a valid batch can collide on.
      if (e instanceof AppendFailed && e.code === 'SQLITE_CONSTRAINT_PRIMARYKEY' && /statements\.id/.test(e.message)) {
        throw new DuplicateStatementError(`${this.location}: a statement in the batch is already stored`);
      }
      throw e;
    }
  }

  async readTiles(ids: readonly number[]): Promise<Array<Uint8Array | undefined>> {
    const out: Array<Uint8Array | undefined> = new Array(ids.length).fill(undefined);
    // Runs of consecutive ids (the tiles a check or a replay completes, level by level) are
    // read as packed pages; the rest one by one.
    for (let i = 0; i < ids.length; ) {
      let j = i + 1;
      while (j < ids.length && j - i < PACKED_ROWS && ids[j] === ids[j - 1] + 1) j++;
      const page = j - i >= PACKED_MIN && this.q.tilesPacked ? readPacked(this.q.tilesPacked, [ids[i], ids[j - 1] + 1], 1) : undefined;
      if (page) page.keys.forEach((id, k) => (out[i + id - ids[i]] = page.blobs[k]));
      else
        for (let k = i; k < j; k++) {
          const b = this.q.tile.get(ids[k]) as Buffer | undefined;
          out[k] = b && bytes(b);
        }
      i = j;
    }
    return out;
  }

  async readEntries(from: number, to: number): Promise<Uint8Array[]> {
    const out: Uint8Array[] = [];
    // A few entries are read row by row; many (replay, a restart's check, export, tile
    // bundles) as packed pages, sliced here.
    for (let at = from; at < to; at += PACKED_ROWS) {
      const end = Math.min(to, at + PACKED_ROWS);
      const page = end - at >= PACKED_MIN && this.q.entriesPacked ? readPacked(this.q.entriesPacked, [at, end], 1) : undefined;
      if (page) out.push(...page.blobs);
      else for (const b of this.q.entries.all(at, end) as Buffer[]) out.push(bytes(b));
    }
    if (out.length !== Math.max(0, to - from)) throw new Error(`${this.location}: entries ${from}..${to - 1} are not all stored`);
    return out;
  }

  async readEntryBundle(from: number, to: number): Promise<Uint8Array | undefined> {
    if (to - from < PACKED_MIN || to - from > PACKED_ROWS || !this.q.entryBundle) return undefined;
    return readBundle(this.q.entryBundle, [from, to], from, to - from);
  }

  async findStatements(ids: readonly Uint8Array[]): Promise<Array<number | undefined>> {
    return ids.map((id) => this.q.statement.get(id) as number | undefined);
  }

  async saveCheckpoint(cp: StoredCheckpoint): Promise<void> {
    this.write.checkpoint(cp);
  }

  private sealed(): Database.Database {
    if (!this.sealedDb) {
      const path = join(this.dir, SEALED_DB);
      // Create the file 0600 before SQLite does: its -wal and -shm files take the same mode.
      if (!this.readonly) closeSync(openSync(path, 'a', 0o600));
      this.sealedDb = openDb(path, this.readonly);
      if (!this.readonly) this.sealedDb.exec(SEALED_SCHEMA);
    }
    return this.sealedDb;
  }

  /** The sealed store's statements, prepared once: replay and the sealed route read one per sealed report. */
  private sealedStatements() {
    if (!this.sq) {
      const db = this.sealed();
      this.sq = {
        put: db.prepare(PUT_LOOSE_SQL),
        get: db.prepare('SELECT salt, content FROM sealed WHERE digest = ?'),
        getAt: db.prepare('SELECT at, digest, salt, content FROM items WHERE at = ?'),
        listItems: db.prepare('SELECT at, digest, salt, content FROM items WHERE at >= ? ORDER BY at LIMIT ?'),
        listPacked: packable(db)
          ? preparePacked(db, 'SELECT at, digest, salt, content FROM items WHERE at >= ? ORDER BY at LIMIT ?', 'at', ['digest', 'salt', 'content'])
          : undefined,
      };
    }
    return this.sq;
  }

  async putSealed(digest: string, record: SealedRecord): Promise<void> {
    if (this.readonly) throw new Error(`${this.location} is open read-only`);
    // Same digest means same salt and content (it is their hash), so a repeat is a no-op.
    this.sealedStatements().put.run(digest, record.salt, record.content);
  }

  async getSealed(digest: string): Promise<SealedRecord | undefined> {
    if (!this.hasSealed()) return undefined;
    const row = this.sealedStatements().get.get(digest) as { salt: Buffer; content: Buffer } | undefined;
    return row && { salt: bytes(row.salt), content: bytes(row.content) };
  }

  async listSealed(after: string | undefined, limit: number): Promise<Array<SealedRecord & { digest: string }>> {
    if (!this.hasSealed()) return [];
    const rows = this.sealed()
      .prepare('SELECT digest, salt, content FROM sealed WHERE digest > ? ORDER BY digest LIMIT ?')
      .all(after ?? '', limit) as Array<{ digest: string; salt: Buffer; content: Buffer }>;
    return rows.map((r) => ({ digest: r.digest, salt: bytes(r.salt), content: bytes(r.content) }));
  }

  async getSealedAt(entry: number, n: number): Promise<SealedItem | undefined> {
    if (!this.hasSealed()) return undefined;
    const row = this.sealedStatements().getAt.get(entry * ITEM_SPAN + n) as ItemRow | undefined;
    return row && itemOf(row);
  }

  async listSealedItems(fromEntry: number, limit: number): Promise<SealedItem[]> {
    if (!this.hasSealed()) return [];
    const sq = this.sealedStatements();
    const out: SealedItem[] = [];
    for (let at = fromEntry * ITEM_SPAN; out.length < limit; ) {
      const want = Math.min(PACKED_ROWS, limit - out.length);
      const page = want >= PACKED_MIN && sq.listPacked ? readPacked(sq.listPacked, [at, want], 3) : undefined;
      if (page) {
        page.keys.forEach((key, k) => {
          const [digest, salt, content] = page.blobs.slice(3 * k, 3 * k + 3);
          out.push({
            entry: Math.floor(key / ITEM_SPAN),
            n: key % ITEM_SPAN,
            digest: Buffer.from(digest.buffer, digest.byteOffset, digest.length).toString('hex'),
            salt,
            content,
          });
        });
        if (page.keys.length < want) break;
        at = page.keys[page.keys.length - 1] + 1;
      } else {
        const rows = sq.listItems.all(at, want) as ItemRow[];
        for (const r of rows) out.push(itemOf(r));
        if (rows.length < want) break;
        at = rows[rows.length - 1].at + 1;
      }
    }
    return out;
  }

  /** A log read-only whose server never sealed anything has no sealed.db at all. */
  private hasSealed(): boolean {
    return !(this.readonly && !this.sealedDb && !existsSync(join(this.dir, SEALED_DB)));
  }

  async putAttachment(sha256: string, type: string, data: AsyncIterable<Uint8Array>, maxBytes: number): Promise<void> {
    if (this.readonly) throw new Error(`${this.location} is open read-only`);
    if (!isSha256(sha256)) throw new Error(`${this.location}: "${sha256}" is not a SHA-256`);
    const dir = join(this.dir, ATTACHMENTS_DIR);
    await mkdir(dir, { recursive: true, mode: 0o700 });
    const path = join(dir, sha256);
    // Streamed to a temporary file and checked as it goes; renamed into place only once its
    // hash is the one named and it is on disk, so a reader never sees part of one.
    const tmp = join(dir, `.${sha256}.tmp-${process.pid}-${randomBytes(6).toString('hex')}`);
    const seen = { bytes: 0 };
    const fh = await open(tmp, 'wx', 0o600);
    try {
      try {
        for await (const c of checkedChunks(sha256, data, maxBytes, seen)) await fh.write(c);
        await fh.sync();
      } finally {
        await fh.close();
      }
      if (existsSync(`${path}.json`)) {
        await unlink(tmp);
        return;
      }
      await rename(tmp, path);
      // The type beside the bytes, written last: an attachment is stored once this file is.
      writeFileAtomic(`${path}.json`, JSON.stringify({ type, bytes: seen.bytes }));
    } catch (e) {
      await unlink(tmp).catch(() => undefined);
      throw e;
    }
  }

  async getAttachment(sha256: string): Promise<StoredAttachment | undefined> {
    if (!isSha256(sha256)) return undefined;
    const path = join(this.dir, ATTACHMENTS_DIR, sha256);
    let meta: { type: string; bytes: number };
    try {
      meta = JSON.parse(await readFile(`${path}.json`, 'utf8')) as { type: string; bytes: number };
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw e;
    }
    return { type: meta.type, bytes: meta.bytes, data: () => createReadStream(path) };
  }

  async close(): Promise<void> {
    await this.appender?.close();
    this.sealedDb?.close();
    this.db.close();
  }
}

interface ItemRow {
  at: number;
  digest: Buffer;
  salt: Buffer;
  content: Buffer;
}

function itemOf(r: ItemRow): SealedItem {
  return { entry: Math.floor(r.at / ITEM_SPAN), n: r.at % ITEM_SPAN, digest: r.digest.toString('hex'), salt: bytes(r.salt), content: bytes(r.content) };
}

export async function openSqliteStore(dir: string, options: SqliteOptions = {}): Promise<SqliteStore> {
  return new SqliteStore(dir, options);
}
