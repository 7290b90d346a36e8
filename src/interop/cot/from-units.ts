// Units of a posture as CoT atoms for a TAK client's map: where each unit was
// last reported, moving if it was tracked.
import { type CotEvent, UNKNOWN, type XmlElement } from './event.ts';
import { decimal, el } from './write.ts';

/** A unit's last position, as the monitor's observation and track reports hold it. */
export interface UnitPosition {
  unit: string;
  actor: string;
  category: string;
  lon: number;
  lat: number;
  alt: number | null;
  velocity: { ve: number; vn: number; vu: number } | null;
  /** when it was reported (ms since the epoch) */
  time: number;
}

/** A unit as the server shows it (a posture's unit, a history point): where, how fast, when. */
export interface ShownUnit {
  unit: string;
  actor: string;
  category: string;
  position: readonly [number, number] | number[];
  altitude_m?: number;
  velocity?: { east_mps: number; north_mps: number; up_mps: number };
  time: string;
}

/** The encoder's position of a unit the server shows. */
export function unitPosition(u: ShownUnit): UnitPosition {
  const v = u.velocity;
  return {
    unit: u.unit,
    actor: u.actor,
    category: u.category,
    lon: u.position[0],
    lat: u.position[1],
    alt: u.altitude_m ?? null,
    velocity: v ? { ve: v.east_mps, vn: v.north_mps, vu: v.up_mps } : null,
    time: Date.parse(u.time),
  };
}

/** MIL-STD-2525 affiliation as CoT's second atom: friend, hostile, neutral, unknown. */
export type Affiliation = 'f' | 'h' | 'n' | 'u';

export interface UnitOptions {
  /** how the viewer sees each actor (default: unknown, since the same file may go to either party) */
  affiliation?: (actor: string) => Affiliation;
  /** how long after its report a unit's position goes stale on the map (default 1 hour) */
  staleMs?: number;
}

/** One a-…-G (or -A for air categories) atom per unit, uid `detente.ACTOR.UNIT`. */
export function unitsToCot(units: Iterable<UnitPosition>, o: UnitOptions = {}): CotEvent[] {
  const out: CotEvent[] = [];
  for (const u of units) {
    const aff = o.affiliation?.(u.actor) ?? 'u';
    const dim = /air/i.test(u.category) ? 'A' : 'G';
    const detail: XmlElement[] = [el('contact', { callsign: u.unit }), el('__group', { name: u.actor, role: 'Team Member' })];
    if (u.velocity) {
      const speed = Math.hypot(u.velocity.ve, u.velocity.vn);
      const course = ((Math.atan2(u.velocity.ve, u.velocity.vn) * 180) / Math.PI + 360) % 360;
      detail.push(el('track', { speed: decimal(speed), course: decimal(course) }));
    }
    detail.push(el('remarks', {}, [], `${u.actor} ${u.category} unit ${u.unit}`));
    out.push({
      version: '2.0',
      uid: `detente.${u.actor}.${u.unit}`,
      type: `a-${aff}-${dim}`,
      how: 'm-g',
      time: u.time,
      start: u.time,
      stale: u.time + (o.staleMs ?? 3_600_000),
      point: { lat: u.lat, lon: u.lon, hae: u.alt ?? UNKNOWN, ce: UNKNOWN, le: UNKNOWN },
      detail,
    });
  }
  return out;
}
