// What an authenticated CoT connection is sent: the arrangement's zones once, then
// units and open findings as they change, as CoT for a TAK client's map. It is a
// subscriber of the deployment's bus like an event stream (a Sink), so what the actor
// gets is exactly what its event stream would carry: the bus's publishers decide, per
// actor, through the policy. A finding that closes, and a unit withdrawn, are re-sent
// already stale, which is how a TAK client is told to take a marker off its map.
import type { Finding } from '../../monitor/findings.ts';
import { subjectKey } from '../../monitor/findings.ts';
import type { CotEvent } from '../../interop/cot/event.ts';
import { findingPosition, findingsToCot } from '../../interop/cot/from-findings.ts';
import { type Affiliation, type UnitPosition, unitPosition, unitsToCot } from '../../interop/cot/from-units.ts';
import { writeEvent } from '../../interop/cot/write.ts';
import type { ArrangementFeatures } from '../../interop/zone-features.ts';
import type { Sink } from '../bus.ts';
import type { UnitView } from '../posture-view.ts';
import { framesToEvents } from './sse-frames.ts';

/** The socket, as far as the feed writes to it. */
export interface FeedSocket {
  write(chunk: string): boolean;
  readonly writableLength: number;
  readonly writableNeedDrain: boolean;
  readonly writableEnded: boolean;
  once(event: 'drain', listener: () => void): unknown;
  destroy(): void;
}

export interface FeedOptions {
  /** the connection's actor: its own units are friends on its map, the others unknown */
  actor: string;
  features: ArrangementFeatures;
  ruleText: (rule: string) => string | undefined;
  /** a finding whose units' positions are unknown here is placed at its zone, or left out */
  now: () => number;
}

type Withdrawn = { unit: string; actor: string; withdrawn: true };

function isOpen(f: Finding): boolean {
  return f.state === 'open' || f.state === 'overdue';
}

export class CotFeed implements Sink {
  /** units as last sent, by actor and id */
  private readonly units = new Map<string, UnitPosition>();
  /** open findings as last sent, by subject */
  private readonly open = new Map<string, Finding>();
  private readonly place: (f: Finding) => [number, number] | null;
  private readonly affiliation: (actor: string) => Affiliation;

  constructor(
    private readonly socket: FeedSocket,
    private readonly o: FeedOptions,
  ) {
    this.affiliation = (a) => (a === o.actor ? 'f' : 'u');
    this.place = findingPosition((unit, actor) => {
      if (actor !== undefined) {
        const u = this.units.get(`${actor}\0${unit}`);
        return u ? [u.lon, u.lat] : undefined;
      }
      for (const u of this.units.values()) if (u.unit === unit) return [u.lon, u.lat];
      return undefined;
    }, o.features);
  }

  // ---- Sink: the bus writes frames rendered for this actor ----------------------------

  write(chunk: Buffer): boolean {
    let out = '';
    for (const e of framesToEvents(chunk)) {
      if (e.type === 'posture') out += this.posture(e.data as { units: (UnitView | Withdrawn)[] });
      else if (e.type === 'finding') out += this.finding(e.data as Finding);
    }
    if (out !== '' && !this.socket.writableEnded) this.socket.write(out);
    return !this.socket.writableNeedDrain;
  }

  get writableLength(): number {
    return this.socket.writableLength;
  }

  once(event: 'drain', listener: () => void): unknown {
    return this.socket.once(event, listener);
  }

  destroy(): void {
    this.socket.destroy();
  }

  // ---- rendering -----------------------------------------------------------------------

  private posture(p: { units: (UnitView | Withdrawn)[] }): string {
    let out = '';
    for (const u of p.units) {
      const key = `${u.actor}\0${u.unit}`;
      if ('withdrawn' in u) {
        const last = this.units.get(key);
        this.units.delete(key);
        if (last) out += this.expired(unitsToCot([last], { affiliation: this.affiliation })[0]);
        continue;
      }
      const pos = unitPosition(u);
      this.units.set(key, pos);
      out += `${writeEvent(unitsToCot([pos], { affiliation: this.affiliation })[0])}\n`;
    }
    return out;
  }

  private finding(f: Finding): string {
    const key = subjectKey(f);
    if (isOpen(f)) {
      this.open.set(key, f);
      const [ev] = findingsToCot([f], { position: this.place, ruleText: this.o.ruleText });
      return ev ? `${writeEvent(ev)}\n` : '';
    }
    const was = this.open.get(key);
    if (!was) return '';
    this.open.delete(key);
    const [ev] = findingsToCot([was], { position: this.place, ruleText: this.o.ruleText });
    return ev ? this.expired({ ...ev, time: Math.max(ev.time, Date.parse(f.time)) }) : '';
  }

  /** The event again, stale from its own time on: a TAK client removes it. */
  private expired(ev: CotEvent): string {
    const t = Math.max(ev.time, Math.min(this.o.now(), ev.stale));
    return `${writeEvent({ ...ev, time: t, start: t, stale: t })}\n`;
  }
}
