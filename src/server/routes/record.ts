// The record over HTTP (spec/record.md): the witnessed checkpoint (spec/witness.md) or
// the latest the log signed, the witnesses' status, proofs as base64
// lists, entries (sealed content shows only its hash), and sealed content itself for
// those the policy lets read it, with its salt, so they can check it against the hash.
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { canSee } from '../../policy/policy.ts';
import { encodeBase64 } from '../../record/encoding.ts';
import { RecordError } from '../../record/errors.ts';
import { allow } from '../allow.ts';
import { BadRequest, Forbidden, NotFound } from '../errors.ts';
import { z } from 'zod';
import { ArrangementParams, ConsistencyQuery, EntriesQuery, InclusionQuery, SealedParams } from '../schemas.ts';

const TAG = ['record'];

const CheckpointQuery = z.strictObject({
  witnessed: z
    .enum(['true', 'false'])
    .transform((v) => v === 'true')
    .optional()
    .describe('false: the newest checkpoint the log signed, cosigned or not'),
});
const MAX_ENTRIES = 1000;

function outOfRange(e: unknown): never {
  if (e instanceof RecordError && e.code === 'out-of-range') throw new BadRequest(e.message, [{ path: 'query', message: e.message }]);
  throw e;
}

export async function recordRoutes(app: FastifyInstance): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.get(
    '/api/arrangements/:id/record/checkpoint',
    {
      schema: {
        tags: TAG,
        summary:
          'the newest checkpoint with a quorum of witness cosignatures, as one C2SP signed note (text/plain); ?witnessed=false: the newest the log signed. Detente-Witnessed says which: quorum, false, or none (the arrangement names no witnesses)',
        params: ArrangementParams,
        querystring: CheckpointQuery,
      },
    },
    async (req, reply) => {
      const d = req.deployment;
      allow(req, 'read-record');
      reply.type('text/plain; charset=utf-8');
      const w = d.witnessing;
      if (!w) return reply.header('detente-witnessed', 'none').send(d.log.checkpoint());
      if (req.query.witnessed === false) return reply.header('detente-witnessed', 'false').send(d.log.checkpoint());
      const head = w.witnessed;
      if (!head) throw new NotFound('no checkpoint has a quorum of witness cosignatures yet; ?witnessed=false gives the newest the log signed', 'witnessed');
      return reply.header('detente-witnessed', 'quorum').send(head.note);
    },
  );

  r.get(
    '/api/arrangements/:id/record/witnesses',
    {
      schema: {
        tags: TAG,
        summary:
          "the arrangement's witnesses: per witness its actor, whether its URL is known, the size it acknowledged, its newest cosignature, its last error and any fork it showed; and how far the witnessed head is behind the log's",
        params: ArrangementParams,
      },
    },
    async (req) => {
      const d = req.deployment;
      allow(req, 'read-record');
      const w = d.witnessing;
      if (!w) return { quorum: 0, log: { size: d.log.size }, witnessed: null, behind: { entries: 0, ms: 0 }, witnesses: [] };
      return w.status();
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
    {
      schema: {
        tags: TAG,
        summary:
          'sealed content as the policy lets this actor read it: in full with its salt ({sealed, salt, content}), coarsened without the salt ({sealed, coarse: {position_m, time_s}, content}), or 404 exactly as for an unknown hash',
        params: SealedParams,
      },
    },
    async (req) => {
      const d = req.deployment;
      const actor = allow(req, 'read-record');
      // Not found and not allowed answer alike, so that probing reveals nothing.
      const released = await d.sealedFor(actor, req.params.hash);
      if (!released) throw new NotFound(`no sealed content ${req.params.hash} readable by ${actor.id}`, 'hash');
      return released;
    },
  );
}
