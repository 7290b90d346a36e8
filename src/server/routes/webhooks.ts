// Webhook subscriptions (docs/webhooks.md): each actor subscribes for itself, sees and
// deletes only its own, and reads its own dead letters. What a subscription delivers
// is decided where the event stream's content is (the policy, through the bus); these
// routes only manage subscriptions. Another actor's subscription is a 404, as an
// unknown one, so ids reveal nothing.
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { allow } from '../allow.ts';
import { ArrangementParams, DeadLetterParams, WebhookBody, WebhookParams } from '../schemas.ts';

const TAG = ['webhooks'];
const BASE = '/api/arrangements/:id/webhooks';

export async function webhooksRoutes(app: FastifyInstance): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.post(
    BASE,
    {
      schema: {
        tags: TAG,
        summary:
          'subscribes the caller to events pushed to a URL: 201 with the subscription and its signing secret, shown this once (deliveries are signed Detente-Signature: t=<unix>,v1=<HMAC-SHA256 hex of "t.body">)',
        params: ArrangementParams,
        body: WebhookBody,
      },
    },
    async (req, reply) => {
      const actor = allow(req, 'subscribe-webhooks');
      return reply.code(201).send(req.deployment.webhooks.create(actor, req.body));
    },
  );

  r.get(BASE, { schema: { tags: TAG, summary: "the caller's own subscriptions (never their secrets)", params: ArrangementParams } }, async (req) =>
    req.deployment.webhooks.list(allow(req, 'subscribe-webhooks')),
  );

  r.delete(
    `${BASE}/:sid`,
    { schema: { tags: TAG, summary: "deletes one of the caller's subscriptions (what it had waiting is dropped): 204", params: WebhookParams } },
    async (req, reply) => {
      req.deployment.webhooks.remove(allow(req, 'subscribe-webhooks'), req.params.sid);
      return reply.code(204).send();
    },
  );

  r.get(
    `${BASE}/:sid/dead-letters`,
    {
      schema: {
        tags: TAG,
        summary: "deliveries of the caller's subscription given up on, each with its payload, attempts and the last reason",
        params: WebhookParams,
      },
    },
    async (req) => req.deployment.webhooks.deadLetters(allow(req, 'subscribe-webhooks'), req.params.sid),
  );

  r.post(
    `${BASE}/:sid/dead-letters/:n/retry`,
    {
      schema: {
        tags: TAG,
        summary: 'sends a dead letter again (same Detente-Delivery id, signed afresh, with a full set of attempts): 202',
        params: DeadLetterParams,
      },
    },
    async (req, reply) => {
      req.deployment.webhooks.retry(allow(req, 'subscribe-webhooks'), req.params.sid, req.params.n);
      return reply.code(202).send({ retried: req.params.n });
    },
  );
}
