// The opening of one sealed report item, kept with the batch that records its entry.
// This is the shape the record's AppendBatch.sealed takes (the planned interface change
// in src/record/log-store.ts); declared here until it lands so this store already
// stores and serves it, and structurally identical so the merge only deletes this file's use.

import type { AppendBatch } from '../../record/log-store.ts';

export interface SealedItem {
  /** the entry's index */
  entry: number;
  /** the item's position in the entry's reports (0 for a lone report) */
  n: number;
  digest: string;
  salt: Uint8Array;
  content: Uint8Array;
}

export type BatchWithSealed = AppendBatch & { sealed?: readonly SealedItem[] };
