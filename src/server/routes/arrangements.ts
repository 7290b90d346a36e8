// Who the caller is, outside any one arrangement: GET /api/me (the token's actor in the
// first arrangement it has a part in, as a one-arrangement server always answered, and
// every seat it has) and GET /api/arrangements (the arrangements it has a part in, and
// nothing of the others the server runs: seat-in.ts).
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { z } from 'zod';
import { ArrangementsList, type ArrangementSeat } from '../schemas.ts';

function seatsOf(req: FastifyRequest): z.infer<typeof ArrangementSeat>[] {
  return [...req.seats].flatMap(([id, actor]) => {
    const d = req.server.deployments.get(id);
    return d ? [{ id, title: d.arrangement.title, actor: actor.id, ...(actor.name !== undefined ? { name: actor.name } : {}), role: actor.role }] : [];
  });
}

export async function arrangementsRoutes(app: FastifyInstance): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.get('/api/me', { schema: { summary: 'who the token belongs to: its actor in its first arrangement, and its part in each' } }, async (req) => {
    const arrangements = seatsOf(req);
    const here = arrangements.find((a) => a.actor === req.actor.id && req.seats.get(a.id) === req.actor);
    return { ...req.actor, arrangement: here?.id ?? arrangements[0]?.id, arrangements };
  });
  r.get(
    '/api/arrangements',
    { schema: { summary: 'the arrangements this token has a part in, with its actor and role in each', response: { 200: ArrangementsList } } },
    async (req) => ({ arrangements: seatsOf(req) }),
  );
}
