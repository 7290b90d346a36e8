// Sending a body that is written as it is read: chunks pulled one at a time by the
// socket (Readable.from pulls only when the consumer reads), so a slow client holds back
// the source and a client that goes away stops it. A failure after the first byte can
// no longer be an error status: the response is cut off without its last chunk, which
// an HTTP client reports as an incomplete body, never as a complete short one.
import { Readable } from 'node:stream';
import type { FastifyReply } from 'fastify';

export function sendStream(reply: FastifyReply, contentType: string, chunks: AsyncIterable<string>, filename?: string): FastifyReply {
  reply.type(contentType);
  if (filename) reply.header('content-disposition', `attachment; filename="${filename}"`);
  // Computed as it goes: no length is known, and nothing in between should hold it.
  reply.header('cache-control', 'no-store');
  return reply.send(Readable.from(chunks, { objectMode: false, highWaterMark: 1 }));
}
