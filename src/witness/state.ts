// A witness's durable state: for each log origin, the latest checkpoint it cosigned
// (size, root hash, the note as submitted).
//
// Kept in SQLite (better-sqlite3, as src/store) in WAL mode with synchronous=FULL: a
// commit is durable once the WAL is fsync'd, one fsync per commit, where a file written
// beside and renamed would cost two (file and directory) per log per update. Updates for
// different logs that arrive while a commit is under way go into the next transaction
// together (group commit), so ten busy logs cost little more disk than one.
//
// The check of `old` against the stored size and the update are one atomic step: each
// origin has a queue (serial()), and a request holds its origin's place in it from the
// check until its update is committed, so no other request for that log can read the
// size in between. Different origins do not wait for each other. The database is opened
// in exclusive locking mode, so a second witness process on the same directory is
// refused instead of keeping a cache that silently disagrees with ours; the UPDATE also
// names the size it replaces, a last guard against rolling a log back.

import Database from 'better-sqlite3';
import { join } from 'node:path';

export const STATE_DB = 'state.db';
const MAX_REFUSED_PER_LOG = 1000;

export interface LogState {
  size: number;
  root: Uint8Array;
  /** the signed checkpoint note this state came from */
  note: string;
}

interface Pending {
  origin: string;
  expected: number;
  next: LogState;
  resolve: () => void;
  reject: (e: Error) => void;
}

export class StateInUseError extends Error {}

export class WitnessState {
  private readonly db: Database.Database;
  private readonly cache = new Map<string, LogState>();
  private readonly queues = new Map<string, Promise<unknown>>();
  private pending: Pending[] = [];
  private scheduled = false;
  private closed = false;
  private readonly insert: Database.Statement;
  private readonly keepRefused: Database.Statement;
  private readonly countRefused: Database.Statement;
  private readonly update: Database.Statement;

  private constructor(db: Database.Database) {
    this.db = db;
    db.exec(`
      CREATE TABLE IF NOT EXISTS logs (origin TEXT PRIMARY KEY, size INTEGER NOT NULL, root BLOB NOT NULL, note TEXT NOT NULL);
      CREATE TABLE IF NOT EXISTS refused (origin TEXT NOT NULL, note TEXT NOT NULL, why TEXT NOT NULL, at INTEGER NOT NULL, PRIMARY KEY (origin, note));
    `);
    for (const row of db.prepare('SELECT origin, size, root, note FROM logs').all() as { origin: string; size: number; root: Buffer; note: string }[]) {
      this.cache.set(row.origin, { size: row.size, root: new Uint8Array(row.root), note: row.note });
    }
    this.insert = db.prepare('INSERT INTO logs (origin, size, root, note) VALUES (?, ?, ?, ?) ON CONFLICT (origin) DO NOTHING');
    this.update = db.prepare('UPDATE logs SET size = ?, root = ?, note = ? WHERE origin = ? AND size = ?');
    this.keepRefused = db.prepare('INSERT INTO refused (origin, note, why, at) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING');
    this.countRefused = db.prepare('SELECT count(*) AS n FROM refused WHERE origin = ?');
  }

  /** Opens (or creates) the state in `dir`; throws StateInUseError if another process holds it. */
  static open(dir: string): WitnessState {
    let db: Database.Database | undefined;
    try {
      db = new Database(join(dir, STATE_DB));
      db.pragma('busy_timeout = 0');
      db.pragma('locking_mode = EXCLUSIVE');
      db.pragma('journal_mode = WAL');
      db.pragma('synchronous = FULL');
      // Take the exclusive lock now, not at the first add-checkpoint.
      db.exec('BEGIN IMMEDIATE; COMMIT');
      return new WitnessState(db);
    } catch (e) {
      db?.close();
      if ((e as { code?: string }).code === 'SQLITE_BUSY') throw new StateInUseError(`${join(dir, STATE_DB)} is in use by another witness process`);
      throw e;
    }
  }

  /** The latest cosigned checkpoint for `origin`, if any. */
  get(origin: string): LogState | undefined {
    return this.cache.get(origin);
  }

  /** Runs `fn` after every earlier serial() call for the same origin has settled. */
  serial<T>(origin: string, fn: () => Promise<T>): Promise<T> {
    const before = this.queues.get(origin) ?? Promise.resolve();
    const run = before.then(fn, fn);
    const tail = run.then(
      () => undefined,
      () => undefined,
    );
    this.queues.set(origin, tail);
    void tail.then(() => {
      if (this.queues.get(origin) === tail) this.queues.delete(origin);
    });
    return run;
  }

  /**
   * Replaces the state of `origin`, which must still be at size `expected` (0 when it
   * has none), and resolves once that is on disk. Call it inside serial() for the origin.
   */
  put(origin: string, expected: number, next: LogState): Promise<void> {
    if (this.closed) return Promise.reject(new Error('witness state is closed'));
    return new Promise((resolve, reject) => {
      this.pending.push({ origin, expected, next: { ...next, root: next.root.slice() }, resolve, reject });
      if (!this.scheduled) {
        this.scheduled = true;
        setImmediate(() => this.flush());
      }
    });
  }

  private flush(): void {
    this.scheduled = false;
    const batch = this.pending;
    this.pending = [];
    if (batch.length === 0) return;
    try {
      this.db.transaction(() => {
        for (const p of batch) {
          const { size, root, note } = p.next;
          const changed =
            p.expected === 0 && !this.cache.has(p.origin)
              ? this.insert.run(p.origin, size, root, note).changes
              : this.update.run(size, root, note, p.origin, p.expected).changes;
          if (changed !== 1) throw new Error(`witness state for ${p.origin} is not at size ${p.expected}; refusing to overwrite it`);
        }
      })();
    } catch (e) {
      for (const p of batch) p.reject(e as Error);
      return;
    }
    for (const p of batch) {
      this.cache.set(p.origin, p.next);
      p.resolve();
    }
  }

  /**
   * Keeps a checkpoint the log signed but the witness refused (422: it does not extend
   * what was cosigned), as evidence for the parties: two signed checkpoints that cannot
   * both be true. Only the log's key can make them, but a bound keeps a broken log from
   * filling the disk.
   */
  keepRefusedCheckpoint(origin: string, note: string, why: string, time: number): void {
    if (this.closed) return;
    if ((this.countRefused.get(origin) as { n: number }).n >= MAX_REFUSED_PER_LOG) return;
    this.keepRefused.run(origin, note, why, time);
  }

  /** The refused checkpoints kept for `origin`, oldest first. */
  refusedCheckpoints(origin: string): { note: string; why: string; at: number }[] {
    return this.db.prepare('SELECT note, why, at FROM refused WHERE origin = ? ORDER BY rowid').all(origin) as { note: string; why: string; at: number }[];
  }

  /** Waits for queued updates, then closes the database. */
  async close(): Promise<void> {
    if (this.closed) return;
    await Promise.all([...this.queues.values()]);
    this.flush();
    this.closed = true;
    this.db.close();
  }
}
