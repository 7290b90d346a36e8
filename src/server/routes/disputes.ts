// A party disputes a finding; the mediator and the guarantor (and the disputing party)
// read the disputes, each beside the finding it disputes, which is how a finding's
// history shows them. The finding is named by its address in the server's `findings`
// statement: the record's own, the same for the server and for a party's replica.
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { allow } from '../allow.ts';
import { MAX_DISPUTE_REASON, OUTCOMES } from '../core/disputes.ts';
import { ArrangementParams } from '../schemas.ts';

const TAG = ['monitoring'];

const Address = z.strictObject({
  entry: z.number().int().min(0).describe("the entry of the server's findings statement"),
  n: z.number().int().min(0).describe('the finding’s position in that statement'),
});

const DisputeBody = z.strictObject({
  finding: Address,
  reason: z.string().trim().min(1).max(MAX_DISPUTE_REASON).describe('why the party disputes it'),
});

const ResolutionParams = ArrangementParams.extend({
  dispute: z.coerce.number().int().min(0).describe("the dispute's entry in the record"),
});

const ResolutionBody = z.strictObject({
  outcome: z.enum(OUTCOMES).describe('upheld: the finding stands; withdrawn: it closes, with the reasons'),
  reasons: z.string().trim().min(1).max(MAX_DISPUTE_REASON).describe('why'),
});

const DisputesQuery = z.strictObject({
  entry: z.coerce.number().int().min(0).optional().describe('only the disputes of the finding at this entry …'),
  n: z.coerce.number().int().min(0).optional().describe('… and this position'),
});

export async function disputesRoutes(app: FastifyInstance): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.post(
    '/api/arrangements/:id/findings/disputes',
    {
      schema: {
        tags: TAG,
        summary:
          "a party disputes a finding it may read, named by its address in the server's findings statement; recorded sealed, signed with the party's server-held key (202 once durable)",
        params: ArrangementParams,
        body: DisputeBody,
      },
    },
    async (req, reply) => {
      const actor = allow(req, 'dispute');
      const index = await req.deployment.disputes.post(actor, req.body.finding, req.body.reason);
      return reply.code(202).send({ indexes: [index] });
    },
  );

  r.post(
    '/api/arrangements/:id/findings/disputes/:dispute/resolution',
    {
      schema: {
        tags: TAG,
        summary:
          'the mediator (or a member of the joint commission) resolves a dispute as upheld or withdrawn, with reasons; recorded sealed like the dispute; a withdrawn finding closes with "withdrawn on dispute N" (the reasons are read with the dispute, by those who may) (202 once durable; 409 once resolved)',
        params: ResolutionParams,
        body: ResolutionBody,
      },
    },
    async (req, reply) => {
      // The commission is named per arrangement, so the action's role check is the dispute service's (mayResolve).
      const actor = allow(req, 'read-findings');
      const index = await req.deployment.disputes.resolve(actor, req.params.dispute, req.body.outcome, req.body.reasons);
      return reply.code(202).send({ indexes: [index] });
    },
  );

  r.get(
    '/api/arrangements/:id/findings/disputes',
    {
      schema: {
        tags: TAG,
        summary:
          'the disputes this actor may read (its own and those of findings about it; every one for the mediator, the guarantor and the joint commission), each with the finding it disputes and its resolution once resolved',
        params: ArrangementParams,
        querystring: DisputesQuery,
      },
    },
    async (req) => {
      const actor = allow(req, 'read-findings');
      const { entry, n } = req.query;
      const of = entry !== undefined ? { entry, n: n ?? 0 } : undefined;
      const d = req.deployment;
      const out = [];
      for (const x of await d.disputes.visible(actor, of)) out.push({ ...x, disputed: await d.disputes.findingFor(actor, x.finding) });
      return out;
    },
  );
}
