// The witnesses the arrangement names, for the page to demand a quorum of their
// cosignatures. The arrangement view carries them (`witnesses`); a server that does not
// say is asked for the record's genesis entry (the arrangement document, signed by the
// log). That entry's inclusion under a verified checkpoint is not proven here (it cannot
// be before the witnesses are known); an actor the record's entries are closed to learns
// no witnesses from it (null).
import type { Witnesses } from '../../../src/arrangement/types.ts';
import { verifyEntry } from '../../../src/record/statement.ts';
import type { Api } from '../api/client.ts';
import type { WitnessPolicy } from './judge-checkpoint.ts';

export function policyOf(w: Witnesses | undefined): WitnessPolicy | undefined {
  if (!w || !Array.isArray(w.keys) || w.keys.length === 0) return undefined;
  return { quorum: w.quorum, keys: w.keys.map((k) => k.key) };
}

/** The witness policy, undefined when the arrangement names none, null when it cannot be learnt. */
export async function witnessPolicy(api: Api, base: string, view: { witnesses?: Witnesses }): Promise<WitnessPolicy | undefined | null> {
  if (view.witnesses) return policyOf(view.witnesses);
  try {
    const got = await api.json<{ entries: string[] }>(`${base}/record/entries?from=0&to=1`);
    if (got.entries.length === 0) return null;
    const entry = verifyEntry(new TextEncoder().encode(got.entries[0]));
    if (entry.statement.type !== 'arrangement') return null;
    const doc = (entry.statement.body as { document?: { witnesses?: Witnesses } }).document;
    // A genesis without the document (too large to carry) says nothing either way.
    if (!doc) return null;
    return policyOf(doc.witnesses);
  } catch {
    return null;
  }
}
