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
      return d.arrangementViewReady();
    },
  );

  // The texts are the arrangement's, public to its actors: every role reads the history.
  app.withTypeProvider<ZodTypeProvider>().get(
    '/api/arrangements/:id/history',
    {
      schema: {
        tags: ['arrangement'],
        summary:
          'which text was in force from which record position: the file from the genesis, then each announced round (its round, draft, the sha256 of the whole text, and the sections and rules it sets over the file)',
        params: ArrangementParams,
      },
    },
    async (req) => {
      const d = req.deployment;
      allow(req, 'read-arrangement');
      return d.history();
    },
  );

  // What a draft is checked over: the arrangement's own text, public to its actors as the view is.
  app.withTypeProvider<ZodTypeProvider>().get(
    '/api/arrangements/:id/draft-base',
    {
      schema: {
        tags: ['arrangement'],
        summary:
          'the document a draft is checked over (the file as written, with the sections the announced texts set) and the GeoJSON files it names, by name: a client checks a draft by the same validation before sending it',
        params: ArrangementParams,
      },
    },
    async (req) => {
      const d = req.deployment;
      allow(req, 'read-arrangement');
      return d.draftBase();
    },
  );
}
