// A draft's sections (zones, lines, actors, rules, … of the arrangement itself) bind the
// parties as much as its clauses do: once announced, the engine runs on them. So they are
// something each party must accept, as a pseudo-clause with the reserved id `sections`.
// A stance on it binds the SHA-256 of the sections' canonical JSON, and it carries over to
// the next draft only when that hash is the same: nothing binds a party it did not accept.

import { createHash } from 'node:crypto';
import type { Draft, Json } from './types.ts';

/** The id the sections take among a draft's clauses; no clause may have it. */
export const SECTIONS_CLAUSE = 'sections';

/**
 * JSON with object keys sorted by UTF-16 code units and no whitespace: RFC 8785 for the
 * values the record holds (finite numbers, which JSON.stringify writes as RFC 8785 does).
 */
export function canonicalJson(v: Json): string {
  if (v === null || typeof v !== 'object') return JSON.stringify(v);
  if (Array.isArray(v)) return `[${v.map(canonicalJson).join(',')}]`;
  const keys = Object.keys(v).sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(v[k])}`).join(',')}}`;
}

/** What a stance on a draft's sections binds. */
export function sectionsHash(sections: Json): string {
  return createHash('sha256').update(canonicalJson(sections), 'utf8').digest('hex');
}

/** The ids every party must accept in a draft: its clauses, then `sections` when it sets any. */
export function agreementIds(draft: Draft): string[] {
  const ids = draft.clauses.map((c) => c.id);
  return draft.sections === null ? ids : [...ids, SECTIONS_CLAUSE];
}

/** Does the draft have `id` to take a stance on (a clause, or its sections)? */
export function hasAgreementId(draft: Draft, id: string): boolean {
  return agreementIds(draft).includes(id);
}
