// The derived-state store (derived.ts) in SQLite: DIR/record/<arrangement>/state.db.
// synchronous=NORMAL: a crash may lose the newest rows, never corrupt the file, and
// everything lost is derived again from the record on the next start.
import Database from 'better-sqlite3';
import { join } from 'node:path';
import type { DerivedStore, FindingCsvRow, FindingRow, SealedAt, StoredSnapshot } from './derived.ts';

export const STATE_DB = 'state.db';

// The CSV export's pre-rendered record beside the JSON (FindingCsv), null where none was written.
const CSV_COLUMNS = ['csv_v INTEGER', 'csv_who TEXT', 'csv TEXT', 'csv_from INTEGER', 'csv_to INTEGER', 'csv_guard INTEGER'];

const SCHEMA = `
CREATE TABLE IF NOT EXISTS snapshots (size INTEGER PRIMARY KEY, json TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS findings (seq INTEGER PRIMARY KEY, json TEXT NOT NULL, ${CSV_COLUMNS.join(', ')});
CREATE TABLE IF NOT EXISTS sealed_at (digest BLOB PRIMARY KEY, entry INTEGER NOT NULL, n INTEGER NOT NULL) WITHOUT ROWID;
`;

export function openDerivedStore(dir: string): DerivedStore {
  const db = new Database(join(dir, STATE_DB));
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.exec(SCHEMA);
  addCsvColumns(db);
  const latest = db.prepare<[], StoredSnapshot>('SELECT size, json FROM snapshots ORDER BY size DESC LIMIT 1');
  const put = db.prepare<[number, string]>('INSERT OR REPLACE INTO snapshots (size, json) VALUES (?, ?)');
  const prune = db.prepare<[number]>(
    'DELETE FROM snapshots WHERE size < (SELECT MIN(size) FROM (SELECT size FROM snapshots WHERE size <= ? ORDER BY size DESC LIMIT 2))',
  );
  const add = db.prepare<[number, string, number | null, string | null, string | null, number | null, number | null, number | null]>(
    'INSERT OR REPLACE INTO findings (seq, json, csv_v, csv_who, csv, csv_from, csv_to, csv_guard) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
  );
  const after = db.prepare<[number, number], FindingRow>('SELECT seq, json FROM findings WHERE seq > ? ORDER BY seq LIMIT ?');
  // Arrays, not objects (raw), and the JSON only where the line does not serve: an export reads no more than it writes.
  const csvAfter = db
    .prepare<[number, number, number, number]>(
      'SELECT seq, csv_who, csv, csv_from, csv_to, CASE WHEN csv_v = ? AND (? = 0 OR csv_guard = 0) THEN NULL ELSE json END FROM findings WHERE seq > ? ORDER BY seq LIMIT ?',
    )
    .raw();
  const cut = db.prepare<[number]>('DELETE FROM findings WHERE seq > ?');
  const addAll = db.transaction((rows: FindingRow[]) => {
    for (const { seq, json, csv } of rows) {
      if (!csv) add.run(seq, json, null, null, null, null, null, null);
      else add.run(seq, json, csv.v, csv.who, csv.line, csv.report?.[0] ?? null, csv.report?.[1] ?? null, csv.guard ? 1 : 0);
    }
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
    findingCsvAfter: (seq, limit, v, spreadsheet) => csvAfter.all(v, spreadsheet ? 1 : 0, seq, limit) as FindingCsvRow[],
    truncateFindings: (seq) => void cut.run(seq),
    close: () => db.close(),
  };
}

/**
 * A state.db written before the CSV columns existed gets them, empty: its rows are
 * exported from their JSON (as every row of another renderer version is), and rows
 * stored from now on carry their line. Nothing is rebuilt.
 */
function addCsvColumns(db: Database.Database): void {
  const has = new Set((db.prepare('PRAGMA table_info(findings)').all() as { name: string }[]).map((c) => c.name));
  for (const c of CSV_COLUMNS) if (!has.has(c.split(' ')[0])) db.exec(`ALTER TABLE findings ADD COLUMN ${c}`);
}
