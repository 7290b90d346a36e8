// Sealed content (spec/record.md): confidential content stays off the log. The entry's
// body holds { sealed: hex SHA-256(salt || content) }; content and salt are stored apart,
// readable only by those allowed. Disclosing both later proves what was sealed. The
// random 32-byte salt stops anyone confirming a guess of short content against the hash.

import { createHash, hash, randomBytes, randomFillSync } from 'node:crypto';
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

// Salts for small draws come from a pool filled by one call to the system's CSPRNG: a
// report posted alone would otherwise cost a randomBytes call of its own. Each pool byte
// is handed out once.
const POOL_BYTES = 64 * SALT_BYTES;
let pool = Buffer.alloc(0);
let poolAt = 0;

function drawSalts(into: Buffer, offsets: readonly number[]): void {
  if (offsets.length * SALT_BYTES > POOL_BYTES / 4) {
    const fresh = randomBytes(offsets.length * SALT_BYTES);
    offsets.forEach((o, i) => fresh.copy(into, o, i * SALT_BYTES, (i + 1) * SALT_BYTES));
    return;
  }
  for (const o of offsets) {
    if (poolAt + SALT_BYTES > pool.length) {
      pool = randomFillSync(Buffer.allocUnsafe(POOL_BYTES));
      poolAt = 0;
    }
    pool.copy(into, o, poolAt, poolAt + SALT_BYTES);
    pool.fill(0, poolAt, poolAt + SALT_BYTES);
    poolAt += SALT_BYTES;
  }
}

/**
 * Seals several texts, each with its own fresh salt, as seal() would one by one, at a
 * fraction of the cost: each salt is laid down in one buffer just before its content, so
 * that SHA-256(salt || content) is one hash of one slice, and the salts come from one
 * draw. The results' salt and content are views of that buffer.
 */
export function sealAll(texts: readonly string[]): SealedContent[] {
  let total = 0;
  const offsets = texts.map((t) => {
    const at = total;
    total += SALT_BYTES + Buffer.byteLength(t);
    return at;
  });
  const buf = Buffer.allocUnsafeSlow(total);
  drawSalts(buf, offsets);
  return texts.map((t, i) => {
    const at = offsets[i];
    const end = i + 1 < offsets.length ? offsets[i + 1] : total;
    buf.write(t, at + SALT_BYTES, 'utf8');
    return { sealed: hash('sha256', buf.subarray(at, end), 'hex'), salt: buf.subarray(at, at + SALT_BYTES), content: buf.subarray(at + SALT_BYTES, end) };
  });
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
