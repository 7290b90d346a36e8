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
}

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
  /** Forgets rows with seq > `after` (they are derived again by the replay that follows). */
  truncateFindings(after: number): void;
  /** Notes where sealed reports sit (rewritten as they are applied again on replay). */
  putSealedAt(rows: readonly SealedAt[]): void;
  /** Where the sealed report with this commitment sits, if one does. */
  sealedAt(digest: string): { entry: number; n: number } | undefined;
  close(): void;
}
