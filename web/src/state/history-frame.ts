// One window of the server's history, as fetched for the timeline: each unit's last known
// position at the window's start, every position reported from a trail's length before
// it to its end, and the findings open at its start with the transitions in it. Any
// moment inside the window is then answered here without asking the server again.
import { subjectKey } from '../../../src/monitor/findings.ts';
import type { BookedFindingView } from '../api/types.ts';

/** A position as GET …/history/positions and …/history/tracks give it (the fields the page uses). */
export interface HistoryPoint {
  unit: string;
  actor: string;
  category?: string;
  time: string;
  position: [number, number];
  altitude_m?: number;
  withdrawn?: true;
}

export interface PlacedUnit {
  unit: string;
  actor: string;
  lon: number;
  lat: number;
  /** present for aircraft (reported with an altitude) */
  altitude_m: number | undefined;
}

export interface FrameData {
  /** the window, ms: [from, to) */
  from: number;
  to: number;
  /** how far back a trail reaches, ms */
  trail: number;
  /** positions at `from` */
  positions: HistoryPoint[];
  /** positions reported in [from - trail, to], in record order */
  tracks: HistoryPoint[];
  /** findings open at `from` */
  open: BookedFindingView[];
  /** transitions dated in [from, to] */
  transitions: BookedFindingView[];
}

const keyOf = (p: { unit: string; actor: string }) => `${p.actor}\0${p.unit}`;
const OPEN = new Set(['open', 'overdue', 'due']);

export class HistoryFrame {
  /** track points after `from`, in time order (a later entry wins a tie, as on the server) */
  private readonly later: (HistoryPoint & { t: number })[];
  /** per unit, its track points in time order, for trails */
  private readonly byUnit = new Map<string, { actor: string; unit: string; points: { t: number; at: [number, number] }[] }>();
  private memo: { t: number; units: Map<string, PlacedUnit> } | undefined;

  constructor(readonly data: FrameData) {
    const timed = data.tracks.map((p) => ({ ...p, t: Date.parse(p.time) })).filter((p) => Number.isFinite(p.t));
    timed.sort((a, b) => a.t - b.t);
    this.later = timed.filter((p) => p.t > data.from);
    for (const p of timed) {
      if (p.withdrawn) continue;
      const k = keyOf(p);
      let u = this.byUnit.get(k);
      if (!u) this.byUnit.set(k, (u = { actor: p.actor, unit: p.unit, points: [] }));
      u.points.push({ t: p.t, at: p.position });
    }
  }

  covers(t: number): boolean {
    return t >= this.data.from && t < this.data.to;
  }

  /** Where every unit stood at t (within the window): the last position reported by then, none once withdrawn. */
  unitsAt(t: number): Map<string, PlacedUnit> {
    if (this.memo?.t === t) return this.memo.units;
    const byKey = new Map<string, HistoryPoint>();
    for (const p of this.data.positions) byKey.set(keyOf(p), p);
    for (const p of this.later) {
      if (p.t > t) break;
      if (p.withdrawn) byKey.delete(keyOf(p));
      else byKey.set(keyOf(p), p);
    }
    // The map asks by unit id; two actors using one id is the arrangement's edge case, and the later wins.
    const units = new Map<string, PlacedUnit>();
    for (const p of byKey.values()) units.set(p.unit, { unit: p.unit, actor: p.actor, lon: p.position[0], lat: p.position[1], altitude_m: p.altitude_m });
    this.memo = { t, units };
    return units;
  }

  /** Each unit's path over [t - trail, t], ending where it stands at t; only paths of two points or more. */
  trailsAt(t: number): { unit: string; actor: string; line: [number, number][] }[] {
    const here = this.unitsAt(t);
    const out: { unit: string; actor: string; line: [number, number][] }[] = [];
    for (const u of this.byUnit.values()) {
      const now = here.get(u.unit);
      if (!now || now.actor !== u.actor) continue;
      const line = u.points.filter((p) => p.t >= t - this.data.trail && p.t <= t).map((p) => p.at);
      const last = line[line.length - 1];
      if (!last || last[0] !== now.lon || last[1] !== now.lat) line.push([now.lon, now.lat]);
      if (line.length >= 2) out.push({ unit: u.unit, actor: u.actor, line });
    }
    return out;
  }

  /** The findings open at t: per subject, its latest transition by then, if that left it open. */
  findingsAt(t: number): BookedFindingView[] {
    const last = new Map<string, BookedFindingView>();
    for (const b of this.data.open) last.set(subjectKey(b), b);
    for (const b of this.data.transitions) if (Date.parse(b.time) <= t) last.set(subjectKey(b), b);
    return [...last.values()].filter((b) => OPEN.has(b.state)).sort((a, b) => a.seq - b.seq);
  }
}
