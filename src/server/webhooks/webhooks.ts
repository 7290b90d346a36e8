// Webhooks: each actor's subscriptions, fed from the event bus as that actor's own
// event stream is (one bus stream per actor with a subscription, rendered by the
// policy for it), matched against each subscription's events and filters, signed, and
// handed to the dispatcher, which delivers off the engine's turn. Subscriptions are
// kept in the data directory and picked up again on start.
import { randomBytes, randomUUID } from 'node:crypto';
import type { Arrangement } from '../../arrangement/compile.ts';
import { formatTime, parseTime } from '../../arrangement/time.ts';
import type { Actor } from '../../policy/policy.ts';
import type { Bus, Sink, Stream } from '../bus.ts';
import { BadRequest, Conflict, NotFound } from '../errors.ts';
import type { UnitView, WithdrawnUnit } from '../posture-view.ts';
import type { RetryPolicy } from './backoff.ts';
import { type Delivery, Dispatcher } from './dispatcher.ts';
import { WEBHOOK_LIMITS, type WebhookEvent } from './event-types.ts';
import { dwellDue, type Filters, findingEvents, type RenderedFinding, zoneEventMatches } from './matcher.ts';
import { parseFrames } from './sse-frames.ts';
import { newSecret } from './signer.ts';
import { type DeadLetter, type Subscription, SubscriptionStore } from './subscription-store.ts';
import { refuseUrl } from './url-guard.ts';
import { ZoneTracker } from './zone-tracker.ts';

/** What webhooks need of the deployment. */
export interface WebhookHost {
  readonly id: string;
  readonly bus: Bus;
  readonly actors: ReadonlyMap<string, Actor>;
  readonly arrangement: Arrangement;
  posture(actor: Actor): { time: string | null; units: UnitView[] };
}

export interface WebhookOptions {
  /** deliver to loopback and private addresses (`--webhook-allow-private`; tests need loopback) */
  allowPrivate?: boolean;
  retry?: Partial<RetryPolicy>;
  /** deliveries waiting per subscription before the oldest goes to the dead letters */
  maxQueue?: number;
  /** dead letters kept per subscription (the oldest go first) */
  maxDeadLetters?: number;
  /** every attempt (tests, logs) */
  onAttempt?: (subscription: string, delivery: Delivery, outcome: string) => void;
}

export interface NewSubscription extends Filters {
  url: string;
}

/** A subscription as its owner is shown it (the secret only once, at creation). */
export interface SubscriptionView extends Filters {
  id: string;
  url: string;
  created: string;
  pending: number;
  dead_letters: number;
}

export interface Payload {
  id: string;
  type: WebhookEvent;
  arrangement: string;
  /** when the delivery was made (server wall clock, RFC 3339) */
  created: string;
  data: unknown;
}

/** One actor's feed: its bus stream and the zones its units are in as it sees them. */
interface Feed {
  actor: Actor;
  stream: Stream;
  tracker: ZoneTracker;
  /** subscription id → dwell events sent (unit, zone, since), so each stay is reported once */
  dwelt: Map<string, Set<string>>;
}

export class Webhooks {
  readonly dispatcher: Dispatcher;
  private readonly store: SubscriptionStore;
  private readonly feeds = new Map<string, Feed>();
  private readonly allowPrivate: boolean;

  /** `file`: where subscriptions are kept (none: in memory only). */
  constructor(
    private readonly host: WebhookHost,
    file: string | undefined,
    o: WebhookOptions = {},
  ) {
    this.allowPrivate = o.allowPrivate ?? false;
    this.store = new SubscriptionStore(file, o.maxDeadLetters);
    this.dispatcher = new Dispatcher({
      retry: o.retry,
      maxQueue: o.maxQueue,
      allowPrivate: this.allowPrivate,
      onAttempt: o.onAttempt,
      onDead: (sid, f) =>
        this.store.addDead(sid, {
          delivery: f.delivery.id,
          type: f.delivery.type,
          reason: f.reason,
          attempts: f.attempts,
          failed: new Date().toISOString(),
          payload: JSON.parse(f.delivery.body),
        }),
    });
    for (const s of this.store.all()) {
      const actor = host.actors.get(s.actor);
      if (actor) this.feedOf(actor);
    }
  }

  // ---- the routes' ---------------------------------------------------------------

  create(actor: Actor, input: NewSubscription): SubscriptionView & { secret: string } {
    const why = refuseUrl(input.url, this.allowPrivate);
    if (why) throw new BadRequest(`url: ${why}`, [{ path: 'url', message: why }]);
    const known = this.host.arrangement.zoneSet.byId;
    input.zones?.forEach((z, i) => {
      if (!known.has(z)) throw new BadRequest(`zones[${i}]: unknown zone "${z}"`, [{ path: `zones[${i}]`, message: `unknown zone "${z}"` }]);
    });
    const dwell = input.events.includes('zone.dwell');
    if (dwell !== (input.dwell_s !== undefined)) {
      const message = dwell ? 'zone.dwell needs dwell_s, the seconds a unit stays before it is reported' : 'dwell_s is only for zone.dwell';
      throw new BadRequest(`dwell_s: ${message}`, [{ path: 'dwell_s', message }]);
    }
    if (this.store.ofActor(actor.id).length >= WEBHOOK_LIMITS.perActor)
      throw new Conflict(`${actor.id} already has ${WEBHOOK_LIMITS.perActor} webhook subscriptions; delete one first`, 'url');
    const s: Subscription = {
      id: `wh-${randomBytes(8).toString('hex')}`,
      actor: actor.id,
      url: input.url,
      events: [...new Set(input.events)],
      ...(input.zones ? { zones: [...new Set(input.zones)] } : {}),
      ...(input.units ? { units: [...new Set(input.units)] } : {}),
      ...(input.dwell_s !== undefined ? { dwell_s: input.dwell_s } : {}),
      secret: newSecret(),
      created: new Date().toISOString(),
    };
    this.store.add(s);
    this.feedOf(actor);
    return { ...this.view(s), secret: s.secret };
  }

  list(actor: Actor): SubscriptionView[] {
    return this.store.ofActor(actor.id).map((s) => this.view(s));
  }

  /** Deletes the caller's own subscription; another's is not found, as an unknown one. */
  remove(actor: Actor, sid: string): void {
    this.own(actor, sid);
    this.store.remove(sid);
    this.dispatcher.drop(sid);
    const feed = this.feeds.get(actor.id);
    feed?.dwelt.delete(sid);
    if (feed && this.store.ofActor(actor.id).length === 0) {
      feed.stream.close();
      this.feeds.delete(actor.id);
    }
  }

  deadLetters(actor: Actor, sid: string): DeadLetter[] {
    return this.store.deadLetters(this.own(actor, sid).id);
  }

  /** Sends a dead letter again, as it was (same delivery id, freshly signed), with a full set of attempts. */
  retry(actor: Actor, sid: string, n: number): void {
    const s = this.own(actor, sid);
    const letter = this.store.takeDead(s.id, n);
    if (!letter) throw new NotFound(`no dead letter ${n} in ${sid}`, 'n');
    this.dispatcher.send(s, { id: letter.delivery, type: letter.type, body: JSON.stringify(letter.payload) });
  }

  close(): void {
    for (const f of this.feeds.values()) f.stream.close();
    this.feeds.clear();
    this.dispatcher.close();
    this.store.close();
  }

  private own(actor: Actor, sid: string): Subscription {
    const s = this.store.get(sid);
    if (!s || s.actor !== actor.id) throw new NotFound(`no webhook subscription "${sid}" of ${actor.id}`, 'sid');
    return s;
  }

  private view(s: Subscription): SubscriptionView {
    const { secret: _, actor: _a, ...rest } = s;
    return { ...rest, pending: this.dispatcher.pending(s.id), dead_letters: this.store.deadLetters(s.id).length };
  }

  // ---- from the bus ----------------------------------------------------------------

  private feedOf(actor: Actor): Feed {
    const had = this.feeds.get(actor.id);
    if (had) return had;
    const tracker = new ZoneTracker(this.host.arrangement.zoneSet);
    // Units inside zones already are where they were: only what changes from now is sent.
    const now = this.host.posture(actor);
    tracker.seed(now.units, now.time ? parseTime(now.time) : 0);
    const feed: Feed = { actor, tracker, dwelt: new Map(), stream: undefined as unknown as Stream };
    const sink: Sink = {
      write: (chunk) => {
        this.take(feed, chunk);
        return true;
      },
      writableLength: 0,
      once: () => undefined,
      destroy: () => undefined,
    };
    feed.stream = this.host.bus.subscribe(actor, `webhooks\0${actor.id}`, sink);
    this.feeds.set(actor.id, feed);
    return feed;
  }

  private take(feed: Feed, chunk: Buffer): void {
    const subs = this.store.ofActor(feed.actor.id);
    if (subs.length === 0) return;
    for (const e of parseFrames(chunk)) {
      if (e.type === 'finding') {
        const f = e.data as RenderedFinding;
        for (const s of subs) for (const type of findingEvents(s, feed.actor.id, f)) this.deliver(s, type, f);
      } else if (e.type === 'posture') {
        const p = e.data as { time: string; units: (UnitView | WithdrawnUnit)[] };
        const at = parseTime(p.time);
        for (const t of feed.tracker.apply(p.units, at)) {
          const data = { zone: t.zone, unit: t.unit, actor: t.actor, time: p.time, ...seen(t.view) };
          for (const s of subs) if (zoneEventMatches(s, t.type, t.zone, t.unit)) this.deliver(s, t.type, data);
          if (t.type === 'zone.exited') for (const d of feed.dwelt.values()) d.delete(`${t.actor}\0${t.unit}\0${t.zone}`);
        }
        this.dwell(feed, subs, at, p.time);
      }
    }
  }

  /** Units inside a zone for longer than a subscription's dwell_s, once per stay, checked whenever the posture moves. */
  private dwell(feed: Feed, subs: Subscription[], at: number, time: string): void {
    const dwellers = subs.filter((s) => s.dwell_s !== undefined);
    if (dwellers.length === 0) return;
    for (const i of feed.tracker.occupancy()) {
      const k = `${i.actor}\0${i.unit}\0${i.zone}`;
      for (const s of dwellers) {
        let sent = feed.dwelt.get(s.id);
        if (sent?.has(k) || !dwellDue(s, i.zone, i.unit, i.since, at)) continue;
        if (!sent) feed.dwelt.set(s.id, (sent = new Set()));
        sent.add(k);
        this.deliver(s, 'zone.dwell', {
          zone: i.zone,
          unit: i.unit,
          actor: i.actor,
          time,
          since: formatTime(i.since),
          dwell_s: s.dwell_s,
          ...seen(i.view),
        });
      }
    }
  }

  private deliver(s: Subscription, type: WebhookEvent, data: unknown): void {
    const payload: Payload = { id: `dlv-${randomUUID()}`, type, arrangement: this.host.id, created: new Date().toISOString(), data };
    this.dispatcher.send(s, { id: payload.id, type, body: JSON.stringify(payload) });
  }
}

/** A unit in a zone event as the subscriber sees it: where, when reported, coarsened or not; or withdrawn. */
function seen(v: UnitView | undefined) {
  if (!v) return { withdrawn: true };
  return { category: v.category, position: v.position, reported: v.time, ...(v.coarse ? { coarse: v.coarse } : {}) };
}
