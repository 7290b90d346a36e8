// What the server hangs on fastify's instance and requests, declared once here so the
// types and the decorations cannot drift apart: the deployments this server runs (the
// first is `deployment`, for what serves one), the caller (set by the bearer-token hook:
// its seats in every arrangement, and its actor in the one the request is about), and
// the deployment a route's :id names (set by the arrangement scope's hook).
import type { FastifyInstance } from 'fastify';
import type { Actor } from '../policy/policy.ts';
import type { Seats } from './auth.ts';
import type { Deployment } from './deployment.ts';

declare module 'fastify' {
  interface FastifyInstance {
    deployment: Deployment;
    deployments: ReadonlyMap<string, Deployment>;
  }
  interface FastifyRequest {
    actor: Actor;
    seats: Seats;
    deployment: Deployment;
  }
}

export function decorate(app: FastifyInstance, served: Deployment | readonly Deployment[]): void {
  const deployments: readonly Deployment[] = Array.isArray(served) ? served : [served as Deployment];
  app.decorate('deployment', deployments[0]);
  app.decorate('deployments', new Map(deployments.map((d) => [d.id, d])));
  // Placeholders only: the hooks set them on every request that reaches a route using them.
  app.decorateRequest('actor', null as unknown as Actor);
  app.decorateRequest('seats', null as unknown as Seats);
  app.decorateRequest('deployment', null as unknown as Deployment);
}
