// What every store does with an attachment's bytes as they stream in: hash them, count
// them, and refuse (AttachmentRefused) bytes past the limit or bytes whose SHA-256 is not
// the one named, before anything is kept. Each store passes the chunks on to where it
// keeps them (a file, a table) and commits only once `done()` has passed.
import { createHash } from 'node:crypto';
import { AttachmentRefused } from '../record/log-store.ts';

export async function* checkedChunks(sha256: string, data: AsyncIterable<Uint8Array>, maxBytes: number, seen: { bytes: number }): AsyncGenerator<Uint8Array> {
  const h = createHash('sha256');
  for await (const chunk of data) {
    seen.bytes += chunk.length;
    if (seen.bytes > maxBytes) throw new AttachmentRefused('too-large', `the attachment is larger than ${maxBytes} bytes`);
    h.update(chunk);
    yield chunk;
  }
  const got = h.digest('hex');
  if (got !== sha256) throw new AttachmentRefused('mismatch', `the bytes' SHA-256 is ${got}, not ${sha256}`);
}

/** A SHA-256 as stores key attachments: 64 lower-case hex digits (anything else names no file or row). */
export const isSha256 = (s: string): boolean => /^[0-9a-f]{64}$/.test(s);
