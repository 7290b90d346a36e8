// Checks entries as they arrive, in index order, the way `detente verify` checks a
// bundle (record/bundle.ts): each entry's form, its author's signature, the genesis's
// endorsements, and that the key it is signed with is valid for its author at its index
// (the key book, followed through the entries). The curve arithmetic goes to the verify
// pool (one worker per core); what stays here is parsing, hashing and the key book.

import { judgeGenesis } from '../record/genesis.ts';
import { ARRANGEMENT, type KeyBook, step } from '../record/key-book.ts';
import { parseVerifierKey } from '../record/keys.ts';
import { leafHash } from '../record/merkle.ts';
import { type Entry, type EntryFacts, factsOf, parseEntry, verifyStatement } from '../record/statement.ts';
import type { VerifyPool } from '../record/verify-pool.ts';
import { decodeBase64 } from '../record/encoding.ts';
import type { DiscrepancyKind } from './discrepancy.ts';

export interface VerifiedEntries {
  entries: Uint8Array[];
  leaves: Uint8Array[];
  facts: EntryFacts[];
  parsed: Entry[];
}

export interface EntryFailure {
  kind: Extract<DiscrepancyKind, 'bad-entry' | 'bad-signature' | 'key-refused' | 'genesis'>;
  index: number;
  detail: string;
}

const STATEMENT_KEY = Buffer.from(',"statement":');

/**
 * A canonical entry's keys sort custodial, endorsements, key, received, sig, statement:
 * the statement comes last, so its canonical bytes (what the author signed) are the
 * entry's bytes from after `"statement":` to the closing brace. parseEntry has checked
 * the entry is canonical, and a `"statement":` earlier would need an unescaped quote
 * inside a string, so the first one is the key. This spares re-serialising each statement.
 */
function signedBytes(bytes: Uint8Array): Uint8Array {
  const b = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const at = b.indexOf(STATEMENT_KEY);
  return bytes.subarray(at + STATEMENT_KEY.length, bytes.length - 1);
}

/**
 * Verifies entries `first`…: returns those that hold, up to the first that does not, and
 * that failure. The key book moves past every entry returned (and, on a failure, past
 * some after it: the follower stops following then).
 */
export async function verifyEntries(
  pool: VerifyPool,
  book: KeyBook,
  first: number,
  list: readonly Uint8Array[],
): Promise<{ ok: VerifiedEntries; failure?: EntryFailure }> {
  const parsed: Entry[] = [];
  const verdicts: Promise<boolean>[] = [];
  let failure: EntryFailure | undefined;
  for (let i = 0; i < list.length; i++) {
    const index = first + i;
    let entry: Entry;
    try {
      entry = parseEntry(list[i]);
      const { author, type, body } = entry.statement;
      const verifier = parseVerifierKey(entry.key);
      if (verifier.name !== author) throw new Error(`key is named "${verifier.name}", not after the author "${author}"`);
      if (entry.endorsements) verifyStatement(entry); // the genesis alone carries them: checked here, whole
      if (index === 0) {
        if (type !== ARRANGEMENT) book.beginLegacy();
        else {
          const g = judgeGenesis(entry);
          if (g.keyed && g.gaps.length > 0) {
            failure = { kind: 'genesis', index, detail: g.gaps.join('; ') };
            break;
          }
        }
      }
      const refused = step(book, author, entry.key, type, body, index);
      if (refused !== undefined) {
        failure = { kind: 'key-refused', index, detail: refused.replace(/^entry \d+: /, '') };
        break;
      }
      verdicts.push(pool.verify(signedBytes(list[i]), decodeBase64(entry.sig, 'sig'), verifier.publicKey));
    } catch (e) {
      const msg = (e as Error).message;
      failure = { kind: /signature|endorsement/.test(msg) ? 'bad-signature' : 'bad-entry', index, detail: msg };
      break;
    }
    parsed.push(entry);
  }
  const ok = await Promise.all(verdicts);
  const bad = ok.indexOf(false);
  const good = bad < 0 ? parsed.length : bad;
  if (bad >= 0) {
    const e = parsed[bad];
    failure = { kind: 'bad-signature', index: first + bad, detail: `signature does not verify under ${e.statement.author}'s key ${e.key}` };
  }
  const entries = list.slice(0, good);
  return {
    ok: { entries, leaves: entries.map(leafHash), facts: parsed.slice(0, good).map(factsOf), parsed: parsed.slice(0, good) },
    failure,
  };
}
