// A statement signed in the page exactly as the record signs one (src/record/statement.ts
// signStatement): the Ed25519 signature over the statement's RFC 8785 canonical bytes,
// as base64, with the author's verifier key. The record's verifyStatement accepts it.
// Separate from signStatement only because WebCrypto signs asynchronously.
import type { JsonObject } from '../../../src/record/canonical.ts';
import { canonicalBytes } from '../../../src/record/canonical.ts';
import { encodeBase64 } from '../../../src/record/encoding.ts';
import { checkStatement, type SignedStatement, type Statement } from '../../../src/record/statement.ts';
import type { DeviceKey } from './device-key.ts';

export interface StatementInput {
  type: string;
  arrangement: string;
  body: JsonObject;
  /** the author's claim of when; defaults to now */
  time?: string;
}

/** Signs a statement the page built. */
export function signInPage(key: DeviceKey, input: StatementInput): Promise<SignedStatement> {
  return signPrepared(key, {
    v: 1,
    type: input.type,
    author: key.actor,
    time: input.time ?? new Date().toISOString(),
    arrangement: input.arrangement,
    body: input.body,
  });
}

/** Signs a statement as it is (one the server prepared), after checking its form and that it is this key's actor's. */
export async function signPrepared(key: DeviceKey, value: unknown): Promise<SignedStatement> {
  const statement: Statement = checkStatement(value);
  if (statement.author !== key.actor) throw new Error(`the statement is ${statement.author}'s, not ${key.actor}'s: not signed`);
  const sig = encodeBase64(await key.sign(canonicalBytes(statement)));
  return { statement, sig, key: key.vkey };
}
