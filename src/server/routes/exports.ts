// GET …/findings.csv and …/reports.csv (docs/csv.md): everything the caller may see, as
// RFC 4180 CSV, streamed in pages from the findings book and the record, never built
// whole and never cut short. The same decisions as the JSON routes: findings per the
// findings disclosure, reports released per the disclosure policy (releaseReport).
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { FINDING_COLUMNS, type FindingLike, findingRow } from '../../interop/csv/findings.ts';
import { REPORT_COLUMNS, reportRow } from '../../interop/csv/reports.ts';
import { csvChunks } from '../../interop/csv/stream.ts';
import { allow } from '../allow.ts';
import { reportsFor } from '../core/record-reports.ts';
import { visibleFindings } from '../history/visible-findings.ts';
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
      const rows = (async function* () {
        for (const v of visibleFindings(d, actor)) yield findingRow(v as unknown as FindingLike);
      })();
      return sendStream(reply, CSV_TYPE, csvChunks(FINDING_COLUMNS, rows, req.query), `${d.id}-findings.csv`);
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
      const rows = (async function* () {
        for await (const s of reportsFor(d, actor)) yield reportRow(s);
      })();
      return sendStream(reply, CSV_TYPE, csvChunks(REPORT_COLUMNS, rows, req.query), `${d.id}-reports.csv`);
    },
  );
}
