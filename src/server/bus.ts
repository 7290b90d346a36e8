// Live events for subscribers, each delivered only where the policy lets its
// subscriber see it. The decision is the caller's (a `may` per event), taken
// through the policy module; the bus only fans out.
import type { Actor } from '../policy/policy.ts';

export interface BusEvent {
  /** SSE event name: finding, talks, checkpoint */
  type: string;
  data: unknown;
  /** who may receive it */
  may: (actor: Actor) => boolean;
}

export interface Subscriber {
  actor: Actor;
  send: (type: string, data: unknown) => void;
}

export class Bus {
  private readonly subs = new Set<Subscriber>();

  subscribe(s: Subscriber): () => void {
    this.subs.add(s);
    return () => this.subs.delete(s);
  }

  publish(e: BusEvent): void {
    for (const s of this.subs) if (e.may(s.actor)) s.send(e.type, e.data);
  }
}
