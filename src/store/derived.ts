// Derived state kept on disk beside a record: snapshots of what the server derives
// from the record (so a restart replays only what came after the newest one), and
// the history of finding transitions (so memory holds the posture and open findings,
// not everything that ever happened). All of it can be rebuilt from the record: it
// is written without waiting for fsync, and a snapshot says how far it reaches.

export interface StoredSnapshot {
  /** the record's size (entries applied) the snapshot was taken at */
  size: number;
  /** the snapshot, as JSON text */
  json: string;
}

export interface FindingRow {
  seq: number;
  /** the row as JSON text (the server's booked finding) */
  json: string;
  /** the row pre-rendered for the CSV export (absent: the export renders it from `json`) */
  csv?: FindingCsv;
}

/**
 * A finding transition as the CSV export writes it, rendered when the transition is
 * stored so that an export reads text instead of parsing JSON. Opaque to the store.
 */
export interface FindingCsv {
  /** the renderer's version (its column list's): a row of another version is rendered again from `json` */
  v: number;
  /** what the policy needs to decide who reads the row (equal text, equal decision) */
  who: string;
  /** the CSV record, CRLF included, its `report` cell filled */
  line: string;
  /** where the `report` cell's text is in `line`, [from, to), when it has one */
  report?: readonly [number, number];
  /** a cell would read differently under the spreadsheet formula guard */
  guard: boolean;
}

/**
 * A row as the CSV export reads it: [seq, who, line, report from, report to, json]. `json`
 * is null where the pre-rendered line serves (its version is the one asked for, and no
 * cell needs the spreadsheet guard when that is asked for), the JSON text otherwise.
 */
export type FindingCsvRow = [seq: number, who: string | null, line: string | null, from: number | null, to: number | null, json: string | null];

/** Where a sealed report sits in the record: the entry, and its position in the entry's `reports` (0 for a lone report). */
export interface SealedAt {
  digest: string;
  entry: number;
  n: number;
}

export interface DerivedStore {
  latestSnapshot(): StoredSnapshot | undefined;
  /** Keeps this snapshot and the one before it; older ones go. */
  putSnapshot(s: StoredSnapshot): void;
  appendFindings(rows: FindingRow[]): void;
  /** Rows with seq > `after`, in order, at most `limit`. */
  findingsAfter(after: number, limit: number): FindingRow[];
  /** As findingsAfter, for the CSV export: pre-rendered lines of version `v` where they serve (FindingCsvRow). */
  findingCsvAfter(after: number, limit: number, v: number, spreadsheet: boolean): FindingCsvRow[];
  /** Forgets rows with seq > `after` (they are derived again by the replay that follows). */
  truncateFindings(after: number): void;
  /** Notes where sealed reports sit (rewritten as they are applied again on replay). */
  putSealedAt(rows: readonly SealedAt[]): void;
  /** Where the sealed report with this commitment sits, if one does. */
  sealedAt(digest: string): { entry: number; n: number } | undefined;
  close(): void;
}
