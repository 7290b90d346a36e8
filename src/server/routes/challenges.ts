// Challenge inspections (docs/inspections.md): a party requests an inspection of a zone;
// the observer mission whose inspection rule takes such requests must inspect it in time
// (an inspection report fulfils it), or records that a party refused it access. Both are
// signed statements the engine applies in record order; the findings they give (the
// request, a late inspection, a refusal) are read like every finding, per the policy.
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { allow } from '../allow.ts';
import { MAX_DISPUTE_REASON } from '../core/disputes.ts';
import { ArrangementParams } from '../schemas.ts';

const TAG = ['monitoring'];

const ChallengeBody = z.strictObject({
  zone: z.string().min(1).max(200).describe('the zone to inspect (one an inspection rule takes challenge requests for)'),
});

const RefusalParams = ArrangementParams.extend({
  challenge: z
    .string()
    .regex(/^challenge-\d{1,15}$/)
    .describe('the request, as named when it was made: challenge-<entry>'),
});

const RefusalBody = z.strictObject({
  by: z.string().min(1).max(200).describe('the party that refused access'),
  reason: z.string().trim().min(1).max(MAX_DISPUTE_REASON).optional().describe('what happened'),
});

export async function challengesRoutes(app: FastifyInstance): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.post(
    '/api/arrangements/:id/challenges',
    {
      schema: {
        tags: TAG,
        summary:
          "a party requests a challenge inspection of a zone; recorded signed with the party's server-held key; the observer must inspect within the rule's challenge.within (202 once durable, with the request's name)",
        params: ArrangementParams,
        body: ChallengeBody,
      },
    },
    async (req, reply) => {
      const actor = allow(req, 'challenge');
      const { index, challenge } = await req.deployment.postChallenge(actor, req.body.zone);
      return reply.code(202).send({ indexes: [index], challenge });
    },
  );

  r.post(
    '/api/arrangements/:id/challenges/:challenge/refusal',
    {
      schema: {
        tags: TAG,
        summary:
          'the observer records that a party refused it access on a challenge still waiting for its inspection: a finding against that party (202 once durable; 409 when one is recorded already)',
        params: RefusalParams,
        body: RefusalBody,
      },
    },
    async (req, reply) => {
      const actor = allow(req, 'record-refusal');
      const index = await req.deployment.postRefusal(actor, req.params.challenge, req.body.by, req.body.reason);
      return reply.code(202).send({ indexes: [index] });
    },
  );
}
