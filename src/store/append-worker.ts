// The SQLite store's appends, written by a thread of their own. A batch is durable only
// once fsync'd, twice (sealed.db, then log.db); better-sqlite3 waits for that on the
// thread that calls it, so on the main thread every group commit stopped the server
// from reading, checking and signing the next requests for as long as the disk took.
// Here the main thread goes on while this thread writes; the log still awaits each
// batch before the next, so the order of writes and the crash rule (sealed.db commits
// before log.db: no entry outlives its openings) are what they were.
//
// The worker is plain CommonJS run from a string (no loader of this process, so it
// starts in milliseconds); the SQL it runs is the store's own (sqlite.ts passes it in).
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import type { AppendBatch } from '../record/log-store.ts';
import { SpareBuffers } from '../lib/spare-buffers.ts';

/** What the worker is told when it starts. */
export interface AppendSql {
  /** better-sqlite3's entry module */
  driver: string;
  logPath: string;
  sealedPath: string;
  /** the pragmas each connection opens with */
  pragmas: string[];
  size: string;
  /** inserts a batch's entries from one blob (@bytes) and their spans (@spans, JSON: start·65536 + length each), numbered from @first */
  entries: string;
  /** inserts their statement ids from one blob of 16 bytes each (@ids), numbered from @first, one per span of @spans */
  statements: string;
  tile: string;
  putLoose: string;
  clearItems: string;
  putItem: string;
  itemSpan: number;
}

/** A failed batch as the worker reports it: SQLite's code (if any) and message. */
export class AppendFailed extends Error {
  constructor(
    message: string,
    readonly code: string | undefined,
  ) {
    super(message);
  }
}

const WORKER = `
const { parentPort, workerData: sql } = require('node:worker_threads');
const Database = require(sql.driver);
function open(path) {
  const db = new Database(path);
  for (const p of sql.pragmas) db.pragma(p);
  return db;
}
const db = open(sql.logPath);
const size = db.prepare(sql.size).pluck();
const entries = db.prepare(sql.entries);
const statements = db.prepare(sql.statements);
const tile = db.prepare(sql.tile);
const append = db.transaction((b) => {
  const n = size.get();
  if (n !== b.first) throw new Error(sql.logPath + ': batch starts at ' + b.first + ' but the log holds ' + n + ' entries (another writer?)');
  if (b.count > 0) {
    // Moved here as Uint8Arrays; better-sqlite3 binds Buffers.
    const bytes = Buffer.from(b.bytes.buffer, b.bytes.byteOffset, b.bytes.byteLength);
    const ids = Buffer.from(b.ids.buffer, b.ids.byteOffset, b.ids.byteLength);
    entries.run({ first: b.first, bytes, spans: b.spans });
    statements.run({ first: b.first, ids, spans: b.spans });
  }
  for (const t of b.tiles) tile.run(t.id, t.data);
});
let sealed;
function sealedWrites() {
  if (sealed) return sealed;
  const s = open(sql.sealedPath);
  const put = s.prepare(sql.putLoose);
  const clear = s.prepare(sql.clearItems);
  const item = s.prepare(sql.putItem);
  const span = sql.itemSpan;
  sealed = {
    db: s,
    clear,
    write: s.transaction((b) => {
      for (const r of b.loose || []) put.run(r.digest, r.salt, r.content);
      if (!b.sealed || !b.sealed.length) return;
      clear.run(b.first * span, (b.first + b.count) * span);
      for (const it of b.sealed) {
        if (!(it.n >= 0 && it.n < span)) throw new Error(sql.logPath + ': item ' + it.n + ' of entry ' + it.entry + ' is out of range');
        item.run(it.entry * span + it.n, Buffer.from(it.digest, 'hex'), it.salt, it.content);
      }
    }),
  };
  return sealed;
}
parentPort.on('message', (m) => {
  if (m.close) {
    if (sealed) sealed.db.close();
    db.close();
    parentPort.postMessage({ closed: true });
    return;
  }
  const b = m.batch;
  try {
    if ((b.sealed && b.sealed.length) || (b.loose && b.loose.length)) sealedWrites().write(b);
    try {
      append(b);
    } catch (e) {
      // The batch's openings go with it (a crash just here leaves them to the next batch at their places).
      if (b.sealed && b.sealed.length) sealedWrites().clear.run(b.first * sql.itemSpan, (b.first + b.count) * sql.itemSpan);
      throw e;
    }
    parentPort.postMessage({ id: m.id, spare: [b.bytes.buffer, b.ids.buffer] }, [b.bytes.buffer, b.ids.buffer]);
  } catch (e) {
    parentPort.postMessage({ id: m.id, error: { message: e.message, code: e.code } });
  }
});
`;

/** A statement id's length (record/log.ts's statementId). */
const ID_BYTES = 16;

/**
 * The batch as the thread takes it: the entries in one blob with their spans, the ids in
 * another. SQLite splits them in one statement each (sqlite.ts's SQL over json_each),
 * where a statement run per entry and per id cost the thread about a third more (measured
 * on 200,000 entries of 450 bytes). The two blobs are buffers of their own, moved to the
 * thread rather than copied, and moved back once written to be filled again: writing
 * megabytes into fresh memory costs more in page faults than in copying on this
 * project's machine (lib/spare-buffers.ts).
 */
function packBatch(batch: AppendBatch, spares: SpareBuffers): { message: object; transfer: ArrayBuffer[] } {
  const { entries, statementIds, ...rest } = batch;
  if (statementIds.length !== entries.length) throw new Error(`a batch of ${entries.length} entries has ${statementIds.length} statement ids`);
  const spans: number[] = new Array(entries.length);
  let total = 0;
  for (let i = 0; i < entries.length; i++) {
    if (statementIds[i].length !== ID_BYTES) throw new Error(`statement id ${i} of the batch is ${statementIds[i].length} bytes, not ${ID_BYTES}`);
    // A span holds a length of at most 65,535 bytes (the record's limit on an entry).
    if (entries[i].length > 65_535) throw new Error(`entry ${i} of the batch is ${entries[i].length} bytes; the limit is 65,535`);
    spans[i] = total * 65536 + entries[i].length;
    total += entries[i].length;
  }
  // SQLite's substr of a zero-length blob is NULL, not an empty blob: a batch of empty
  // entries (only tests write those) is cut from one byte instead.
  const bytes = spares.take(Math.max(1, total));
  const ids = spares.take(ID_BYTES * statementIds.length);
  for (let i = 0, at = 0; i < entries.length; at += entries[i].length, i++) {
    bytes.set(entries[i], at);
    ids.set(statementIds[i], ID_BYTES * i);
  }
  return {
    message: { ...rest, count: entries.length, bytes, ids, spans: JSON.stringify(spans) },
    transfer: [bytes.buffer as ArrayBuffer, ids.buffer as ArrayBuffer],
  };
}

export const BETTER_SQLITE3 = createRequire(import.meta.url).resolve('better-sqlite3');

export class AppendWorker {
  private readonly worker: Worker;
  private readonly inFlight = new Map<number, { resolve: () => void; reject: (e: Error) => void }>();
  private nextId = 0;
  private failure: Error | undefined;
  private closing: Promise<void> | undefined;
  /** the buffers of batches written, sent back by the thread to be filled again */
  private readonly spares = new SpareBuffers();

  constructor(sql: AppendSql) {
    // No flags of this process (a loader, --input-type): the worker is plain CommonJS.
    this.worker = new Worker(WORKER, { eval: true, execArgv: [], workerData: sql });
    this.worker.on('message', (m: { id?: number; error?: { message: string; code?: string }; closed?: boolean; spare?: ArrayBuffer[] }) => {
      if (m.spare) this.spares.keep(m.spare);
      if (m.id === undefined) return;
      const p = this.inFlight.get(m.id);
      if (!p) return;
      this.inFlight.delete(m.id);
      if (this.inFlight.size === 0) this.worker.unref();
      if (m.error) p.reject(new AppendFailed(m.error.message, m.error.code));
      else p.resolve();
    });
    const fail = (e: Error) => {
      this.failure ??= e;
      for (const p of this.inFlight.values()) p.reject(e);
      this.inFlight.clear();
    };
    this.worker.on('error', fail);
    this.worker.on('exit', (code) => fail(new Error(`the store's writer thread stopped (exit ${code})`)));
    // Idle, it does not keep the process alive; with a batch in flight it does.
    this.worker.unref();
  }

  /** Writes a batch as the store's append() does; resolves once both files hold it durably. */
  append(batch: AppendBatch): Promise<void> {
    if (this.failure) return Promise.reject(this.failure);
    if (this.closing) return Promise.reject(new Error("the store's writer thread is closed"));
    let packed: ReturnType<typeof packBatch>;
    try {
      packed = packBatch(batch, this.spares);
    } catch (e) {
      return Promise.reject(e);
    }
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.inFlight.set(id, { resolve, reject });
      if (this.inFlight.size === 1) this.worker.ref();
      this.worker.postMessage({ id, batch: packed.message }, packed.transfer);
    });
  }

  /** Closes the worker's connections (after the batches in flight) and stops it. */
  close(): Promise<void> {
    this.closing ??= (async () => {
      if (!this.failure) {
        this.worker.ref();
        await new Promise<void>((resolve) => {
          this.worker.on('message', (m: { closed?: boolean }) => m.closed && resolve());
          this.worker.once('exit', () => resolve());
          this.worker.postMessage({ close: true });
        });
      }
      await this.worker.terminate();
    })();
    return this.closing;
  }
}
