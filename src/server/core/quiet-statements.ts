// Quiet talks statements (spec/record.md "Quiet talks statements"): where a party asks,
// its talks statement is not on the public record at all. The record holds a `talks.quiet`
// entry signed by the log whose body is one commitment `{ sealed }` to the author's whole
// signed statement — `{ statement, sig, key }`, author and type included — stored apart
// like a sealed report. Readers learn only that an entry exists and when the log received
// it; those the policy lets read the content (the mediator and the author) check the
// opening against the commitment and the author's signature inside it.
import { canonicalJson, type JsonObject } from '../../record/canonical.ts';
import type { Signer } from '../../record/keys.ts';
import { type SealedContent, seal } from '../../record/sealed.ts';
import type { SignedStatement, Statement } from '../../record/statement.ts';
import { signedEntry } from './signed-entry.ts';

/** The statement type of a quiet entry: it names no talks event type, only that the talks wrote it. */
export const TALKS_QUIET = 'talks.quiet';

export interface QuietEntry {
  bytes: Uint8Array;
  /** the log's statement, as the record holds it */
  statement: Statement;
  /** the opened content, as replay reads it back from the sealed store */
  opened: JsonObject;
  seal: SealedContent;
}

/** The log's entry committing to the author's signed statement. */
export function quietEntry(log: Signer, inner: SignedStatement): QuietEntry {
  const opened = { statement: inner.statement, sig: inner.sig, key: inner.key } as unknown as JsonObject;
  const s = seal(canonicalJson(opened));
  const { bytes, statement } = signedEntry(log, {
    type: TALKS_QUIET,
    arrangement: inner.statement.arrangement,
    body: { sealed: s.sealed },
    time: inner.statement.time,
  });
  return { bytes, statement, opened, seal: s };
}

/** The author's statement inside an opened quiet entry. */
export function innerStatement(opened: JsonObject): Statement {
  const st = (opened as unknown as { statement?: Statement }).statement;
  if (!st || typeof st !== 'object' || typeof st.type !== 'string' || typeof st.author !== 'string')
    throw new Error('a talks.quiet entry opens to something other than a signed statement');
  return st;
}
