// A local webhook receiver for the tests: it records every request with the time it
// arrived, answers as the test says (a status, or never), and checks deliveries as
// docs/webhooks.md tells a receiver to — computed here with node:crypto from the
// documented scheme, not with the server's helper.
import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Received {
  headers: IncomingHttpHeaders;
  body: string;
  /** ms (performance.now) */
  at: number;
  /** the receiver's verdict: undefined when it accepted the delivery */
  refused?: string;
}

export interface Receiver {
  url: string;
  got: Received[];
  /** what the next request gets: a status, or 'hang' (no answer, ever) */
  answer: (n: number) => number | 'hang';
  /** the secret to check signatures with (set after subscribing); none: every delivery is taken unchecked */
  secret?: string;
  /** the receiver's clock, seconds (tests move it to make a delivery old) */
  nowS: () => number;
  /** resolves once `n` requests have arrived */
  waitFor(n: number, ms?: number): Promise<void>;
  close(): Promise<void>;
}

/** The documented check: t and v1 from Detente-Signature, HMAC-SHA256(secret, `${t}.${body}`), t within 5 minutes, delivery id unseen. */
export function check(secret: string, headers: IncomingHttpHeaders, body: string, nowS: number, seen: Set<string>): string | undefined {
  const header = String(headers['detente-signature'] ?? '');
  const parts = Object.fromEntries(header.split(',').map((p) => p.split('=') as [string, string]));
  const t = Number(parts.t);
  if (!Number.isInteger(t) || !parts.v1) return 'malformed signature';
  const want = createHmac('sha256', secret).update(`${t}.${body}`).digest();
  const got = Buffer.from(parts.v1, 'hex');
  if (got.length !== want.length || !timingSafeEqual(got, want)) return 'bad signature';
  if (nowS - t > 300) return 'too old';
  const id = String(headers['detente-delivery'] ?? '');
  if (seen.has(id)) return 'seen before';
  seen.add(id);
  return undefined;
}

export async function startReceiver(): Promise<Receiver> {
  const seen = new Set<string>();
  const waiters: { n: number; resolve: () => void }[] = [];
  const r: Receiver = {
    url: '',
    got: [],
    answer: () => 200,
    nowS: () => Math.floor(Date.now() / 1000),
    waitFor(n, ms = 10_000) {
      if (r.got.length >= n) return Promise.resolve();
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`receiver: ${r.got.length} of ${n} requests within ${ms} ms`)), ms);
        waiters.push({
          n,
          resolve: () => {
            clearTimeout(timer);
            resolve();
          },
        });
      });
    },
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const n = r.got.length;
      const answer = r.answer(n);
      // A delivery the receiver fails on purpose is not marked seen: it will come again.
      const refused = r.secret && answer === 200 ? check(r.secret, req.headers, body, r.nowS(), seen) : undefined;
      r.got.push({ headers: req.headers, body, at: performance.now(), refused });
      for (const w of waiters.filter((w) => r.got.length >= w.n)) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve();
      }
      if (answer === 'hang') return;
      res.writeHead(refused ? 400 : answer).end(refused ?? '');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  r.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
  return r;
}

/** A payload the receiver got, parsed. */
export function payloadOf(x: Received): { id: string; type: string; data: Record<string, unknown> } {
  return JSON.parse(x.body);
}
