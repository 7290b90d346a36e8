// The one question a route asks before acting: may the caller's role take this action?
// The policy answers; a refusal is a 403 with its reason.
import type { FastifyRequest } from 'fastify';
import { type Action, type Actor, mayAct } from '../policy/policy.ts';
import { Forbidden } from './errors.ts';

/** The caller, if its role may take the action; else Forbidden. */
export function allow(req: FastifyRequest, action: Action): Actor {
  const p = mayAct(req.actor, action);
  if (!p.ok) throw new Forbidden(p.reason);
  return req.actor;
}
