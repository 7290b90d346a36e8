// Sealed content (spec/record.md): confidential content stays off the log. The entry's
// body holds { sealed: hex SHA-256(salt || content) }; content and salt are stored apart,
// readable only by those allowed. Disclosing both later proves what was sealed. The
// random 32-byte salt stops anyone confirming a guess of short content against the hash.

import { createHash, randomBytes } from 'node:crypto';
import { utf8 } from './encoding.ts';
import { RecordError } from './errors.ts';

export const SALT_BYTES = 32;

export interface SealedContent {
  /** hex SHA-256(salt || content): what the statement body carries */
  sealed: string;
  salt: Uint8Array;
  content: Uint8Array;
}

function bytesOf(content: Uint8Array | string): Uint8Array {
  return typeof content === 'string' ? utf8(content) : content;
}

export function sealedDigest(salt: Uint8Array, content: Uint8Array | string): string {
  return createHash('sha256').update(salt).update(bytesOf(content)).digest('hex');
}

/** Seals content with a fresh random salt (or the given one). */
export function seal(content: Uint8Array | string, salt: Uint8Array = randomBytes(SALT_BYTES)): SealedContent {
  if (salt.length < 16) throw new RecordError('invalid', 'a salt must have at least 16 bytes');
  const bytes = bytesOf(content);
  return { sealed: sealedDigest(salt, bytes), salt: new Uint8Array(salt), content: bytes };
}

/** True when content and salt are what the sealed hash commits to. */
export function verifyDisclosure(sealed: string, content: Uint8Array | string, salt: Uint8Array): boolean {
  return /^[0-9a-f]{64}$/.test(sealed) && sealedDigest(salt, content) === sealed;
}

/** The sealed hash in a statement body, if the body is a sealed one. */
export function sealedOf(body: unknown): string | undefined {
  if (typeof body !== 'object' || body === null) return undefined;
  const s = (body as { sealed?: unknown }).sealed;
  return typeof s === 'string' && /^[0-9a-f]{64}$/.test(s) ? s : undefined;
}
