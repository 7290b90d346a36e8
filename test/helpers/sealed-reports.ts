// A reports statement as an author that signs its own sends it: every report sealed in
// the signed body (sealing what the policy would leave open is allowed), the openings
// beside it (POST …/statements `sealed`).
import { canonicalJson, type JsonObject } from '../../src/record/canonical.ts';
import { encodeBase64 } from '../../src/record/encoding.ts';
import type { Signer } from '../../src/record/keys.ts';
import { seal } from '../../src/record/sealed.ts';
import { type SignedStatement, signStatement } from '../../src/record/statement.ts';

export type SealedSigned = SignedStatement & { sealed: { salt: string; content: string }[] };

export function signSealed(signer: Signer, input: { type: 'report' | 'reports'; arrangement: string; body: JsonObject; time?: string }): SealedSigned {
  const reports = input.type === 'report' ? [input.body] : ((input.body as { reports: JsonObject[] }).reports ?? []);
  const seals = reports.map((r) => seal(canonicalJson(r)));
  const body: JsonObject = input.type === 'report' ? { sealed: seals[0].sealed } : { reports: seals.map((s) => ({ sealed: s.sealed })) };
  const signed = signStatement(signer, { ...input, body });
  return { ...signed, sealed: seals.map((s) => ({ salt: encodeBase64(s.salt), content: Buffer.from(s.content).toString('utf8') })) };
}
