// Attachments a report names by SHA-256 (docs/evidence.md "Attachments"): uploaded apart
// as raw bytes, stored in the log's store beside sealed content, and fetched only by a
// reader who reads in full a report naming them; everyone else gets the 404 an unknown
// hash gets. Served as a download, never inline: the API is not a place to render
// uploaded bytes (a PDF or an image crafted to run in the API's origin).
import { Readable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { AttachmentRefused } from '../../record/log-store.ts';
import { allow } from '../allow.ts';
import { BadRequest, HttpError, NotFound } from '../errors.ts';
import { ATTACHMENT_TYPES, AttachmentParams, MAX_ATTACHMENT_BYTES } from '../schemas.ts';

const TAG = ['monitoring'];

const Stored = z.object({ sha256: z.string(), type: z.string(), bytes: z.number() });

export async function attachmentsRoutes(app: FastifyInstance): Promise<void> {
  // The body is the bytes, passed on as a stream: the store hashes them as they come.
  app.addContentTypeParser([...ATTACHMENT_TYPES], (_req, payload, done) => done(null, payload));
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.put(
    '/api/arrangements/:id/attachments/:sha256',
    {
      bodyLimit: MAX_ATTACHMENT_BYTES,
      schema: {
        tags: TAG,
        summary: `upload an attachment a report names (or will name) by SHA-256: the body is the bytes, Content-Type their media type (${ATTACHMENT_TYPES.join(', ')}); 400 naming sha256 when they hash otherwise, 413 past ${MAX_ATTACHMENT_BYTES} bytes; uploading the same bytes again changes nothing`,
        params: AttachmentParams,
        response: { 201: Stored },
      },
    },
    async (req, reply) => {
      allow(req, 'report');
      const type = (req.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
      // A type not listed never reaches here (fastify answers 415); the check keeps the list the one place.
      if (!(ATTACHMENT_TYPES as readonly string[]).includes(type))
        throw new BadRequest(`Content-Type "${type}" is not an attachment type`, [{ path: 'content-type', message: 'not allowed' }]);
      const declared = Number(req.headers['content-length']);
      if (Number.isFinite(declared) && declared > MAX_ATTACHMENT_BYTES)
        throw new HttpError(413, `an attachment is at most ${MAX_ATTACHMENT_BYTES} bytes`, [{ path: 'body', message: 'too large' }]);
      const body = req.body as AsyncIterable<Uint8Array>;
      const seen = { bytes: 0 };
      const counted = (async function* () {
        for await (const c of body) {
          seen.bytes += c.length;
          yield c;
        }
      })();
      try {
        await req.deployment.putAttachment(req.params.sha256, type, counted, MAX_ATTACHMENT_BYTES);
      } catch (e) {
        if (!(e instanceof AttachmentRefused)) throw e;
        // The rest of the body is not read: the connection is closed after the reply.
        reply.header('connection', 'close');
        if (e.why === 'too-large') throw new HttpError(413, e.message, [{ path: 'body', message: 'too large' }]);
        throw new BadRequest(`the bytes do not hash to ${req.params.sha256}: ${e.message}`, [
          { path: 'params.sha256', message: 'not the SHA-256 of the body' },
        ]);
      }
      return reply.code(201).send({ sha256: req.params.sha256, type, bytes: seen.bytes });
    },
  );

  r.get(
    '/api/arrangements/:id/attachments/:sha256',
    {
      schema: {
        tags: TAG,
        summary:
          'an attachment, as a download (Content-Disposition: attachment; X-Content-Type-Options: nosniff), for a reader who reads in full a report naming it; 404 alike for an unknown hash, bytes not uploaded yet, and a reader the disclosure policy does not give it',
        params: AttachmentParams,
      },
    },
    async (req, reply) => {
      const reader = allow(req, 'read-record');
      const a = await req.deployment.attachmentFor(reader, req.params.sha256);
      if (!a) throw new NotFound(`no attachment ${req.params.sha256} for ${reader.id}`, 'params.sha256');
      reply
        .header('content-type', a.type)
        .header('content-length', String(a.bytes))
        .header('x-content-type-options', 'nosniff')
        .header('content-disposition', `attachment; filename="${req.params.sha256}"`)
        .header('cache-control', 'private, no-store');
      return reply.send(Readable.from(a.data()));
    },
  );
}
