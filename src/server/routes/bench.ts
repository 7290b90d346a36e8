// GET and PUT …/talks/bench: the mediator's bench (docs/analytics.md), its model and
// `detente analyze`'s analysis of it. The mediator reads and writes it, a guarantor the
// arrangement names reads it; every other caller is refused (403), as for the gap report.
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { mayReadBench } from '../../policy/policy.ts';
import { allow } from '../allow.ts';
import { benchOf } from '../core/bench-store.ts';
import { Forbidden } from '../errors.ts';
import { ArrangementParams, BenchModelBody } from '../schemas.ts';

const TAG = ['talks'];

export async function benchRoutes(app: FastifyInstance): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.get(
    '/api/arrangements/:id/talks/bench',
    {
      schema: {
        tags: TAG,
        summary:
          "the mediator's bench: its model (reservation values included) and `detente analyze`'s analysis of it; { model: null, analysis: null } before any",
        params: ArrangementParams,
      },
    },
    async (req) => {
      const d = req.deployment;
      const may = mayReadBench(req.actor, d.arrangement.bench);
      if (!may.ok) throw new Forbidden(may.reason);
      return benchOf(d).view();
    },
  );

  r.put(
    '/api/arrangements/:id/talks/bench',
    {
      schema: {
        tags: TAG,
        summary: "replaces the mediator's bench model (checked as `detente analyze` checks it: a 400 names each bad field's path); answers as GET does",
        params: ArrangementParams,
        body: BenchModelBody,
      },
    },
    async (req) => {
      allow(req, 'write-bench');
      return benchOf(req.deployment).put(req.body);
    },
  );
}
