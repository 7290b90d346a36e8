// What the server hangs on fastify's instance and requests, declared once here so the
// types and the decorations cannot drift apart: the deployment this server runs, the
// caller (set by the bearer-token hook), and the deployment a route's :id names (set
// by the arrangement scope's hook).
import type { FastifyInstance } from 'fastify';
import type { Actor } from '../policy/policy.ts';
import type { Deployment } from './deployment.ts';

declare module 'fastify' {
  interface FastifyInstance {
    deployment: Deployment;
  }
  interface FastifyRequest {
    actor: Actor;
    deployment: Deployment;
  }
}

export function decorate(app: FastifyInstance, deployment: Deployment): void {
  app.decorate('deployment', deployment);
  // Placeholders only: the hooks set them on every request that reaches a route using them.
  app.decorateRequest('actor', null as unknown as Actor);
  app.decorateRequest('deployment', null as unknown as Deployment);
}
