// Checks entries as they arrive, in index order, the way `detente verify` checks a
// bundle (record/bundle.ts): each entry's form, its author's signature, the genesis's
// endorsements, and that the key it is signed with is valid for its author at its index
// (the key book, followed through the entries). What does not depend on the order —
// parsing, the canonical form, the signature, the leaf hash — runs on the entry-check
// workers (entry-check.ts, one per core); what stays here is the key book.

import { judgeGenesis } from '../record/genesis.ts';
import { ARRANGEMENT, type KeyBook, step } from '../record/key-book.ts';
import type { JsonObject } from '../record/canonical.ts';
import { parseEntry } from '../record/statement.ts';
import { type CheckedEntries, verdictOf } from './entry-check.ts';
import type { EntryChecker } from './entry-check-pool.ts';
import type { DiscrepancyKind } from './discrepancy.ts';

export interface VerifiedEntries {
  entries: Uint8Array[];
  leaves: Uint8Array[];
  /** record/log.ts's statement id of each entry */
  ids: Uint8Array[];
  /** the authors, in order */
  authors: string[];
  /** the sealed commitments each entry names */
  commitments: string[][];
}

export interface EntryFailure {
  kind: Extract<DiscrepancyKind, 'bad-entry' | 'bad-signature' | 'key-refused' | 'genesis'>;
  index: number;
  detail: string;
}

export function noEntries(): VerifiedEntries {
  return { entries: [], leaves: [], ids: [], authors: [], commitments: [] };
}

/**
 * Verifies entries `first`…: returns those that hold, up to the first that does not, and
 * that failure. The key book moves past every entry returned, and no further.
 */
export async function verifyEntries(
  pool: EntryChecker,
  book: KeyBook,
  first: number,
  list: readonly Uint8Array[],
): Promise<{ ok: VerifiedEntries; failure?: EntryFailure }> {
  return judgeEntries(book, first, list, await pool.check(list));
}

/**
 * The order-dependent half of verifyEntries, over the workers' verdicts: batches checked
 * concurrently must be judged one after another, in index order, since each moves the
 * key book the next is judged by.
 */
export function judgeEntries(
  book: KeyBook,
  first: number,
  list: readonly Uint8Array[],
  checked: CheckedEntries,
): { ok: VerifiedEntries; failure?: EntryFailure } {
  const ok = noEntries();
  let failure: EntryFailure | undefined;
  for (let i = 0; i < list.length; i++) {
    const index = first + i;
    const v = verdictOf(checked, i);
    if (!v.ok) {
      failure = { kind: v.kind, index, detail: v.detail };
      break;
    }
    if (index === 0) {
      if (v.type !== ARRANGEMENT) book.beginLegacy();
      else {
        const g = judgeGenesis(parseEntry(list[i]));
        if (g.keyed && g.gaps.length > 0) {
          failure = { kind: 'genesis', index, detail: g.gaps.join('; ') };
          break;
        }
      }
    }
    const refused = step(book, v.author, v.key, v.type, (v.body ?? {}) as JsonObject, index);
    if (refused !== undefined) {
      failure = { kind: 'key-refused', index, detail: refused.replace(/^entry \d+: /, '') };
      break;
    }
    ok.entries.push(list[i]);
    ok.leaves.push(checked.leaves.subarray(32 * i, 32 * i + 32));
    ok.ids.push(checked.ids.subarray(16 * i, 16 * i + 16));
    ok.authors.push(v.author);
    ok.commitments.push(v.commitments);
  }
  return { ok, failure };
}
