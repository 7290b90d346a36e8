// The arrangement a request's :id names, and the caller's actor there. An arrangement the
// caller has no part in answers as one that does not exist (404 naming the id), so a token
// of one arrangement learns nothing of the others a server runs.
import type { FastifyRequest } from 'fastify';
import { NotFound } from './errors.ts';

/** Sets req.deployment (and req.actor, when the caller has a token) for :id, or throws 404. */
export function seatIn(req: FastifyRequest, id: string | undefined, what = 'arrangement'): void {
  const d = id === undefined ? undefined : req.server.deployments.get(id);
  // No seats: a route open without a token (public tiles); the arrangement alone decides.
  const actor = req.seats ? (id === undefined ? undefined : req.seats.get(id)) : undefined;
  if (!d || (req.seats && !actor)) {
    const mine = req.seats ? [...req.seats.keys()] : [...req.server.deployments.keys()];
    throw new NotFound(
      `no ${what} "${id}" here (${req.seats ? 'this token has a part in' : 'this server runs'}: ${mine.map((x) => `"${x}"`).join(', ')})`,
      'id',
    );
  }
  req.deployment = d;
  if (actor) req.actor = actor;
}
