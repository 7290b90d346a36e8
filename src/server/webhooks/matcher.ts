// Which of a subscription's events a finding or a zone transition is. What reaches this
// has already been rendered for the subscriber by the policy (the same rendering its
// event stream gets); this only narrows it to what the subscription asked for.
import type { WebhookEvent } from './event-types.ts';

export interface Filters {
  events: readonly WebhookEvent[];
  /** only these zones (findings without a zone do not match) */
  zones?: readonly string[];
  /** only these unit ids (findings naming no unit do not match) */
  units?: readonly string[];
  /** zone.dwell: inside longer than this many seconds */
  dwell_s?: number;
}

/** A finding as the event stream renders it: the fields matching needs. */
export interface RenderedFinding {
  finding: string;
  state: string;
  zone?: string;
  units?: string[];
  actor?: string;
  missing?: string[];
}

function passes(f: Filters, zone: string | undefined, units: readonly string[] | undefined): boolean {
  if (f.zones && (zone === undefined || !f.zones.includes(zone))) return false;
  if (f.units && !(units ?? []).some((u) => f.units!.includes(u))) return false;
  return true;
}

/**
 * The events a finding transition is for this subscriber (`me`, the subscription's
 * actor). Open and overdue transitions open a finding, closed and fulfilled ones close
 * it (a commitment falling due is neither). An unacknowledged notice is also
 * `notice.unacknowledged` to the actor that gave it and to those that owed an
 * acknowledgement.
 */
export function findingEvents(f: Filters, me: string, x: RenderedFinding): WebhookEvent[] {
  if (!passes(f, x.zone, x.units)) return [];
  const out: WebhookEvent[] = [];
  if ((x.state === 'open' || x.state === 'overdue') && f.events.includes('finding.opened')) out.push('finding.opened');
  if ((x.state === 'closed' || x.state === 'fulfilled') && f.events.includes('finding.closed')) out.push('finding.closed');
  if (x.finding === 'unacknowledged' && x.state === 'open' && f.events.includes('notice.unacknowledged') && (x.actor === me || (x.missing ?? []).includes(me)))
    out.push('notice.unacknowledged');
  return out;
}

/** Whether a zone entry or exit is one of the subscription's events. */
export function zoneEventMatches(f: Filters, type: 'zone.entered' | 'zone.exited', zone: string, unit: string): boolean {
  return f.events.includes(type) && passes(f, zone, [unit]);
}

/** Whether a unit inside a zone since `since` has dwelt long enough at `now` (ms) for this subscription. */
export function dwellDue(f: Filters, zone: string, unit: string, since: number, now: number): boolean {
  return f.events.includes('zone.dwell') && f.dwell_s !== undefined && passes(f, zone, [unit]) && now - since >= f.dwell_s * 1000;
}
