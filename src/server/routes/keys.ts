// Who signs for whom, over HTTP. The keys themselves are public (every entry names its
// signer's key, and the key book is recorded where every party sees it), so every role
// that may read the record may read them. Enrolling a key through the server is only
// for actors the server is custodial for: it signs the enrolment with the actor's
// server-held key; any other actor enrols with a `key` statement its own key signs
// (POST …/statements).
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { allow } from '../allow.ts';
import { ArrangementParams } from '../schemas.ts';

const TAG = ['keys'];

const EnrollBody = z.strictObject({
  key: z.string().max(200).describe("the verifier key to enrol, named with the actor's id (name+hash+base64)"),
  device: z.string().min(1).max(100).optional().describe('a label for the person or device'),
});

export async function keysRoutes(app: FastifyInstance): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.get(
    '/api/arrangements/:id/keys',
    { schema: { tags: TAG, summary: "each actor's working keys now, its recovery key, and whether the server holds a key for it", params: ArrangementParams } },
    async (req) => {
      allow(req, 'read-record');
      return { actors: req.deployment.keysNow() };
    },
  );

  r.post(
    '/api/arrangements/:id/keys/enroll',
    {
      schema: {
        tags: TAG,
        summary:
          "enrols a key for the token's actor, signed with the key the server holds for it (custodial deployments only; otherwise sign a key statement and POST it to …/statements)",
        params: ArrangementParams,
        body: EnrollBody,
      },
    },
    async (req, reply) => reply.code(202).send(await req.deployment.enrollCustodially(req.actor, req.body.key, req.body.device)),
  );
}
