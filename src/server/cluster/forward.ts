// On a follower, writes go to the leader: every request under /api/ that is not a GET or
// HEAD is sent on as it came (method, path and query, headers with Authorization, body
// bytes) to the leader's advertised URL, and the leader's answer is relayed. Webhook
// subscriptions are the leader's (it delivers), so their GETs go there too. The leader
// says how far the record was applied when it answered (x-detente-size); the follower
// relays only once it has applied as much itself, so a client reads its own write on the
// node it wrote to. Why forward rather than let every node write: deciding a write needs
// the state at the head of the record (talks, key book), which only the sequencer has.
//
// A leader that refuses the connection is gone: the leader row is read again and the
// request sent to the new one (or handled here, if this node took over) for up to
// RETRY_MS. A request whose outcome is unknown (the connection broke once the body was
// on its way) is not sent again: 503 with Retry-After, since a batch of reports sent
// twice would be two entries (docs/postgres.md says what a client does then).

import { request } from 'node:http';
import { request as requestTls } from 'node:https';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ClusterNode } from './node.ts';

export const SIZE_HEADER = 'x-detente-size';
/** How long a follower tries to reach a leader that refuses connections, ms. */
const RETRY_MS = 10_000;
/** How long a follower waits to have applied a forwarded write before answering anyway, ms. */
const CATCH_UP_MS = 5_000;
/** The largest body a follower forwards (the report batches' limit). */
const MAX_FORWARD_BYTES = 16 << 20;
const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'transfer-encoding', 'content-length', 'host', 'upgrade', 'te', 'trailer', 'proxy-connection']);

interface Answer {
  status: number;
  headers: Record<string, string | string[]>;
  body: Buffer;
}

class Unreachable extends Error {}

function forwarded(req: FastifyRequest): boolean {
  const path = req.url.split('?')[0];
  if (!path.startsWith('/api/')) return false;
  if (req.method !== 'GET' && req.method !== 'HEAD') return true;
  return /\/webhooks(\/|$)/.test(path);
}

async function readBody(req: FastifyRequest): Promise<Buffer | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const c of req.raw) {
    size += (c as Buffer).length;
    if (size > MAX_FORWARD_BYTES) return undefined;
    chunks.push(c as Buffer);
  }
  return Buffer.concat(chunks);
}

/** One attempt; Unreachable when the connection was refused (nothing was sent). */
function send(base: string, req: FastifyRequest, body: Buffer): Promise<Answer> {
  const target = new URL(req.url, base);
  const headers: Record<string, string | string[]> = {};
  for (const [k, v] of Object.entries(req.headers)) if (v !== undefined && !HOP_BY_HOP.has(k)) headers[k] = v;
  headers['content-length'] = String(body.length);
  return new Promise((resolve, reject) => {
    const r = (target.protocol === 'https:' ? requestTls : request)(target, { method: req.method, headers, agent: false, timeout: 60_000 }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const out: Record<string, string | string[]> = {};
        for (const [k, v] of Object.entries(res.headers)) if (v !== undefined && !HOP_BY_HOP.has(k)) out[k] = v;
        resolve({ status: res.statusCode ?? 502, headers: out, body: Buffer.concat(chunks) });
      });
      res.on('error', reject);
    });
    r.on('timeout', () => r.destroy(new Error('the leader did not answer in time')));
    r.on('error', (e: NodeJS.ErrnoException) =>
      reject(['ECONNREFUSED', 'EHOSTUNREACH', 'ENOTFOUND', 'EADDRNOTAVAIL'].includes(e.code ?? '') ? new Unreachable(e.message) : e),
    );
    r.end(body);
  });
}

function unavailable(reply: FastifyReply, message: string) {
  return reply.code(503).header('retry-after', '1').send({ error: message, issues: [] });
}

/** The arrangement a request is about: its /api/arrangements/{id}/…, else the first served. */
function arrangementOf(url: string, first: string): string {
  const m = /^\/api\/arrangements\/([^/?#]+)/.exec(url);
  if (!m) return first;
  try {
    return decodeURIComponent(m[1]);
  } catch {
    return first;
  }
}

/**
 * The hooks a clustered node's app runs first: forwarding on a follower, the applied size
 * on every answer. A server of several arrangements is a node of each (one lease per
 * arrangement): a request goes to the leader of the arrangement it names.
 */
export function clusterHooks(nodes: ReadonlyMap<string, ClusterNode>, first: string): (app: FastifyInstance) => void {
  const nodeFor = (req: FastifyRequest): ClusterNode | undefined => nodes.get(arrangementOf(req.url, first));
  return (app) => {
    app.addHook('onSend', async (req, reply, payload) => {
      const node = nodeFor(req);
      if (!node) return payload;
      // On an authenticated write's answer only (it names record indexes anyway); a relayed answer keeps the leader's figure.
      const write = req.method !== 'GET' && req.method !== 'HEAD';
      if (write && req.actor && req.url.startsWith('/api/') && !reply.hasHeader(SIZE_HEADER)) reply.header(SIZE_HEADER, String(node.deployment.applied));
      return payload;
    });
    app.addHook('onRequest', async (req, reply) => {
      const node = nodeFor(req);
      if (!node?.following || !forwarded(req)) return;
      const body = await readBody(req);
      if (body === undefined) return reply.code(413).send({ error: `the body is larger than ${MAX_FORWARD_BYTES} bytes`, issues: [] });
      const until = Date.now() + RETRY_MS;
      let fresh = false;
      for (;;) {
        if (!node.following) {
          // This node took over meanwhile: the request is handled here.
          const res = await app.inject({ method: req.method as 'POST', url: req.url, headers: req.headers, payload: body });
          return reply.code(res.statusCode).headers(strip(res.headers)).send(res.rawPayload);
        }
        const leader = await node.leader(fresh);
        if (leader && leader.node !== node.id) {
          try {
            const a = await send(leader.url, req, body);
            const size = Number(a.headers[SIZE_HEADER]);
            if (a.status < 300 && Number.isSafeInteger(size)) await node.waitApplied(size, CATCH_UP_MS);
            return reply.code(a.status).headers(a.headers).send(a.body);
          } catch (e) {
            if (!(e instanceof Unreachable))
              return unavailable(
                reply,
                `the leader's answer was lost (${(e as Error).message}): whether this request was taken is unknown; read the record before sending it again`,
              );
          }
        }
        if (Date.now() > until) return unavailable(reply, 'no leader answers: a takeover is under way, try again shortly');
        fresh = true;
        await new Promise((r) => setTimeout(r, 100));
      }
    });
  };
}

function strip(h: Record<string, unknown>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(h)) if (v !== undefined && !HOP_BY_HOP.has(k)) out[k] = String(v);
  return out;
}
