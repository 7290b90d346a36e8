// The derived-state store (derived.ts) in memory, for a node with no data directory (a
// deployment on PostgreSQL without --data): everything in it is derived from the record,
// so a restart replays the record from the start instead of from a snapshot.
import type { DerivedStore, FindingCsvRow, FindingRow, StoredSnapshot } from './derived.ts';

export function memoryDerivedStore(): DerivedStore {
  const snapshots: StoredSnapshot[] = [];
  let findings: FindingRow[] = [];
  const sealedAt = new Map<string, { entry: number; n: number }>();
  return {
    latestSnapshot: () => snapshots[snapshots.length - 1],
    putSnapshot: (s) => {
      // Keeps this one and the one before it, as the SQLite store does.
      snapshots.push(s);
      snapshots.sort((a, b) => a.size - b.size);
      snapshots.splice(0, Math.max(0, snapshots.length - 2));
    },
    appendFindings: (rows) => {
      const bySeq = new Map(findings.map((r) => [r.seq, r]));
      for (const r of rows) bySeq.set(r.seq, r);
      findings = [...bySeq.values()].sort((a, b) => a.seq - b.seq);
    },
    findingsAfter: (after, limit) => findings.filter((r) => r.seq > after).slice(0, limit),
    findingCsvAfter: (after, limit, v, spreadsheet) =>
      findings
        .filter((r) => r.seq > after)
        .slice(0, limit)
        .map(({ seq, json, csv }): FindingCsvRow => {
          const serves = csv !== undefined && csv.v === v && !(spreadsheet && csv.guard);
          return [seq, csv?.who ?? null, csv?.line ?? null, csv?.report?.[0] ?? null, csv?.report?.[1] ?? null, serves ? null : json];
        }),
    truncateFindings: (after) => void (findings = findings.filter((r) => r.seq <= after)),
    putSealedAt: (rows) => {
      for (const r of rows) sealedAt.set(r.digest, { entry: r.entry, n: r.n });
    },
    sealedAt: (digest) => sealedAt.get(digest),
    close: () => undefined,
  };
}
