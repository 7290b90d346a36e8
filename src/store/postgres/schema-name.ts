// One PostgreSQL schema per log. Why not one set of tables keyed by a log id: every
// primary key stays a single small integer (the entries' and tiles' B-trees are as
// compact as SQLite's), one arrangement's record can be dumped, restored, dropped or
// granted to a role on its own (need-to-know reaches the database's own permissions),
// and the sequencing row and advisory locks are per log by construction. A deployment
// runs a handful of arrangements, not thousands, so the number of schemas stays small.

import { createHash } from 'node:crypto';

/** PostgreSQL truncates identifiers at 63 bytes. */
const MAX_IDENT = 63;

/**
 * The schema of an arrangement's log: `detente_<id>`, lower-cased, characters other than
 * [a-z0-9_] replaced, and a short hash of the id appended whenever that changed anything,
 * so two ids never share a schema.
 */
export function schemaFor(arrangementId: string): string {
  const plain = arrangementId.toLowerCase().replace(/[^a-z0-9_]/g, '_');
  const base = `detente_${plain}`;
  if (plain === arrangementId && base.length <= MAX_IDENT) return base;
  const hash = createHash('sha256').update(arrangementId).digest('hex').slice(0, 8);
  return `${base.slice(0, MAX_IDENT - 9)}_${hash}`;
}
