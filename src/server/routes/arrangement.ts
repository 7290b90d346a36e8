import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Context } from '../app.ts';
import { ArrangementParams } from '../schemas.ts';

export function arrangementRoutes(app: FastifyInstance, ctx: Context): void {
  app.withTypeProvider<ZodTypeProvider>().get(
    '/api/arrangements/:id',
    {
      schema: {
        tags: ['arrangement'],
        summary: 'the arrangement in force, zones and lines as GeoJSON with derived outlines and areas',
        params: ArrangementParams,
      },
    },
    async (req) => {
      const d = ctx.at(req);
      ctx.allow(req, 'read-arrangement');
      return d.arrangementView();
    },
  );
}
