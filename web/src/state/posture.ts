// The posture as this page knows it: the latest report per unit (GET …/posture, then
// `posture` events carrying the units that changed), and a history of positions for
// the timeline, one snapshot per second of arrival.
//
// Snapshots are kept compact because there may be thousands of units: each unit gets a
// fixed slot on first sight, and a snapshot is one Float32Array of lon/lat per slot
// (NaN where the unit was absent). At 5,000 units that is 40 kB a snapshot, and the
// history is capped, so memory stays bounded however long the page stays open.
import type { PostureChange, PostureView, UnitView } from '../api/types.ts';

export interface Unit {
  unit: string;
  actor: string;
  category: string | undefined;
  lon: number;
  lat: number;
  altitude_m: number | undefined;
  holdings: Record<string, number>;
  velocity: UnitView['velocity'];
  time: string;
}

export interface Snapshot {
  /** posture time, ms */
  time: number;
  /** lon, lat per slot (NaN, NaN where absent); slots past its length did not exist yet */
  coords: Float32Array;
}

/** Ten minutes of history at one snapshot a second. */
export const MAX_SNAPSHOTS = 600;

export class PostureStore {
  readonly units = new Map<string, Unit>();
  /** slot → unit id, and back: a unit keeps its slot for the page's life */
  readonly slots: string[] = [];
  private readonly slotOf = new Map<string, number>();
  private readonly actorOfSlot: string[] = [];
  readonly snapshots: Snapshot[] = [];
  /** latest posture time, ms */
  time = -Infinity;
  version = 0;
  private lastSnapshotWall = -Infinity;

  /** Replaces everything with a full posture (on load, and after reconnecting). */
  reset(p: PostureView): void {
    this.units.clear();
    this.apply(p);
  }

  /** Applies changed units; a unit with `withdrawn: true` leaves the posture. */
  apply(p: PostureView | PostureChange): void {
    for (const r of p.units) {
      if ('withdrawn' in r) {
        this.units.delete(r.unit);
        continue;
      }
      if (!Array.isArray(r.position) || r.position.length < 2) continue;
      this.units.set(r.unit, {
        unit: r.unit,
        actor: r.actor,
        category: r.category,
        lon: r.position[0],
        lat: r.position[1],
        altitude_m: r.altitude_m,
        holdings: r.holdings ?? {},
        velocity: r.velocity,
        time: r.time,
      });
      if (!this.slotOf.has(r.unit)) {
        this.slotOf.set(r.unit, this.slots.length);
        this.slots.push(r.unit);
        this.actorOfSlot.push(r.actor);
      }
    }
    // A posture read before any report has no time (null): it moves no clock.
    const t = p.time === null ? Number.NaN : Date.parse(p.time);
    if (Number.isFinite(t)) this.time = Math.max(this.time, t);
    this.version++;
    this.snapshot(performance.now());
  }

  actorOf(unit: string): string | undefined {
    const slot = this.slotOf.get(unit);
    return slot === undefined ? undefined : this.actorOfSlot[slot];
  }

  actorOfSlotIndex(slot: number): string {
    return this.actorOfSlot[slot];
  }

  /**
   * Records the posture as it stands. Within the same second of arrival the last
   * snapshot is replaced, so a burst of events costs one snapshot, not many.
   */
  private snapshot(wallMs: number): void {
    if (!Number.isFinite(this.time)) return;
    const coords = new Float32Array(this.slots.length * 2).fill(NaN);
    for (const u of this.units.values()) {
      const s = this.slotOf.get(u.unit)!;
      coords[s * 2] = u.lon;
      coords[s * 2 + 1] = u.lat;
    }
    const snap = { time: this.time, coords };
    if (wallMs - this.lastSnapshotWall < 1000 && this.snapshots.length > 0) {
      this.snapshots[this.snapshots.length - 1] = snap;
      return;
    }
    this.lastSnapshotWall = wallMs;
    this.snapshots.push(snap);
    if (this.snapshots.length > MAX_SNAPSHOTS) this.snapshots.splice(0, this.snapshots.length - MAX_SNAPSHOTS);
  }

  /** The latest snapshot at or before t (ms), or undefined if the history starts later. */
  snapshotAt(t: number): Snapshot | undefined {
    // Binary search: snapshots are in time order (posture time only moves forward).
    let lo = 0;
    let hi = this.snapshots.length - 1;
    let found: Snapshot | undefined;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (this.snapshots[mid].time <= t) {
        found = this.snapshots[mid];
        lo = mid + 1;
      } else hi = mid - 1;
    }
    return found;
  }

  /** Position of a unit in a snapshot, or undefined. */
  positionIn(snap: Snapshot, unit: string): [number, number] | undefined {
    const s = this.slotOf.get(unit);
    if (s === undefined || s * 2 >= snap.coords.length) return undefined;
    const lon = snap.coords[s * 2];
    return Number.isNaN(lon) ? undefined : [lon, snap.coords[s * 2 + 1]];
  }
}
