// The record over HTTP (spec/record.md): the latest signed checkpoint, proofs as base64
// lists, entries (sealed content shows only its hash), and sealed content itself for
// those the policy lets read it, with its salt, so they can check it against the hash.
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { canSee } from '../../policy/policy.ts';
import { encodeBase64 } from '../../record/encoding.ts';
import { RecordError } from '../../record/errors.ts';
import { allow } from '../allow.ts';
import { BadRequest, Forbidden, NotFound } from '../errors.ts';
import { ArrangementParams, ConsistencyQuery, EntriesQuery, InclusionQuery, SealedParams } from '../schemas.ts';

const TAG = ['record'];
const MAX_ENTRIES = 1000;

function outOfRange(e: unknown): never {
  if (e instanceof RecordError && e.code === 'out-of-range') throw new BadRequest(e.message, [{ path: 'query', message: e.message }]);
  throw e;
}

export async function recordRoutes(app: FastifyInstance): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.get(
    '/api/arrangements/:id/record/checkpoint',
    { schema: { tags: TAG, summary: 'the latest signed checkpoint (text/plain, C2SP signed note)', params: ArrangementParams } },
    async (req, reply) => {
      const d = req.deployment;
      allow(req, 'read-record');
      return reply.type('text/plain; charset=utf-8').send(d.log.checkpoint());
    },
  );

  r.get(
    '/api/arrangements/:id/record/key',
    { schema: { tags: TAG, summary: "the log's verifier key (signed-note form), to check checkpoints", params: ArrangementParams } },
    async (req, reply) => {
      const d = req.deployment;
      allow(req, 'read-record');
      return reply.type('text/plain; charset=utf-8').send(d.log.verifierKey + '\n');
    },
  );

  r.get(
    '/api/arrangements/:id/record/proof/inclusion',
    { schema: { tags: TAG, summary: 'inclusion proof of entry index in the tree of size entries', params: ArrangementParams, querystring: InclusionQuery } },
    async (req) => {
      const d = req.deployment;
      allow(req, 'read-record');
      const { index, size } = req.query;
      const proof = await d.log.inclusionProof(index, size).catch(outOfRange);
      return { index, size, proof: proof.map(encodeBase64) };
    },
  );

  r.get(
    '/api/arrangements/:id/record/proof/consistency',
    {
      schema: {
        tags: TAG,
        summary: 'consistency proof from the tree of `from` entries to that of `to`',
        params: ArrangementParams,
        querystring: ConsistencyQuery,
      },
    },
    async (req) => {
      const d = req.deployment;
      allow(req, 'read-record');
      const { from, to } = req.query;
      const proof = await d.log.consistencyProof(from, to).catch(outOfRange);
      return { from, to, proof: proof.map(encodeBase64) };
    },
  );

  r.get(
    '/api/arrangements/:id/record/entries',
    {
      schema: {
        tags: TAG,
        summary: `entries [from, to), at most ${MAX_ENTRIES}; each as its exact bytes (UTF-8 JSON text)`,
        params: ArrangementParams,
        querystring: EntriesQuery,
      },
    },
    async (req) => {
      const d = req.deployment;
      const actor = allow(req, 'read-record');
      if (!canSee(actor, { kind: 'entry' })) throw new Forbidden('the record is not open to this actor');
      const size = d.log.size;
      const from = req.query.from;
      const to = Math.min(req.query.to ?? size, from + MAX_ENTRIES, size);
      if (from > size)
        throw new BadRequest(`from ${from} is past the end of the record (${size} entries)`, [{ path: 'query.from', message: `at most ${size}` }]);
      const entries = to > from ? await d.log.entries(from, to) : [];
      return { from, size, entries: entries.map((e) => Buffer.from(e).toString('utf8')) };
    },
  );

  r.get(
    '/api/arrangements/:id/record/sealed/:hash',
    { schema: { tags: TAG, summary: 'sealed content and its salt, for those allowed to read it', params: SealedParams } },
    async (req) => {
      const d = req.deployment;
      const actor = allow(req, 'read-record');
      const owner = d.sealedOwner(req.params.hash);
      // Not found and not allowed answer alike, so that probing reveals nothing.
      if (!owner || !canSee(actor, { kind: 'sealed', ...owner })) throw new NotFound(`no sealed content ${req.params.hash} readable by ${actor.id}`, 'hash');
      const s = await d.log.getSealed(req.params.hash);
      if (!s) throw new NotFound(`no sealed content ${req.params.hash}`, 'hash');
      return { sealed: s.sealed, salt: encodeBase64(s.salt), content: Buffer.from(s.content).toString('utf8') };
    },
  );
}
