import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { allow } from '../allow.ts';
import { ArrangementParams } from '../schemas.ts';

export async function arrangementRoutes(app: FastifyInstance): Promise<void> {
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
      const d = req.deployment;
      allow(req, 'read-arrangement');
      return d.arrangementView();
    },
  );
}
