// Reports in, findings out, over HTTP: posted reports are acknowledged (202) only once
// durable in the record and applied by the engine; findings are listed, or pushed as
// server-sent events, to those the policy lets see them.
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { canSee } from '../../policy/policy.ts';
import type { SignedStatement } from '../../record/statement.ts';
import type { Context } from '../app.ts';
import { bookedView } from '../deployment.ts';
import { BadRequest } from '../errors.ts';
import { ArrangementParams, EventsQuery, FindingsQuery, ReportsBody, SignedBody } from '../schemas.ts';

/** Report batches may be large: up to 10,000 reports of a few hundred bytes. */
const REPORTS_BODY_LIMIT = 16 << 20;
/** A subscriber that falls this far behind is dropped; it reconnects with Last-Event-ID. */
const MAX_BUFFERED = 4 << 20;
const HEARTBEAT_MS = 15_000;

export function monitoringRoutes(app: FastifyInstance, ctx: Context): void {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.post(
    '/api/arrangements/:id/reports',
    {
      bodyLimit: REPORTS_BODY_LIMIT,
      schema: { tags: ['monitoring'], summary: 'one report or an array (spec/reports.md); 202 once durable', params: ArrangementParams, body: ReportsBody },
    },
    async (req, reply) => {
      const d = ctx.at(req);
      const accepted = await d.postReports(ctx.allow(req, 'report'), req.body);
      return reply.code(202).send(accepted);
    },
  );

  r.post(
    '/api/arrangements/:id/statements',
    {
      bodyLimit: REPORTS_BODY_LIMIT,
      schema: {
        tags: ['monitoring'],
        summary: 'a statement the author signed itself (not custodial): reports, or a talks statement from …/talks/prepare',
        params: ArrangementParams,
        body: SignedBody,
      },
    },
    async (req, reply) => {
      const d = ctx.at(req);
      // A talks statement was decided, for this actor's role, when it was prepared.
      const talks = req.body.statement.type.startsWith('talks.');
      const accepted = await d.postSigned(talks ? req.actor : ctx.allow(req, 'report'), req.body as unknown as SignedStatement);
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
      const d = ctx.at(req);
      const actor = ctx.allow(req, 'read-findings');
      const q = req.query;
      if (q.open) return d.openFindings().filter((f) => canSee(actor, { kind: 'finding', actors: d.actorsOf(f) }));
      const limit = q.limit ?? 10_000;
      const out = [];
      for (const b of d.book.after(q.since ?? 0)) {
        if (!canSee(actor, { kind: 'finding', actors: b.actors })) continue;
        out.push(bookedView(b));
        if (out.length >= limit) break;
      }
      return out;
    },
  );

  r.get(
    '/api/arrangements/:id/posture',
    { schema: { tags: ['monitoring'], summary: 'each present unit at its latest report (a third party: its own units)', params: ArrangementParams } },
    async (req) => {
      const d = ctx.at(req);
      return d.posture(ctx.allow(req, 'read-arrangement'));
    },
  );

  r.get(
    '/api/arrangements/:id/events',
    {
      schema: {
        tags: ['monitoring'],
        summary: 'server-sent events: finding, talks, posture (units moved, once a second), checkpoint',
        params: ArrangementParams,
        querystring: EventsQuery,
      },
    },
    (req, reply) => {
      const d = ctx.at(req);
      const actor = ctx.allow(req, 'read-events');
      const lastId = req.headers['last-event-id'];
      let since = req.query.since ?? 0;
      if (typeof lastId === 'string' && lastId !== '') {
        if (!/^\d{1,15}$/.test(lastId))
          throw new BadRequest('Last-Event-ID must be a finding seq', [{ path: 'headers.last-event-id', message: 'must be a non-negative integer' }]);
        since = Number(lastId);
      }
      reply.hijack();
      const res = reply.raw;
      res.writeHead(200, {
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-cache, no-transform',
        connection: 'keep-alive',
        'x-accel-buffering': 'no',
      });
      let open = true;
      const send = (type: string, data: unknown) => {
        if (!open) return;
        const id = type === 'finding' ? `id: ${(data as { seq: number }).seq}\n` : '';
        res.write(`${id}event: ${type}\ndata: ${JSON.stringify(data)}\n\n`);
        if (res.writableLength > MAX_BUFFERED) res.destroy();
      };
      res.write(`retry: 2000\n: ${d.id} as ${actor.id}\n\n`);
      for (const b of d.book.after(since)) if (canSee(actor, { kind: 'finding', actors: b.actors })) send('finding', bookedView(b));
      const unsubscribe = d.bus.subscribe({ actor, send });
      const beat = setInterval(() => open && res.write(': keep-alive\n\n'), HEARTBEAT_MS);
      beat.unref();
      res.on('close', () => {
        open = false;
        clearInterval(beat);
        unsubscribe();
      });
    },
  );
}
