// What a follower found the server doing wrong, one JSON object per line in
// DIR/discrepancies.ndjson. Each names the first index concerned and, where entries
// differ, both leaf hashes (hex): the mirrored one (what the server served before, under
// a checkpoint it signed) and the served one (what it serves now). A divergence keeps
// both signed checkpoints: together they are the proof that the log forked.

import { closeSync, fsyncSync, openSync, writeSync } from 'node:fs';
import { join } from 'node:path';

export const DISCREPANCIES_FILE = 'discrepancies.ndjson';

export type DiscrepancyKind =
  /** the served log lacks the mirrored entry at index (the next mirrored entry moved up to it) */
  | 'entry-removed'
  /** the served log has an entry at index the mirror does not (the mirrored one moved down) */
  | 'entry-inserted'
  /** the entry at index differs, those around it do not */
  | 'entry-changed'
  /** the served log ends at index, before the mirrored one */
  | 'entries-truncated'
  /** from index on, the two logs have nothing in common */
  | 'fork'
  /** the served checkpoint does not extend the remembered one, but no entry differs (a bad proof or root) */
  | 'inconsistent'
  /** the served entries do not hash to the served checkpoint's root */
  | 'root-mismatch'
  | 'bad-checkpoint'
  /** a checkpoint served as witnessed without the quorum of cosignatures the genesis names */
  | 'witness-quorum'
  | 'log-key-changed'
  | 'bad-entry'
  | 'bad-signature'
  | 'key-refused'
  | 'genesis'
  | 'replay'
  /** sealed content whose hash is not its commitment */
  | 'bad-opening'
  /** what a check over the mirrored entries found (the engine's re-check, later) */
  | 'finding';

export interface Discrepancy {
  kind: DiscrepancyKind;
  index?: number;
  /** leaf hash (hex) of the mirrored entry at index */
  mirrored?: string | null;
  /** leaf hash (hex) of the served entry at index */
  served?: string | null;
  /** what differs, in words */
  detail: string;
  /** the fields that differ between the mirrored and the served entry: path → [mirrored, served] */
  changed?: Record<string, [unknown, unknown]>;
  /** the checkpoint the follower remembered (signed note) */
  remembered?: string;
  /** the checkpoint the server serves (signed note) */
  checkpoint?: string;
  /** the commitment concerned (bad-opening) */
  sealed?: string;
  /** when the follower found it */
  at?: string;
}

/** Appends discrepancies to DIR/discrepancies.ndjson, durably (fsync) before returning. */
export function recordDiscrepancies(dir: string, list: readonly Discrepancy[], now = new Date()): void {
  if (list.length === 0) return;
  const text = list.map((d) => `${JSON.stringify({ ...d, at: d.at ?? now.toISOString() })}\n`).join('');
  const fd = openSync(join(dir, DISCREPANCIES_FILE), 'a', 0o644);
  try {
    writeSync(fd, text);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/** One line per discrepancy, for a person reading the follower's output. */
export function describe(d: Discrepancy): string {
  const at = d.index === undefined ? '' : ` at entry ${d.index}`;
  const hashes = d.mirrored !== undefined || d.served !== undefined ? ` (mirrored ${d.mirrored ?? '-'}, served ${d.served ?? '-'})` : '';
  return `${d.kind}${at}: ${d.detail}${hashes}`;
}

/** The paths at which two JSON values differ (at most `limit`), with both values. */
export function jsonDiff(a: unknown, b: unknown, limit = 20, path = '$', out: Record<string, [unknown, unknown]> = {}): Record<string, [unknown, unknown]> {
  if (Object.keys(out).length >= limit) return out;
  const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null;
  if (isObj(a) && isObj(b) && Array.isArray(a) === Array.isArray(b)) {
    const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
    for (const k of [...keys].sort()) {
      const p = Array.isArray(a) ? `${path}[${k}]` : `${path}.${k}`;
      if (!(k in a) || !(k in b)) out[p] = [a[k], b[k]];
      else jsonDiff(a[k], b[k], limit, p, out);
      if (Object.keys(out).length >= limit) break;
    }
    return out;
  }
  if (JSON.stringify(a) !== JSON.stringify(b)) out[path] = [a, b];
  return out;
}
