// Reports in, findings out, over HTTP: posted reports are acknowledged (202) only once
// durable in the record and applied by the engine; findings are listed, or pushed as
// server-sent events, to those the policy lets see them.
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { SignedStatement } from '../../record/statement.ts';
import { allow } from '../allow.ts';
import { ArrangementParams, FindingsQuery, ReportsBody, SignedBody } from '../schemas.ts';
import { eventsRoutes } from './events.ts';

/** Report batches may be large: up to 10,000 reports of a few hundred bytes. */
const REPORTS_BODY_LIMIT = 16 << 20;

export async function monitoringRoutes(app: FastifyInstance): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.post(
    '/api/arrangements/:id/reports',
    {
      bodyLimit: REPORTS_BODY_LIMIT,
      schema: { tags: ['monitoring'], summary: 'one report or an array (spec/reports.md); 202 once durable', params: ArrangementParams, body: ReportsBody },
    },
    async (req, reply) => {
      const d = req.deployment;
      const accepted = await d.postReports(allow(req, 'report'), req.body);
      return reply.code(202).send(accepted);
    },
  );

  r.post(
    '/api/arrangements/:id/statements',
    {
      bodyLimit: REPORTS_BODY_LIMIT,
      schema: {
        tags: ['monitoring'],
        summary:
          'a statement the author signed itself (not custodial): reports, a talks statement from …/talks/prepare, a key statement (enroll, rotate, recovery, revoke), a dispute or resolution (sealed, its opening in sealed[0]), a challenge request or a refusal of access',
        params: ArrangementParams,
        body: SignedBody,
      },
    },
    async (req, reply) => {
      const d = req.deployment;
      // A talks statement was decided, for this actor's role, when it was prepared; a key
      // statement is every actor's own, judged by the key book; a challenge, refusal or
      // resolution is judged by its service as its custodial route is (a commission's
      // guarantor resolves but does not report).
      const type = req.body.statement.type;
      const own = type.startsWith('talks.') || type === 'key' || type === 'challenge' || type === 'access-refused' || type === 'resolution';
      const accepted = await d.postSigned(own ? req.actor : allow(req, 'report'), req.body as unknown as SignedStatement);
      return reply.code(202).send(accepted);
    },
  );

  r.get(
    '/api/arrangements/:id/findings',
    {
      schema: {
        tags: ['monitoring'],
        summary: 'finding transitions so far, or those open now (?open=true)',
        params: ArrangementParams,
        querystring: FindingsQuery,
      },
    },
    async (req) => {
      const d = req.deployment;
      const actor = allow(req, 'read-findings');
      const q = req.query;
      if (q.open) return d.openFindingsFor(actor);
      const limit = q.limit ?? 10_000;
      const out = [];
      for (const b of d.book.after(q.since ?? 0)) {
        if (!d.readsFinding(actor, b.actors)) continue;
        out.push(d.findingView(actor, b));
        if (out.length >= limit) break;
      }
      return out;
    },
  );

  r.get(
    '/api/arrangements/:id/posture',
    {
      schema: {
        tags: ['monitoring'],
        summary:
          "each present unit at its latest report, at that report's disclosure level for the caller: full, coarsened (position and time on the policy's grid, `coarse` set), or left out",
        params: ArrangementParams,
      },
    },
    async (req) => {
      const d = req.deployment;
      return d.posture(allow(req, 'read-arrangement'));
    },
  );

  await app.register(eventsRoutes);
}
