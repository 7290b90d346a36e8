// The event stream (server-sent events): findings and talks changes as they are
// recorded, the posture as units move, checkpoints as they are signed. Every history
// event's id is a position in the record, so Last-Event-ID resumes from where the
// client was cut off; a stream opened without one replays findings after ?since=<seq>.
// The bus renders, bounds and drops; this only opens streams and greets them.
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { allow } from '../allow.ts';
import { positionFrame } from '../bus.ts';
import { BadRequest, HttpError } from '../errors.ts';
import { ArrangementParams, EventsQuery } from '../schemas.ts';
import { SseSink } from '../sse-sink.ts';

const POSITION = /^\d{1,15}$/;

function frame(type: string, data: unknown): Buffer {
  return Buffer.from(`event: ${type}\ndata: ${JSON.stringify(data)}\n\n`);
}

export async function eventsRoutes(app: FastifyInstance): Promise<void> {
  app.withTypeProvider<ZodTypeProvider>().get(
    '/api/arrangements/:id/events',
    {
      schema: {
        tags: ['monitoring'],
        summary:
          'server-sent events: finding, talks (ids are record positions; send Last-Event-ID to resume), posture (on connecting, then units moved, once a second), checkpoint',
        params: ArrangementParams,
        querystring: EventsQuery,
      },
    },
    (req, reply) => {
      const d = req.deployment;
      const actor = allow(req, 'read-events');
      const lastId = req.headers['last-event-id'];
      let resumeAt: number | undefined;
      if (typeof lastId === 'string' && lastId !== '') {
        if (!POSITION.test(lastId))
          throw new BadRequest('Last-Event-ID must be a record position', [{ path: 'headers.last-event-id', message: 'must be a non-negative integer' }]);
        resumeAt = Number(lastId);
      }
      // The token, not the actor: several people or devices may act for one actor.
      const token = req.headers.authorization ?? '';
      if (!d.bus.mayOpen(token))
        throw new HttpError(429, `this token already has ${d.bus.limits.streamsPerToken} event streams open; close one first`, [
          { path: 'headers.authorization', message: 'too many open event streams' },
        ]);

      reply.hijack();
      const res = reply.raw;
      res.writeHead(200, {
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-cache, no-transform',
        connection: 'keep-alive',
        'x-accel-buffering': 'no',
      });
      // A client gone before this ran leaves nothing to stream to (and no 'close' to come).
      if (!res.socket || res.socket.destroyed) return;
      // From here to the end nothing else runs, so no live event falls between the
      // replay and the subscription, and none is sent twice.
      const stream = d.bus.subscribe(actor, token, new SseSink(res));
      res.on('close', () => stream.close());
      stream.greet(Buffer.from(`retry: 2000\n: ${d.id} as ${actor.id}\n\n`));
      if (resumeAt !== undefined && d.bus.covers(resumeAt)) {
        for (const f of d.bus.replay(actor, resumeAt)) stream.greet(f);
      } else {
        // Too old to resume exactly (or a first connection): the findings after ?since;
        // the client fetches the talks afresh.
        for (const b of d.book.after(req.query.since ?? 0)) if (d.readsFinding(actor, b.actors)) stream.greet(frame('finding', d.findingView(actor, b)));
      }
      // The posture is state, not history: the current one, once.
      stream.greet(d.bus.snapshot('posture', actor, () => d.posture(actor)));
      stream.greet(positionFrame(d.bus.position));
    },
  );
}
