// A statement a client signs over a sealed body (a dispute, a resolution): the body is
// only its commitment `{ sealed }`, and the opening (canonical JSON and salt) travels
// beside it in `sealed[0]`. The server checks the opening against the commitment and
// the content against the statement's schema before anything is written, so a client
// cannot commit to content the server would not have written itself.
import type { z } from 'zod';
import { canonicalJson } from '../../record/canonical.ts';
import { decodeBase64 } from '../../record/encoding.ts';
import { sealedOf, verifyDisclosure } from '../../record/sealed.ts';
import type { SignedStatement } from '../../record/statement.ts';
import { BadRequest } from '../errors.ts';

export interface OpenedBody<T> {
  /** the commitment, as in the body */
  hash: string;
  /** the canonical JSON the commitment opens to, and its salt */
  content: string;
  salt: Uint8Array;
  data: T;
}

/** `what` names the statement in messages ("a dispute", "a resolution"); `shape` the content's fields, for the message. */
export function openSealedBody<T>(
  signed: SignedStatement,
  opening: { salt: string; content: string } | undefined,
  schema: z.ZodType<T>,
  what: string,
  shape: string,
): OpenedBody<T> {
  const hash = sealedOf(signed.statement.body);
  if (hash === undefined || Object.keys(signed.statement.body).length !== 1)
    throw new BadRequest(`${what}’s body is only its commitment { "sealed" }`, [{ path: 'statement.body', message: 'expected { sealed }' }]);
  if (!opening) throw new BadRequest(`${what} travels with its opening in sealed[0]`, [{ path: 'sealed', message: 'missing' }]);
  let salt: Uint8Array;
  try {
    salt = decodeBase64(opening.salt, 'salt');
  } catch {
    throw new BadRequest('sealed[0].salt is not base64', [{ path: 'sealed[0].salt', message: 'not base64' }]);
  }
  if (salt.length < 16 || !verifyDisclosure(hash, opening.content, salt))
    throw new BadRequest(`sealed[0] does not open ${what}’s commitment`, [{ path: 'sealed[0]', message: 'does not open statement.body.sealed' }]);
  let parsed: unknown;
  try {
    parsed = JSON.parse(opening.content);
  } catch {
    parsed = undefined;
  }
  const d = schema.safeParse(parsed);
  if (!d.success || canonicalJson(d.data) !== opening.content) {
    const issue = d.success ? undefined : d.error.issues[0];
    const path = ['sealed[0].content', ...(issue?.path ?? []).map(String)].join('.');
    throw new BadRequest(`sealed[0].content is not ${what}’s canonical JSON ${shape}`, [
      { path, message: issue ? issue.message : 'not in RFC 8785 canonical form' },
    ]);
  }
  return { hash, content: opening.content, salt, data: d.data };
}
