// The follower's copy of the record, kept in the very layout the server keeps its own
// (store/sqlite.ts under DIR/record/<arrangement>/), so that `detente export` and
// `detente verify` work on a follower's directory as on the server's. The follower holds
// no log key: it writes the entries, their statement ids and the full tiles itself,
// and stores the server's signed checkpoint once the entries it covers hash to its root.

import { EMPTY_ROOT, leafHash } from '../record/merkle.ts';
import { openTileBases } from '../record/log.ts';
import type { LogMeta } from '../record/log-store.ts';
import { foldNodes, rangeNodes } from '../record/proofs.ts';
import { hashAt, locate, TileWriter } from '../record/tiles.ts';
import { type SqliteStore, openSqliteStore } from '../store/sqlite.ts';

export class MirrorError extends Error {}

const MIRROR_PAGE_SIZE = 65536;

export class Mirror {
  private writer: TileWriter;
  private count: number;

  private constructor(
    private readonly store: SqliteStore,
    readonly meta: LogMeta | undefined,
    size: number,
    writer: TileWriter,
    /** the checkpoint the mirror holds (what `detente export` will write) */
    public checkpoint: { size: number; note: string } | undefined,
  ) {
    this.count = size;
    this.writer = writer;
  }

  /** Opens (or creates) the mirror in `dir`; an existing one must be of `meta`'s log. */
  static async open(dir: string, meta: LogMeta): Promise<Mirror> {
    // The mirror only ever appends in large batches: large pages (see SqliteOptions).
    const store = await openSqliteStore(dir, { pageSize: MIRROR_PAGE_SIZE });
    try {
      const snap = await store.load();
      if (!snap.meta) {
        if (snap.size > 0) throw new MirrorError(`${store.location} holds entries but no log identity`);
        await store.init(meta);
      } else if (snap.meta.origin !== meta.origin || snap.meta.logKey !== meta.logKey) {
        throw new MirrorError(`${store.location} mirrors ${snap.meta.origin} under ${snap.meta.logKey}, not ${meta.origin} under ${meta.logKey}`);
      }
      const writer = new TileWriter(snap.size, await openTileBases(store, snap.size));
      return new Mirror(store, meta, snap.size, writer, snap.checkpoint && { size: snap.checkpoint.size, note: snap.checkpoint.note });
    } catch (e) {
      await store.close();
      throw e;
    }
  }

  /** Entries durably mirrored. */
  get size(): number {
    return this.count;
  }

  /** The root of the mirrored tree, from the open tiles alone (the right edge is always there). */
  root(): Uint8Array {
    if (this.count === 0) return EMPTY_ROOT;
    return foldNodes(
      rangeNodes({ lo: 0, hi: this.count }).map((n) => {
        const at = locate(n.level, n.index);
        const tile = this.writer.openTile(at.tileLevel, at.tileIndex);
        if (!tile) throw new MirrorError(`node ${n.level}/${n.index} is not in an open tile`);
        return hashAt(tile, at.pos);
      }),
    ).slice();
  }

  /**
   * Appends entries whose signatures have been checked, with their leaf hashes and
   * statement ids (record/log.ts's statementId), in one durable transaction.
   * On failure the tree in memory is rebuilt from the store, which stays the truth.
   */
  async append(entries: readonly Uint8Array[], leaves: readonly Uint8Array[], ids: readonly Uint8Array[]): Promise<void> {
    if (entries.length === 0) return;
    const first = this.count;
    for (const l of leaves) this.writer.addLeaf(l);
    try {
      await this.store.append({ first, entries: [...entries], statementIds: [...ids], tiles: this.writer.takeFinished() });
    } catch (e) {
      this.writer = new TileWriter(first, await openTileBases(this.store, first));
      throw e;
    }
    this.count = first + entries.length;
  }

  /** Stores the server's checkpoint note as the mirror's (its entries must hash to its root: the caller checked). */
  async saveCheckpoint(size: number, note: string, issuedAt = Date.now()): Promise<void> {
    await this.store.saveCheckpoint({ size, issuedAt, note });
    this.checkpoint = { size, note };
  }

  entries(from: number, to: number): Promise<Uint8Array[]> {
    return this.store.readEntries(from, to);
  }

  async leafHashes(from: number, to: number): Promise<Uint8Array[]> {
    return (await this.store.readEntries(from, to)).map(leafHash);
  }

  /** Sealed content with its salt, as the server keeps it (checked against its commitment by the caller). */
  putSealed(digest: string, salt: Uint8Array, content: Uint8Array): Promise<void> {
    return this.store.putSealed(digest, { salt, content });
  }

  close(): Promise<void> {
    return this.store.close();
  }
}
