// The record's LogStore on PostgreSQL: the same contract as the SQLite store, over the
// tables of migrations.ts in one schema per log. Each append batch is one transaction,
// durable at COMMIT (sessions run with synchronous_commit=on). The batch's `first` is
// checked against the sequencing row, locked FOR UPDATE inside that transaction: two
// writers (two processes now, two nodes later) can never interleave, and the loser of a
// race fails whole. A sequencer lease (part 2 of issue 12) is the next step on that row.

import type pg from 'pg';
import {
  type AppendBatch,
  DuplicateStatementError,
  type LogMeta,
  type LogStore,
  type SealedItem,
  type SealedRecord,
  type StoreSnapshot,
  type StoredAttachment,
  type StoredCheckpoint,
} from '../../record/log-store.ts';
import { checkedChunks, isSha256 } from '../attachment-bytes.ts';
import { openPool, redactUrl } from './connect.ts';
import { checkReadable, migrate } from './migrations.ts';
import { PgSecrets } from './secrets.ts';

export interface PgStoreOptions {
  /** postgres://USER[:PASSWORD]@HOST:PORT/DB */
  url: string;
  /** the log's schema (schemaFor(arrangement id)) */
  schema: string;
  /** open for reading only (detente export): nothing is created or migrated */
  readonly?: boolean;
  /** connections in the pool (default 8) */
  connections?: number;
}

const UNIQUE_VIOLATION = '23505';

/**
 * One append batch as ONE statement, so one round trip and one (implicit) COMMIT. The
 * sequencing row is updated only if it still holds the batch's `first`: a concurrent
 * writer's UPDATE waits for ours to commit, then finds the size moved and updates
 * nothing; every insert joins `seq`, so a batch whose `first` is stale writes nothing,
 * its sealed content included (item openings and content sealed whole). A duplicate statement id aborts the whole statement. Byte strings travel packed in one
 * bytea parameter each (sent binary by node-postgres) with 1-based offsets and lengths:
 * a bytea[] parameter would be hex text. Statement ids, 16 bytes each, are packed without
 * offsets and become the uuid column's values (migration 2) through their hex form (a
 * bytea substring is O(1); one of a UTF-8 text is not).
 */
const APPEND_SQL = `
WITH seq AS (
  UPDATE sequencer SET size = $1::bigint + $2::bigint WHERE one = 1 AND size = $1::bigint RETURNING size
), ent AS (
  INSERT INTO entries (idx, data)
  SELECT $1::bigint + t.i - 1, substring($3::bytea FROM t.o FOR t.l)
  FROM seq, unnest($4::int[], $5::int[]) WITH ORDINALITY AS t(o, l, i)
), st AS (
  INSERT INTO statements (id, idx)
  SELECT encode(substring($6::bytea FROM (t.i * 16 - 15)::int FOR 16), 'hex')::uuid, $1::bigint + t.i - 1
  FROM seq, generate_series(1, $2::bigint) AS t(i)
), ti AS (
  INSERT INTO tiles (id, data)
  SELECT t.id, substring($8::bytea FROM t.o FOR t.l)
  FROM seq, unnest($7::bigint[], $9::int[], $10::int[]) AS t(id, o, l)
  ON CONFLICT (id) DO UPDATE SET data = excluded.data
), se AS (
  INSERT INTO sealed_items (entry, n, digest, salt, content)
  SELECT t.entry, t.n, t.digest, substring($14::bytea FROM t.so FOR t.sl), substring($17::bytea FROM t.co FOR t.cl)
  FROM seq, unnest($11::bigint[], $12::int[], $13::text[], $15::int[], $16::int[], $18::int[], $19::int[]) AS t(entry, n, digest, so, sl, co, cl)
), lo AS (
  INSERT INTO sealed (digest, salt, content)
  SELECT t.digest, substring($21::bytea FROM t.so FOR t.sl), substring($24::bytea FROM t.co FOR t.cl)
  FROM seq, unnest($20::text[], $22::int[], $23::int[], $25::int[], $26::int[]) AS t(digest, so, sl, co, cl)
  ON CONFLICT (digest) DO NOTHING
)
SELECT count(*)::int AS ok FROM seq`;

/** Statement ids are 16 bytes (record/log.ts statementId): one uuid each (see APPEND_SQL). */
const ID_BYTES = 16;

function idsPacked(ids: readonly Uint8Array[], location: string): Buffer {
  for (const id of ids) if (id.length !== ID_BYTES) throw new Error(`${location}: a statement id is ${id.length} bytes, not ${ID_BYTES}`);
  return Buffer.concat(ids);
}

/** Byte strings as one buffer with 1-based offsets and lengths (see APPEND_SQL). */
function pack(list: readonly Uint8Array[]): { blob: Buffer; offsets: number[]; lengths: number[] } {
  const offsets: number[] = [];
  const lengths: number[] = [];
  let at = 1;
  for (const b of list) {
    offsets.push(at);
    lengths.push(b.length);
    at += b.length;
  }
  return { blob: Buffer.concat(list), offsets, lengths };
}

const buf = (b: Uint8Array): Buffer => (Buffer.isBuffer(b) ? b : Buffer.from(b.buffer, b.byteOffset, b.byteLength));
const bytes = (b: Buffer): Uint8Array => new Uint8Array(b.buffer, b.byteOffset, b.byteLength);

export class PgLogStore implements LogStore {
  readonly location: string;
  readonly schema: string;
  private readonly pool: pg.Pool;
  private readonly readonly: boolean;

  private constructor(o: PgStoreOptions, pool: pg.Pool) {
    this.pool = pool;
    this.schema = o.schema;
    this.readonly = o.readonly ?? false;
    this.location = `${redactUrl(o.url)} (schema ${o.schema})`;
  }

  /** Connects, and brings the schema to this code's version (or refuses a newer one). */
  static async open(o: PgStoreOptions): Promise<PgLogStore> {
    const pool = openPool(o.url, o.schema, o.connections);
    const store = new PgLogStore(o, pool);
    try {
      const c = await pool.connect();
      try {
        if (o.readonly) await checkReadable(c, o.schema, store.location);
        else await migrate(c, o.schema, store.location);
      } finally {
        c.release();
      }
    } catch (e) {
      await pool.end();
      throw e;
    }
    return store;
  }

  /** Keys and tokens of the deployment, in the same schema. */
  secrets(): PgSecrets {
    return new PgSecrets(this.pool, this.location);
  }

  private assertWritable(): void {
    if (this.readonly) throw new Error(`${this.location} is open read-only`);
  }

  /** Runs `fn` in one transaction on one connection. */
  private async tx<T>(fn: (c: pg.PoolClient) => Promise<T>, begin = 'BEGIN'): Promise<T> {
    const c = await this.pool.connect();
    try {
      await c.query(begin);
      const r = await fn(c);
      await c.query('COMMIT');
      return r;
    } catch (e) {
      await c.query('ROLLBACK').catch(() => undefined);
      throw e;
    } finally {
      c.release();
    }
  }

  async load(): Promise<StoreSnapshot> {
    // One snapshot: the size and the checkpoint from the same instant.
    return this.tx(async (c) => {
      const meta = Object.fromEntries((await c.query<{ key: string; value: string }>('SELECT key, value FROM meta')).rows.map((r) => [r.key, r.value]));
      const size = (await c.query<{ size: number }>('SELECT size FROM sequencer WHERE one = 1')).rows[0].size;
      const cp = (await c.query<StoredCheckpoint>('SELECT size, issued_at AS "issuedAt", note FROM checkpoint WHERE one = 1')).rows[0];
      return {
        size,
        meta: meta.origin !== undefined && meta.logKey !== undefined ? { origin: meta.origin, logKey: meta.logKey } : undefined,
        checkpoint: cp && { size: cp.size, issuedAt: cp.issuedAt, note: cp.note },
      };
    }, 'BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
  }

  async init(meta: LogMeta): Promise<void> {
    this.assertWritable();
    await this.tx(async (c) => {
      await c.query('INSERT INTO meta (key, value) VALUES ($1, $2), ($3, $4)', ['origin', meta.origin, 'logKey', meta.logKey]);
    });
  }

  async append(batch: AppendBatch): Promise<void> {
    this.assertWritable();
    // Content sealed whole goes in the same transaction (durable no later than the entries
    // naming it, and one COMMIT, one WAL flush, per batch); a digest names one content, so
    // a repeat is dropped here and an already stored one is left as it is.
    const loose = [...new Map((batch.loose ?? []).map((r) => [r.digest, r])).values()];
    const n = batch.entries.length;
    // A tile named twice in a batch: the newest write wins (ON CONFLICT may touch a row once).
    const tiles = [...new Map(batch.tiles.map((t) => [t.id, t.data])).entries()];
    const sealed = batch.sealed ?? [];
    const entries = pack(batch.entries);
    const ids = idsPacked(batch.statementIds, this.location);
    const tileData = pack(tiles.map(([, d]) => d));
    const salts = pack(sealed.map((s) => s.salt));
    const contents = pack(sealed.map((s) => s.content));
    const looseSalts = pack(loose.map((r) => r.salt));
    const looseContents = pack(loose.map((r) => r.content));
    let applied: boolean;
    try {
      // Named: each pooled connection parses and plans it once, not once per batch.
      const r = await this.pool.query<{ ok: number }>({
        name: 'detente_append',
        text: APPEND_SQL,
        values: [
          batch.first,
          n,
          entries.blob,
          entries.offsets,
          entries.lengths,
          ids,
          tiles.map(([id]) => id),
          tileData.blob,
          tileData.offsets,
          tileData.lengths,
          sealed.map((s) => s.entry),
          sealed.map((s) => s.n),
          sealed.map((s) => s.digest),
          salts.blob,
          salts.offsets,
          salts.lengths,
          contents.blob,
          contents.offsets,
          contents.lengths,
          loose.map((r) => r.digest),
          looseSalts.blob,
          looseSalts.offsets,
          looseSalts.lengths,
          looseContents.blob,
          looseContents.offsets,
          looseContents.lengths,
        ],
      });
      applied = r.rows[0].ok === 1;
    } catch (e) {
      const err = e as { code?: string; constraint?: string };
      if (err.code === UNIQUE_VIOLATION && err.constraint === 'statements_pkey')
        throw new DuplicateStatementError(`${this.location}: a statement in the batch is already stored`);
      throw e;
    }
    if (!applied) {
      const size = (await this.pool.query<{ size: number }>('SELECT size FROM sequencer WHERE one = 1')).rows[0].size;
      throw new Error(`${this.location}: batch starts at ${batch.first} but the log holds ${size} entries (another writer?)`);
    }
  }

  async readTiles(ids: readonly number[]): Promise<Array<Uint8Array | undefined>> {
    if (ids.length === 0) return [];
    const rows = (await this.pool.query<{ id: number; data: Buffer }>('SELECT id, data FROM tiles WHERE id = ANY($1::bigint[])', [ids])).rows;
    const byId = new Map(rows.map((r) => [r.id, bytes(r.data)]));
    return ids.map((id) => byId.get(id));
  }

  async readEntries(from: number, to: number): Promise<Uint8Array[]> {
    const rows = (await this.pool.query<{ data: Buffer }>('SELECT data FROM entries WHERE idx >= $1 AND idx < $2 ORDER BY idx', [from, to])).rows;
    if (rows.length !== Math.max(0, to - from)) throw new Error(`${this.location}: entries ${from}..${to - 1} are not all stored`);
    return rows.map((r) => bytes(r.data));
  }

  async findStatements(ids: readonly Uint8Array[]): Promise<Array<number | undefined>> {
    if (ids.length === 0) return [];
    const hex = ids.map((id) => buf(id).toString('hex'));
    // uuid's text form has dashes; without them it is the id's hex again.
    const rows = (
      await this.pool.query<{ id: string; idx: number }>("SELECT replace(id::text, '-', '') AS id, idx FROM statements WHERE id = ANY($1::uuid[])", [hex])
    ).rows;
    const byId = new Map(rows.map((r) => [r.id, r.idx]));
    return hex.map((h) => byId.get(h));
  }

  async saveCheckpoint(cp: StoredCheckpoint): Promise<void> {
    this.assertWritable();
    await this.tx(async (c) => {
      // A first checkpoint has no row to lock: the insert's conflict serialises two of those.
      const current = (await c.query<{ size: number }>('SELECT size FROM checkpoint WHERE one = 1 FOR UPDATE')).rows[0];
      if (current && cp.size < current.size) throw new Error(`${this.location}: a checkpoint for ${cp.size} entries would replace one for ${current.size}`);
      await c.query(
        `INSERT INTO checkpoint (one, size, issued_at, note) VALUES (1, $1, $2, $3)
         ON CONFLICT (one) DO UPDATE SET size = excluded.size, issued_at = excluded.issued_at, note = excluded.note`,
        [cp.size, cp.issuedAt, cp.note],
      );
    });
  }

  async putSealed(digest: string, record: SealedRecord): Promise<void> {
    await this.putSealedMany([{ digest, ...record }]);
  }

  async putSealedMany(records: ReadonlyArray<SealedRecord & { digest: string }>): Promise<void> {
    this.assertWritable();
    if (records.length === 0) return;
    // Same digest means same salt and content (it is their hash): a repeat is a no-op.
    await this.pool.query(
      'INSERT INTO sealed (digest, salt, content) SELECT * FROM unnest($1::text[], $2::bytea[], $3::bytea[]) ON CONFLICT (digest) DO NOTHING',
      [records.map((r) => r.digest), records.map((r) => buf(r.salt)), records.map((r) => buf(r.content))],
    );
  }

  async getSealed(digest: string): Promise<SealedRecord | undefined> {
    const row = (await this.pool.query<{ salt: Buffer; content: Buffer }>('SELECT salt, content FROM sealed WHERE digest = $1', [digest])).rows[0];
    return row && { salt: bytes(row.salt), content: bytes(row.content) };
  }

  async listSealed(after: string | undefined, limit: number): Promise<Array<SealedRecord & { digest: string }>> {
    const rows = (
      await this.pool.query<{ digest: string; salt: Buffer; content: Buffer }>(
        'SELECT digest, salt, content FROM sealed WHERE digest > $1 ORDER BY digest LIMIT $2',
        [after ?? '', limit],
      )
    ).rows;
    return rows.map((r) => ({ digest: r.digest, salt: bytes(r.salt), content: bytes(r.content) }));
  }

  async getSealedAt(entry: number, n: number): Promise<SealedItem | undefined> {
    const row = (
      await this.pool.query<{ digest: string; salt: Buffer; content: Buffer }>('SELECT digest, salt, content FROM sealed_items WHERE entry = $1 AND n = $2', [
        entry,
        n,
      ])
    ).rows[0];
    return row && { entry, n, digest: row.digest, salt: bytes(row.salt), content: bytes(row.content) };
  }

  async listSealedItems(fromEntry: number, limit: number): Promise<SealedItem[]> {
    const rows = (
      await this.pool.query<{ entry: number; n: number; digest: string; salt: Buffer; content: Buffer }>(
        'SELECT entry, n, digest, salt, content FROM sealed_items WHERE entry >= $1 ORDER BY entry, n LIMIT $2',
        [fromEntry, limit],
      )
    ).rows;
    return rows.map((r) => ({ entry: r.entry, n: r.n, digest: r.digest, salt: bytes(r.salt), content: bytes(r.content) }));
  }

  async putAttachment(sha256: string, type: string, data: AsyncIterable<Uint8Array>, maxBytes: number): Promise<void> {
    this.assertWritable();
    if (!isSha256(sha256)) throw new Error(`${this.location}: "${sha256}" is not a SHA-256`);
    const seen = { bytes: 0 };
    const chunks = checkedChunks(sha256, data, maxBytes, seen);
    // Parts go in as they stream, in one transaction that commits only once the hash is
    // the one named (the generator throws otherwise, and the transaction rolls back).
    try {
      await this.tx(async (c) => {
        const have = await c.query('SELECT 1 FROM attachments WHERE sha256 = $1', [sha256]);
        let seq = 0;
        for await (const chunk of chunks)
          if (have.rowCount === 0) await c.query('INSERT INTO attachment_parts (sha256, seq, data) VALUES ($1, $2, $3)', [sha256, seq++, buf(chunk)]);
        if (have.rowCount === 0) await c.query('INSERT INTO attachments (sha256, type, bytes) VALUES ($1, $2, $3)', [sha256, type, seen.bytes]);
      });
    } catch (e) {
      // Another upload of the same bytes committed first: they are stored, which is all a repeat asks.
      if ((e as { code?: string }).code === '23505') return;
      throw e;
    }
  }

  async getAttachment(sha256: string): Promise<StoredAttachment | undefined> {
    if (!isSha256(sha256)) return undefined;
    const row = (await this.pool.query<{ type: string; bytes: string }>('SELECT type, bytes FROM attachments WHERE sha256 = $1', [sha256])).rows[0];
    if (!row) return undefined;
    const pool = this.pool;
    return {
      type: row.type,
      bytes: Number(row.bytes),
      // A part at a time, so a download holds one part, not the attachment.
      async *data() {
        for (let seq = 0; ; seq++) {
          const part = (await pool.query<{ data: Buffer }>('SELECT data FROM attachment_parts WHERE sha256 = $1 AND seq = $2', [sha256, seq])).rows[0];
          if (!part) return;
          yield bytes(part.data);
        }
      },
    };
  }

  async close(): Promise<void> {
    await this.pool.end();
  }
}

export function openPgStore(o: PgStoreOptions): Promise<PgLogStore> {
  return PgLogStore.open(o);
}
