// The derived-state store (derived.ts) in SQLite: DIR/record/<arrangement>/state.db.
// synchronous=NORMAL: a crash may lose the newest rows, never corrupt the file, and
// everything lost is derived again from the record on the next start.
import Database from 'better-sqlite3';
import { join } from 'node:path';
import type { DerivedStore, FindingRow, SealedAt, StoredSnapshot } from './derived.ts';

export const STATE_DB = 'state.db';

const SCHEMA = `
CREATE TABLE IF NOT EXISTS snapshots (size INTEGER PRIMARY KEY, json TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS findings (seq INTEGER PRIMARY KEY, json TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS sealed_at (digest BLOB PRIMARY KEY, entry INTEGER NOT NULL, n INTEGER NOT NULL) WITHOUT ROWID;
`;

export function openDerivedStore(dir: string): DerivedStore {
  const db = new Database(join(dir, STATE_DB));
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.exec(SCHEMA);
  const latest = db.prepare<[], StoredSnapshot>('SELECT size, json FROM snapshots ORDER BY size DESC LIMIT 1');
  const put = db.prepare<[number, string]>('INSERT OR REPLACE INTO snapshots (size, json) VALUES (?, ?)');
  const prune = db.prepare<[number]>(
    'DELETE FROM snapshots WHERE size < (SELECT MIN(size) FROM (SELECT size FROM snapshots WHERE size <= ? ORDER BY size DESC LIMIT 2))',
  );
  const add = db.prepare<[number, string]>('INSERT OR REPLACE INTO findings (seq, json) VALUES (?, ?)');
  const after = db.prepare<[number, number], FindingRow>('SELECT seq, json FROM findings WHERE seq > ? ORDER BY seq LIMIT ?');
  const cut = db.prepare<[number]>('DELETE FROM findings WHERE seq > ?');
  const addAll = db.transaction((rows: FindingRow[]) => {
    for (const r of rows) add.run(r.seq, r.json);
  });
  const putSnapshot = db.transaction((s: StoredSnapshot) => {
    put.run(s.size, s.json);
    prune.run(s.size);
  });
  // The digest as its 32 bytes: half the index of its hex text.
  const at = db.prepare<[Buffer, number, number]>('INSERT OR REPLACE INTO sealed_at (digest, entry, n) VALUES (?, ?, ?)');
  const where = db.prepare<[Buffer], { entry: number; n: number }>('SELECT entry, n FROM sealed_at WHERE digest = ?');
  const putAt = db.transaction((rows: readonly SealedAt[]) => {
    for (const r of rows) at.run(Buffer.from(r.digest, 'hex'), r.entry, r.n);
  });
  return {
    putSealedAt: (rows) => putAt(rows),
    sealedAt: (digest) => where.get(Buffer.from(digest, 'hex')),
    latestSnapshot: () => latest.get(),
    putSnapshot: (s) => putSnapshot(s),
    appendFindings: (rows) => addAll(rows),
    findingsAfter: (seq, limit) => after.all(seq, limit),
    truncateFindings: (seq) => void cut.run(seq),
    close: () => db.close(),
  };
}
