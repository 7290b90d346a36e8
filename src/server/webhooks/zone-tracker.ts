// Which zones each unit an actor can see is in, as that actor sees it: from the posture
// the actor's own event stream is sent (full or coarsened positions, per the disclosure
// policy), so a zone event never tells more than that stream. Entry and exit are the
// differences between one posture and the next; a unit first seen inside a zone has
// entered it, a unit withdrawn has left every zone it was in.
import type { ZoneSet } from '../../arrangement/zones.ts';
import type { UnitView, WithdrawnUnit } from '../posture-view.ts';

export interface ZoneTransition {
  type: 'zone.entered' | 'zone.exited';
  zone: string;
  unit: string;
  actor: string;
  /** the posture's time when it was seen (ms) */
  at: number;
  /** the unit as the subscriber sees it (absent for a withdrawn unit) */
  view?: UnitView;
}

export interface Inside {
  zone: string;
  unit: string;
  actor: string;
  /** when the unit was first seen inside (ms, posture time) */
  since: number;
  view: UnitView;
}

interface Tracked {
  view: UnitView;
  /** zone id → since (ms) */
  zones: Map<string, number>;
}

const key = (actor: string, unit: string) => `${actor}\0${unit}`;

export class ZoneTracker {
  private readonly units = new Map<string, Tracked>();
  private readonly inside: Uint8Array;

  constructor(private readonly zones: ZoneSet) {
    this.inside = new Uint8Array(zones.size);
  }

  /** Takes units as they are now without events: what was already inside before anyone subscribed has not just entered. */
  seed(units: readonly UnitView[], at: number): void {
    for (const v of units) this.units.set(key(v.actor, v.unit), { view: v, zones: new Map(this.zonesOf(v).map((z) => [z, at])) });
  }

  /** A posture change (the units that moved or left) at posture time `at`: the transitions it makes. */
  apply(units: readonly (UnitView | WithdrawnUnit)[], at: number): ZoneTransition[] {
    const out: ZoneTransition[] = [];
    for (const u of units) {
      const k = key(u.actor, u.unit);
      const before = this.units.get(k);
      if ('withdrawn' in u) {
        if (!before) continue;
        for (const zone of before.zones.keys()) out.push({ type: 'zone.exited', zone, unit: u.unit, actor: u.actor, at });
        this.units.delete(k);
        continue;
      }
      const now = new Set(this.zonesOf(u));
      const zones = new Map<string, number>();
      for (const [zone, since] of before?.zones ?? []) {
        if (now.has(zone)) zones.set(zone, since);
        else out.push({ type: 'zone.exited', zone, unit: u.unit, actor: u.actor, at, view: u });
      }
      for (const zone of now) {
        if (zones.has(zone)) continue;
        zones.set(zone, at);
        out.push({ type: 'zone.entered', zone, unit: u.unit, actor: u.actor, at, view: u });
      }
      this.units.set(k, { view: u, zones });
    }
    return out;
  }

  /** Every unit inside a zone now, with since when. */
  *occupancy(): Iterable<Inside> {
    for (const t of this.units.values()) for (const [zone, since] of t.zones) yield { zone, unit: t.view.unit, actor: t.view.actor, since, view: t.view };
  }

  private zonesOf(v: UnitView): string[] {
    const [lon, lat] = v.position;
    this.zones.locate(lon, lat, v.altitude_m ?? null, this.inside);
    const out: string[] = [];
    for (let z = 0; z < this.inside.length; z++) if (this.inside[z]) out.push(this.zones.zones[z].id);
    return out;
  }
}
