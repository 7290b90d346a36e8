// A party disputes a finding; the mediator and the guarantor (and the disputing party)
// read the disputes, each beside the finding it disputes, which is how a finding's
// history shows them. The finding is named by its address in the server's `findings`
// statement: the record's own, the same for the server and for a party's replica.
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { allow } from '../allow.ts';
import { MAX_DISPUTE_REASON } from '../core/disputes.ts';
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

  r.get(
    '/api/arrangements/:id/findings/disputes',
    {
      schema: {
        tags: TAG,
        summary: 'the disputes this actor may read (its own; every one for the mediator and the guarantor), each with the finding it disputes',
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
      for (const x of d.disputes.visible(actor, of)) out.push({ ...x, disputed: await d.disputes.findingFor(actor, x.finding) });
      return out;
    },
  );
}
