// A store in memory, with the same contract as the SQLite one: for tests that need
// many logs quickly, and as the smallest example of what a store must do.

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
import { checkedChunks, isSha256 } from './attachment-bytes.ts';

export class MemoryStore implements LogStore {
  readonly location = 'memory';
  private meta: LogMeta | undefined;
  private checkpoint: StoredCheckpoint | undefined;
  private readonly entries: Uint8Array[] = [];
  private readonly tiles = new Map<number, Uint8Array>();
  private readonly statements = new Map<string, number>();
  private readonly sealed = new Map<string, SealedRecord>();
  private readonly attachments = new Map<string, { type: string; bytes: number; chunks: Uint8Array[] }>();
  /** item openings by entry, each entry's list by n */
  private readonly items = new Map<number, Map<number, SealedItem>>();

  async load(): Promise<StoreSnapshot> {
    return { size: this.entries.length, meta: this.meta, checkpoint: this.checkpoint };
  }

  async init(meta: LogMeta): Promise<void> {
    this.meta = { ...meta };
  }

  async append(batch: AppendBatch): Promise<void> {
    if (batch.first !== this.entries.length) throw new Error(`memory store: batch starts at ${batch.first} but the log holds ${this.entries.length} entries`);
    const ids = batch.statementIds.map((id) => Buffer.from(id).toString('hex'));
    if (ids.some((id) => this.statements.has(id)) || new Set(ids).size !== ids.length)
      throw new DuplicateStatementError('memory store: a statement in the batch is already stored');
    for (const r of batch.loose ?? []) await this.putSealed(r.digest, r);
    // Openings left by a batch that never committed give way to the entries now at their place.
    for (let e = batch.first; e < batch.first + batch.entries.length; e++) this.items.delete(e);
    for (const it of batch.sealed ?? []) {
      let m = this.items.get(it.entry);
      if (!m) this.items.set(it.entry, (m = new Map()));
      m.set(it.n, { entry: it.entry, n: it.n, digest: it.digest, salt: it.salt.slice(), content: it.content.slice() });
    }
    batch.entries.forEach((e, i) => {
      this.entries.push(e.slice());
      this.statements.set(ids[i], batch.first + i);
    });
    for (const t of batch.tiles) this.tiles.set(t.id, t.data.slice());
  }

  async readTiles(ids: readonly number[]): Promise<Array<Uint8Array | undefined>> {
    return ids.map((id) => this.tiles.get(id));
  }

  async readEntries(from: number, to: number): Promise<Uint8Array[]> {
    if (from < 0 || to > this.entries.length) throw new Error(`memory store: entries ${from}..${to - 1} are not all stored`);
    return this.entries.slice(from, to);
  }

  async findStatements(ids: readonly Uint8Array[]): Promise<Array<number | undefined>> {
    return ids.map((id) => this.statements.get(Buffer.from(id).toString('hex')));
  }

  async saveCheckpoint(cp: StoredCheckpoint): Promise<void> {
    if (this.checkpoint && cp.size < this.checkpoint.size)
      throw new Error(`memory store: a checkpoint for ${cp.size} entries would replace one for ${this.checkpoint.size}`);
    this.checkpoint = { ...cp };
  }

  async putSealed(digest: string, record: SealedRecord): Promise<void> {
    if (!this.sealed.has(digest)) this.sealed.set(digest, { salt: record.salt.slice(), content: record.content.slice() });
  }

  async getSealed(digest: string): Promise<SealedRecord | undefined> {
    return this.sealed.get(digest);
  }

  async listSealed(after: string | undefined, limit: number): Promise<Array<SealedRecord & { digest: string }>> {
    return [...this.sealed.keys()]
      .filter((d) => after === undefined || d > after)
      .sort()
      .slice(0, limit)
      .map((digest) => ({ digest, ...this.sealed.get(digest)! }));
  }

  async getSealedAt(entry: number, n: number): Promise<SealedItem | undefined> {
    return this.items.get(entry)?.get(n);
  }

  async listSealedItems(fromEntry: number, limit: number): Promise<SealedItem[]> {
    const out: SealedItem[] = [];
    for (const e of [...this.items.keys()].filter((e) => e >= fromEntry).sort((a, b) => a - b)) {
      for (const n of [...this.items.get(e)!.keys()].sort((a, b) => a - b)) {
        if (out.length === limit) return out;
        out.push(this.items.get(e)!.get(n)!);
      }
    }
    return out;
  }

  async putAttachment(sha256: string, type: string, data: AsyncIterable<Uint8Array>, maxBytes: number): Promise<void> {
    if (!isSha256(sha256)) throw new Error(`memory store: "${sha256}" is not a SHA-256`);
    const chunks: Uint8Array[] = [];
    const seen = { bytes: 0 };
    // The chunks are kept as they came (a copy each): the bytes are held once.
    for await (const c of checkedChunks(sha256, data, maxBytes, seen)) chunks.push(c.slice());
    if (!this.attachments.has(sha256)) this.attachments.set(sha256, { type, bytes: seen.bytes, chunks });
  }

  async getAttachment(sha256: string): Promise<StoredAttachment | undefined> {
    const a = this.attachments.get(sha256);
    if (!a) return undefined;
    return {
      type: a.type,
      bytes: a.bytes,
      async *data() {
        yield* a.chunks;
      },
    };
  }

  async close(): Promise<void> {}
}
