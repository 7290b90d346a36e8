// Deliveries leave the engine's turn at once: each subscription has its own bounded
// queue (a lane), drained one delivery at a time off the event loop's other work, so
// a receiver that hangs or fails holds up only its own lane, never the engine, the
// intake or other subscribers. Each attempt has a time limit; a failure is tried again
// after a growing, jittered wait; after the last attempt the delivery goes to the
// subscription's dead letters with the reason. A lane that is full sends its oldest
// waiting delivery to the dead letters to make room. Delivery is at least once: an
// attempt that timed out may still have been taken, and is sent again with the same
// Detente-Delivery id for the receiver to recognise.
import { request as httpRequest, type ClientRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { DEFAULT_RETRY, type RetryPolicy, retryDelayMs } from './backoff.ts';
import type { WebhookEvent } from './event-types.ts';
import { DELIVERY_HEADER, EVENT_HEADER, SIGNATURE_HEADER, signatureHeader } from './signer.ts';
import { guardedLookup, refuseUrl } from './url-guard.ts';

export interface Delivery {
  /** the Detente-Delivery id: the same on every attempt and on a retried dead letter */
  id: string;
  type: WebhookEvent;
  /** the exact JSON text sent (and signed) */
  body: string;
}

export interface Target {
  id: string;
  url: string;
  secret: string;
}

export interface Failure {
  delivery: Delivery;
  reason: string;
  attempts: number;
}

export interface DispatcherOptions {
  retry?: Partial<RetryPolicy>;
  /** deliveries waiting per subscription before the oldest goes to the dead letters */
  maxQueue?: number;
  allowPrivate?: boolean;
  /** a delivery given up on */
  onDead: (target: string, failure: Failure) => void;
  /** wall-clock seconds for the signature's t */
  nowS?: () => number;
  random?: () => number;
  /** every attempt, for tests and logs */
  onAttempt?: (target: string, delivery: Delivery, outcome: string) => void;
}

export const DEFAULT_MAX_QUEUE = 1000;

interface Lane {
  target: Target;
  queue: { delivery: Delivery; failed: number; lastError?: string }[];
  busy: boolean;
  timer?: NodeJS.Timeout;
  inflight?: ClientRequest;
}

export class Dispatcher {
  readonly retry: RetryPolicy;
  private readonly maxQueue: number;
  private readonly lanes = new Map<string, Lane>();
  private closed = false;

  constructor(private readonly o: DispatcherOptions) {
    this.retry = { ...DEFAULT_RETRY, ...o.retry };
    this.maxQueue = o.maxQueue ?? DEFAULT_MAX_QUEUE;
  }

  /** Queues a delivery; never waits. */
  send(target: Target, delivery: Delivery): void {
    if (this.closed) return;
    let lane = this.lanes.get(target.id);
    if (!lane) this.lanes.set(target.id, (lane = { target, queue: [], busy: false }));
    lane.target = target;
    if (lane.queue.length >= this.maxQueue) {
      // The oldest not on its way right now makes room.
      const at = lane.busy ? 1 : 0;
      const [old] = lane.queue.splice(at, 1);
      if (at === 0 && lane.timer) {
        clearTimeout(lane.timer);
        lane.timer = undefined;
      }
      if (old)
        this.o.onDead(target.id, {
          delivery: old.delivery,
          attempts: old.failed,
          reason: `queue full (${this.maxQueue} waiting)${old.lastError ? `; last attempt: ${old.lastError}` : ''}`,
        });
    }
    lane.queue.push({ delivery, failed: 0 });
    this.pump(lane);
  }

  /** Deliveries waiting (or on their way) for this subscription. */
  pending(target: string): number {
    return this.lanes.get(target)?.queue.length ?? 0;
  }

  /** The subscription is gone: what it had waiting is dropped. */
  drop(target: string): void {
    const lane = this.lanes.get(target);
    if (!lane) return;
    this.lanes.delete(target);
    clearTimeout(lane.timer);
    lane.inflight?.destroy();
    lane.queue.length = 0;
  }

  close(): void {
    this.closed = true;
    for (const id of [...this.lanes.keys()]) this.drop(id);
  }

  private pump(lane: Lane): void {
    if (lane.busy || lane.timer || this.closed || lane.queue.length === 0) return;
    lane.busy = true;
    const item = lane.queue[0];
    this.attempt(lane, item.delivery).then((error) => {
      lane.busy = false;
      lane.inflight = undefined;
      if (this.lanes.get(lane.target.id) !== lane) return;
      this.o.onAttempt?.(lane.target.id, item.delivery, error ?? 'delivered');
      // A full lane may have made room by dropping this very delivery meanwhile.
      if (lane.queue[0] !== item) return this.pump(lane);
      if (error === undefined) {
        lane.queue.shift();
        return this.pump(lane);
      }
      item.failed++;
      item.lastError = error;
      if (item.failed >= this.retry.attempts) {
        lane.queue.shift();
        this.o.onDead(lane.target.id, { delivery: item.delivery, attempts: item.failed, reason: error });
        return this.pump(lane);
      }
      lane.timer = setTimeout(
        () => {
          lane.timer = undefined;
          this.pump(lane);
        },
        retryDelayMs(item.failed, this.retry, this.o.random),
      );
      lane.timer.unref();
    });
  }

  /** One attempt: undefined when the receiver took it (2xx), else why not. */
  private attempt(lane: Lane, d: Delivery): Promise<string | undefined> {
    const { url, secret } = lane.target;
    const allowPrivate = this.o.allowPrivate ?? false;
    const refused = refuseUrl(url, allowPrivate);
    if (refused) return Promise.resolve(refused);
    const t = Math.floor(this.o.nowS?.() ?? Date.now() / 1000);
    const u = new URL(url);
    const request = u.protocol === 'https:' ? httpsRequest : httpRequest;
    return new Promise((resolve) => {
      let settled = false;
      const done = (error: string | undefined) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        resolve(error);
      };
      const req = request(u, {
        method: 'POST',
        lookup: guardedLookup(allowPrivate) as never,
        headers: {
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(d.body),
          'user-agent': 'Detente-Webhooks/1',
          [SIGNATURE_HEADER]: signatureHeader(secret, d.body, t),
          [DELIVERY_HEADER]: d.id,
          [EVENT_HEADER]: d.type,
        },
      });
      lane.inflight = req;
      const timer = setTimeout(() => {
        done(`no answer within ${this.retry.timeoutMs} ms`);
        req.destroy();
      }, this.retry.timeoutMs);
      timer.unref();
      req.on('response', (res) => {
        // Redirects are not followed: the URL subscribed is the one delivered to.
        const status = res.statusCode ?? 0;
        res.resume();
        res.on('error', () => undefined);
        done(status >= 200 && status < 300 ? undefined : `HTTP ${status}`);
      });
      req.on('error', (e: NodeJS.ErrnoException) => done(e.code ? `${e.code}: ${e.message}` : e.message));
      req.end(d.body);
    });
  }
}
