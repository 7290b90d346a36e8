// A statement the server signs (as the log, or for an actor whose key it holds) and the
// entry around it. The signed statement is the one the handlers are given, so the
// statement is built once, by the record's own signStatement.
import type { Signer } from '../../record/keys.ts';
import { makeEntry, type Statement, type StatementInput, signStatement } from '../../record/statement.ts';

export function signedEntry(signer: Signer, input: StatementInput, custodial = false): { bytes: Uint8Array; statement: Statement } {
  const signed = signStatement(signer, input);
  return { bytes: makeEntry(signed, new Date(), custodial), statement: signed.statement };
}
