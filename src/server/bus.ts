// Live events for subscribers, each rendered for its subscriber as the policy lets
// it see (or not sent at all). The decision is the publisher's, taken through the
// policy module; the bus only fans out.
import type { Actor } from '../policy/policy.ts';

export interface BusEvent {
  /** SSE event name: finding, talks, posture, checkpoint */
  type: string;
  /** the event's data as this actor may see it, or undefined to send it nothing */
  render: (actor: Actor) => unknown;
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

  get listening(): boolean {
    return this.subs.size > 0;
  }

  publish(e: BusEvent): void {
    for (const s of this.subs) {
      const data = e.render(s.actor);
      if (data !== undefined) s.send(e.type, data);
    }
  }
}
