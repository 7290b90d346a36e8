// A grid of moving tracks' swept extents, kept across reports: the engine's
// separation watch (monitor/separation.ts) asks it which of the other side's
// tracks could come within the minimum of a track over a window, and computes
// the exact conflict (cpa.ts) only for those. Extents and margins come from
// motion.ts, the model the conflicts are computed with, so the candidates are a
// superset of the conflicting pairs by construction (see reachMargins).

import { EXTENT, ROUNDING_M, reachMargins, sweptExtent, type Track } from './motion.ts';
import { EARTH_RADIUS_KM } from './sphere.ts';

const R = EARTH_RADIUS_KM * 1000;

export type MoverId = string | number;

export interface MoverGridOptions {
  /** Bucket size in km of latitude (default 50). */
  cellKm?: number;
}

/**
 * Incremental bucket grid of tracks' swept extents: update or remove a track by
 * id, each filed with the extent it sweeps over a window the caller names;
 * candidates() lists the tracks whose extent could come within a pair's minima
 * of another track's extent.
 */
export class MoverGrid<Id = MoverId> {
  private readonly cell: number; // radians, same in lon and lat
  private readonly slotOf = new Map<Id, number>();
  private ids: Id[] = [];
  private box = new Float64Array(64 * EXTENT);
  private cellRange = new Int32Array(64 * 4); // i0, i1, j0, j1; i0 > i1 when kept in `wide`
  private stamp = new Int32Array(64);
  private stampValue = 0;
  private free: number[] = [];
  private readonly cells = new Map<number, number[]>();
  /** Tracks whose extent spans too many cells (or is not finite): checked by every query. */
  private readonly wide = new Set<number>();
  /** largest |fix latitude| of any track ever filed (it only grows, which keeps it an upper bound) */
  private top = 0;
  private readonly query = new Float64Array(EXTENT);

  constructor(options: MoverGridOptions = {}) {
    const cellKm = options.cellKm ?? 50;
    if (!(cellKm > 0 && cellKm < Infinity)) throw new RangeError('cellKm must be a positive number');
    this.cell = (cellKm * 1000) / R;
  }

  get size(): number {
    return this.slotOf.size;
  }

  has(id: Id): boolean {
    return this.slotOf.has(id);
  }

  /** Files track k under id with the extent it sweeps over [from, to], replacing what was filed under id. */
  update(id: Id, k: Track, from: number, to: number): void {
    let s = this.slotOf.get(id);
    if (s !== undefined) this.unlink(s);
    else {
      s = this.free.length > 0 ? this.free.pop()! : this.ids.length;
      if (s >= this.stamp.length) this.grow();
      this.slotOf.set(id, s);
      this.ids[s] = id;
    }
    const box = this.box,
      b = s * EXTENT;
    sweptExtent(k, from, to, box, b);
    // (a track that is not finite can conflict with nothing: it does not widen the margins)
    const lat = Math.abs(k.lat);
    if (lat > this.top && lat < Infinity) this.top = lat;
    const r = this.cellRange,
      c = s * 4;
    const i0 = this.index(box[b]),
      i1 = this.index(box[b + 1]);
    const j0 = this.index(box[b + 2]),
      j1 = this.index(box[b + 3]);
    if (!((i1 - i0 + 1) * (j1 - j0 + 1) <= WIDE_CELLS) || box[b] !== box[b]) {
      r[c] = 1;
      r[c + 1] = 0;
      this.wide.add(s);
      return;
    }
    r[c] = i0;
    r[c + 1] = i1;
    r[c + 2] = j0;
    r[c + 3] = j1;
    for (let j = j0; j <= j1; j++) {
      for (let i = i0; i <= i1; i++) {
        const key = cellKey(i, j);
        const list = this.cells.get(key);
        if (list === undefined) this.cells.set(key, [s]);
        else list.push(s);
      }
    }
  }

  /** Removes a track; false if the id was not there. */
  remove(id: Id): boolean {
    const s = this.slotOf.get(id);
    if (s === undefined) return false;
    this.unlink(s);
    this.slotOf.delete(id);
    this.free.push(s);
    return true;
  }

  /**
   * Appends to out the ids of the tracks that could be closer than km
   * horizontally and (when both have an altitude) than m vertically to track k
   * at some instant of [from, to] that their own window also covers: a superset
   * of those that are (k itself included if it was filed).
   */
  candidates(k: Track, from: number, to: number, km: number, m: number, out: Id[] = []): Id[] {
    const q = this.query;
    sweptExtent(k, from, to, q, 0);
    // A track whose extent is not finite (NaN or infinite position or velocity) conflicts with nothing.
    if (q[0] !== q[0]) return out;
    const margin = reachMargins(km, Math.max(this.top, Math.abs(k.lat)));
    const x0 = q[0] - margin.lon,
      x1 = q[1] + margin.lon,
      y0 = q[2] - margin.lat,
      y1 = q[3] + margin.lat;
    // Altitudes are linear too, so their ranges over the windows bound them (and m is one minimum of the pair's).
    const mz = m + ROUNDING_M;
    const z0 = q[4] - mz,
      z1 = q[5] + mz;
    const sv = ++this.stampValue;
    const i0 = this.index(x0),
      i1 = this.index(x1),
      j0 = this.index(y0),
      j1 = this.index(y1);
    if ((i1 - i0 + 1) * (j1 - j0 + 1) > Math.max(WIDE_CELLS, this.cells.size)) {
      // Cheaper to look at every track than at every cell.
      for (const s of this.slotOf.values()) if (this.near(s, x0, x1, y0, y1, z0, z1)) out.push(this.ids[s]);
      return out;
    }
    const stamp = this.stamp;
    for (let j = j0; j <= j1; j++) {
      for (let i = i0; i <= i1; i++) {
        const list = this.cells.get(cellKey(i, j));
        if (list === undefined) continue;
        for (let n = 0; n < list.length; n++) {
          const s = list[n];
          if (stamp[s] === sv) continue;
          stamp[s] = sv;
          if (this.near(s, x0, x1, y0, y1, z0, z1)) out.push(this.ids[s]);
        }
      }
    }
    for (const s of this.wide) if (this.near(s, x0, x1, y0, y1, z0, z1)) out.push(this.ids[s]);
    return out;
  }

  /** Whether slot s's extent meets the grown query box (an extent that is not finite, all NaN, never does). */
  private near(s: number, x0: number, x1: number, y0: number, y1: number, z0: number, z1: number): boolean {
    const box = this.box,
      b = s * EXTENT;
    if (!(box[b] <= x1 && box[b + 1] >= x0 && box[b + 2] <= y1 && box[b + 3] >= y0)) return false;
    // both with an altitude: their ranges must come within m (NaN compares false: no altitude, no test)
    return !(box[b + 4] > z1 || box[b + 5] < z0);
  }

  private index(x: number): number {
    // Bounded so that the cell keys stay exact integers; NaN goes to cell 0.
    const v = Math.floor(x / this.cell);
    return v >= -1e6 ? (v <= 1e6 ? v : 1e6) : v < -1e6 ? -1e6 : 0;
  }

  private unlink(s: number): void {
    if (this.wide.delete(s)) return;
    const r = this.cellRange,
      c = s * 4;
    for (let j = r[c + 2]; j <= r[c + 3]; j++) {
      for (let i = r[c]; i <= r[c + 1]; i++) {
        const key = cellKey(i, j);
        const list = this.cells.get(key);
        if (list === undefined) continue;
        const k = list.indexOf(s);
        if (k >= 0) {
          list[k] = list[list.length - 1];
          list.pop();
        }
        if (list.length === 0) this.cells.delete(key);
      }
    }
  }

  private grow(): void {
    const n = this.stamp.length * 2;
    const box = new Float64Array(n * EXTENT);
    box.set(this.box);
    this.box = box;
    const cr = new Int32Array(n * 4);
    cr.set(this.cellRange);
    this.cellRange = cr;
    const st = new Int32Array(n);
    st.set(this.stamp);
    this.stamp = st;
  }
}

/** A mover whose extent covers more cells than this is kept in a list every query checks. */
const WIDE_CELLS = 256;

function cellKey(i: number, j: number): number {
  return (j + 1e6) * 4e6 + (i + 1e6);
}
