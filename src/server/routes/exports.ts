// GET …/findings.csv and …/reports.csv (docs/csv.md): everything the caller may see, as
// RFC 4180 CSV, streamed in pages from the findings book and the record, never built
// whole and never cut short. The same decisions as the JSON routes: findings per the
// findings disclosure, reports released per the disclosure policy (releaseReport).
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { allow } from '../allow.ts';
import { findingsCsv, reportsCsv } from '../exports/csv-exports.ts';
import { ArrangementParams, CsvQuery } from '../schemas.ts';
import { CSV_TYPE } from '../history/formats.ts';
import { sendStream } from './stream-reply.ts';

export async function exportsRoutes(app: FastifyInstance): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.get(
    '/api/arrangements/:id/findings.csv',
    {
      schema: {
        tags: ['exports'],
        summary: 'every finding transition the caller may read, as CSV (docs/csv.md): streamed, any size',
        params: ArrangementParams,
        querystring: CsvQuery,
      },
    },
    async (req, reply) => {
      const d = req.deployment;
      const actor = allow(req, 'read-findings');
      return sendStream(reply, CSV_TYPE, findingsCsv(d, actor, req.query), `${d.id}-findings.csv`);
    },
  );

  r.get(
    '/api/arrangements/:id/reports.csv',
    {
      schema: {
        tags: ['exports'],
        summary:
          'every report of the record the caller may see, as CSV (docs/csv.md): in full, or coarsened (`coarse` set); one it may only know exists has no row',
        params: ArrangementParams,
        querystring: CsvQuery,
      },
    },
    async (req, reply) => {
      const d = req.deployment;
      const actor = allow(req, 'read-record');
      return sendStream(reply, CSV_TYPE, reportsCsv(d, actor, req.query), `${d.id}-reports.csv`);
    },
  );
}
