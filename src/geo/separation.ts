// All conflicting pairs between two groups of movers, without testing all pairs.
//
// The window [now, now + horizon] is cut into K slices, K chosen so that the
// fastest mover covers about two separation minima per slice (the best trade
// between box size and slice count, measured). In each slice a mover sweeps a
// small lon/lat box; a pair can only conflict in a slice where its boxes come
// within the minimum (grown for the pair's metric, see below) and, when both
// have an altitude, their altitude ranges come within m. Group b's grown boxes
// are bucketed in uniform grids — lon × lat × altitude for movers with an
// altitude, lon × lat for those without — and each mover of group a looks up
// the cells its box covers (one without altitude looks in a lon × lat table of
// all of b). A pair is tested with the exact pairCore() only in the first slice
// of each run of slices where its boxes overlap; the results are sorted by
// (i, j) and deduplicated, so they are identical to the all-pairs loop.
//
// Why the pruning is safe: a conflict at time τ means R·cos φm·|Δlon(τ)| < km and
// R·|Δlat(τ)| < km (cpa.ts), with φm the mean fix latitude; cos φm is at least the
// cosine of the largest |latitude| any of these movers reaches, which gives the
// lon margin. Margins are widened by a relative 1e-9 against rounding.

import { EARTH_RADIUS_KM } from './sphere.ts';
import { MSTRIDE, clip, deriveMover, pairCore, pairOut, type Approach, type Mover } from './cpa.ts';

const R = EARTH_RADIUS_KM * 1000;
const RAD = Math.PI / 180;
const MAX_SLICES = 32;

export interface PairConflict {
  /** index in the first group */
  i: number;
  /** index in the second group */
  j: number;
  from: number;
  to: number;
  at: Approach;
}

function derive(movers: Mover[]): { d: Float64Array; t: Float64Array } {
  const d = new Float64Array(movers.length * MSTRIDE);
  const t = new Float64Array(movers.length);
  for (let k = 0; k < movers.length; k++) deriveMover(movers[k], d, t, k);
  return { d, t };
}

function checkWindow(horizonS: number): void {
  if (!(horizonS >= 0)) throw new RangeError('horizonS must be a non-negative number');
}

/** Reference: tests every pair (i of a, j of b), in order. */
export function conflictingPairsBruteForce(a: Mover[], b: Mover[], now: number, horizonS: number, km: number, m: number): PairConflict[] {
  checkWindow(horizonS);
  const A = derive(a),
    B = derive(b);
  const out: PairConflict[] = [];
  const end = now + horizonS,
    kmM = km * 1000;
  for (let i = 0; i < a.length; i++) {
    for (let j = 0; j < b.length; j++) {
      if (!pairCore(A.d, A.t, i, B.d, B.t, j, kmM, m)) continue;
      const c = clip(now, end);
      if (c !== null) out.push({ i, j, from: c.from, to: c.to, at: c.at });
    }
  }
  return out;
}

/**
 * Every pair (i of a, j of b) that conflicts within [now, now + horizonS]: closer
 * than km horizontally and, when both have an altitude, than m vertically. Same
 * result, in the same order, as conflictingPairsBruteForce.
 */
export function conflictingPairs(a: Mover[], b: Mover[], now: number, horizonS: number, km: number, m: number): PairConflict[] {
  checkWindow(horizonS);
  if (a.length === 0 || b.length === 0 || !(km > 0)) return [];
  // Slicing needs a finite window; an unbounded one is left to the plain loop.
  if (!Number.isFinite(now + horizonS)) return conflictingPairsBruteForce(a, b, now, horizonS, km, m);
  return new PairSearch(a, b, now, horizonS, km * 1000, m).run();
}

/** One run of conflictingPairs; its state lives in fields so that the hot loops allocate nothing. */
class PairSearch {
  private readonly nA: number;
  private readonly nB: number;
  private readonly A: Float64Array;
  private readonly tA: Float64Array;
  private readonly B: Float64Array;
  private readonly tB: Float64Array;
  private readonly end: number;
  private readonly K: number;
  private readonly mLat: number;
  private readonly mLon: number;
  private readonly mAlt: number;
  // slice boxes [lon0, lon1, lat0, lat1, alt0, alt1] per mover (b's grown by the margins)
  private curA: Float64Array;
  private prevA: Float64Array;
  private curB: Float64Array;
  private prevB: Float64Array;
  private slice = 0;
  private readonly stamp: Int32Array;
  private stampValue = 0;
  private readonly found: number[] = [];
  // grid geometry of the current slice
  private gx0 = 0;
  private gy0 = 0;
  private gz0 = 0;
  private gx1 = 0;
  private gy1 = 0;
  private invW = 0;
  private invH = 0;
  private invZ = 0;
  private nx = 1;
  private ny = 1;
  private nz = 1;
  // three bucket tables over b: movers with altitude (3-D), without (2-D), all (2-D)
  private alt = new Grid();
  private noAlt = new Grid();
  private all = new Grid();
  private readonly aWithAlt: boolean;
  private readonly aWithoutAlt: boolean;

  constructor(
    a: Mover[],
    b: Mover[],
    private readonly now: number,
    private readonly horizonS: number,
    private readonly kmM: number,
    private readonly m: number,
  ) {
    this.nA = a.length;
    this.nB = b.length;
    const A = derive(a),
      B = derive(b);
    this.A = A.d;
    this.tA = A.t;
    this.B = B.d;
    this.tB = B.t;
    this.end = now + horizonS;
    // Slices, and the largest |latitude| reached (for the lon margin).
    let vmax = 0,
      top = 0;
    for (const g of [a, b]) {
      for (const mv of g) {
        const v = Math.sqrt(mv.ve * mv.ve + mv.vn * mv.vn);
        if (v > vmax) vmax = v;
      }
    }
    for (const [d, t] of [
      [A.d, A.t],
      [B.d, B.t],
    ]) {
      for (let k = 0; k < t.length; k++) {
        const o = k * MSTRIDE;
        const l0 = Math.abs(d[o + 1] + d[o + 5] * (now - t[k]));
        const l1 = Math.abs(d[o + 1] + d[o + 5] * (this.end - t[k]));
        const l = Math.max(l0, l1, Math.abs(d[o + 1]));
        // (a mover that is not finite can conflict with nothing: it does not widen the margins)
        if (l > top && l < Infinity) top = l;
      }
    }
    this.K = horizonS > 0 && vmax > 0 ? Math.min(MAX_SLICES, Math.max(1, Math.ceil((vmax * horizonS) / (2 * kmM)))) : 1;
    this.mLat = (kmM / R) * (1 + 1e-9) + 1e-15;
    this.mLon = top < 89.999 * RAD ? this.mLat / Math.cos(top) : Infinity;
    this.mAlt = m * (1 + 1e-9) + 1e-9;
    this.curA = new Float64Array(this.nA * 6);
    this.prevA = new Float64Array(this.nA * 6);
    this.curB = new Float64Array(this.nB * 6);
    this.prevB = new Float64Array(this.nB * 6);
    this.stamp = new Int32Array(this.nB).fill(-1);
    let withAlt = 0;
    for (const mv of a) if (mv.alt !== null && mv.alt === mv.alt && Number.isFinite(mv.vu)) withAlt++; // as in deriveMover
    this.aWithAlt = withAlt > 0;
    this.aWithoutAlt = withAlt < this.nA;
  }

  run(): PairConflict[] {
    const { now, horizonS, K, end, nA, nB } = this;
    for (let s = 0; s < K; s++) {
      this.slice = s;
      const t0 = now + (horizonS * s) / K;
      const t1 = s === K - 1 ? end : now + (horizonS * (s + 1)) / K;
      sliceBoxes(this.A, this.tA, nA, t0, t1, 0, 0, 0, this.curA);
      sliceBoxes(this.B, this.tB, nB, t0, t1, this.mLon, this.mLat, this.mAlt, this.curB);
      this.buildGrids();
      this.queryAll();
      let tmp = this.prevA;
      this.prevA = this.curA;
      this.curA = tmp;
      tmp = this.prevB;
      this.prevB = this.curB;
      this.curB = tmp;
    }
    // Order as the all-pairs loop (bucket by i, sort each bucket by j), drop repeats, build the results.
    const found = this.found;
    const n = found.length / 2;
    const first = new Int32Array(nA + 1);
    for (let k = 0; k < n; k++) first[found[2 * k] + 1]++;
    for (let i = 0; i < nA; i++) first[i + 1] += first[i];
    const js = new Int32Array(n);
    const slot = first.slice(0, nA);
    for (let k = 0; k < n; k++) js[slot[found[2 * k]]++] = found[2 * k + 1];
    const out: PairConflict[] = [];
    for (let i = 0; i < nA; i++) {
      const f = first[i],
        e = first[i + 1];
      if (f === e) continue;
      if (e - f > 1) js.subarray(f, e).sort();
      for (let k = f; k < e; k++) {
        const j = js[k];
        if (k > f && j === js[k - 1]) continue;
        pairCore(this.A, this.tA, i, this.B, this.tB, j, this.kmM, this.m);
        const c = clip(now, end)!;
        out.push({ i, j, from: c.from, to: c.to, at: c.at });
      }
    }
    return out;
  }

  /** Grid geometry over b's grown boxes (cells about the mean box size), then the three tables. */
  private buildGrids(): void {
    const cur = this.curB,
      nB = this.nB;
    let gx0 = Infinity,
      gy0 = Infinity,
      gz0 = Infinity,
      gx1 = -Infinity,
      gy1 = -Infinity,
      gz1 = -Infinity;
    let sw = 0,
      sh = 0,
      sz = 0,
      nz0 = 0,
      nxy = 0;
    for (let j = 0; j < nB; j++) {
      const o = j * 6;
      if (cur[o] !== cur[o]) continue;
      nxy++;
      if (cur[o] < gx0) gx0 = cur[o];
      if (cur[o + 1] > gx1) gx1 = cur[o + 1];
      if (cur[o + 2] < gy0) gy0 = cur[o + 2];
      if (cur[o + 3] > gy1) gy1 = cur[o + 3];
      sw += cur[o + 1] - cur[o];
      sh += cur[o + 3] - cur[o + 2];
      if (cur[o + 4] === cur[o + 4]) {
        if (cur[o + 4] < gz0) gz0 = cur[o + 4];
        if (cur[o + 5] > gz1) gz1 = cur[o + 5];
        sz += cur[o + 5] - cur[o + 4];
        nz0++;
      }
    }
    const W = gx1 - gx0,
      H = gy1 - gy0,
      Z = gz1 - gz0;
    let nx = 1,
      ny = 1,
      nz = 1;
    if (Number.isFinite(W) && Number.isFinite(H)) {
      const cw = Math.max(sw / nxy, W / 1024, 1e-12),
        ch = Math.max(sh / nxy, H / 1024, 1e-12);
      nx = Math.max(1, Math.min(1024, Math.ceil(W / cw)));
      ny = Math.max(1, Math.min(1024, Math.ceil(H / ch)));
    }
    if (nz0 > 0 && Number.isFinite(Z)) nz = Math.max(1, Math.min(64, Math.ceil(Z / Math.max(sz / nz0, Z / 64, 1e-9))));
    // Keep the tables small: at most ~8 cells per mover of b.
    while (nx * ny * nz > 8 * nB + 64) {
      if (nz > 1 && nz * nz >= (nx * ny) / 4) nz = Math.ceil(nz / 2);
      else {
        nx = Math.ceil(nx / 2);
        ny = Math.ceil(ny / 2);
      }
    }
    this.gx0 = gx0;
    this.gy0 = gy0;
    this.gz0 = gz0;
    this.gx1 = gx1;
    this.gy1 = gy1;
    this.nx = nx;
    this.ny = ny;
    this.nz = nz;
    this.invW = nx > 1 ? nx / W : 0;
    this.invH = ny > 1 ? ny / H : 0;
    this.invZ = nz > 1 ? nz / Z : 0;
    if (this.aWithAlt) {
      this.fill(this.alt, 1, nz);
      this.fill(this.noAlt, 2, 1);
    }
    if (this.aWithoutAlt) this.fill(this.all, 0, 1);
  }

  /** mode 0: every mover of b, 2-D; 1: those with altitude, 3-D; 2: those without, 2-D. */
  private fill(g: Grid, mode: number, nz: number): void {
    const cur = this.curB,
      nB = this.nB,
      nx = this.nx,
      plane = nx * this.ny;
    const ncells = plane * nz;
    if (g.start.length < ncells + 1) g.start = new Int32Array(ncells + 1);
    const start = g.start;
    start.fill(0, 0, ncells + 1);
    for (let pass = 0; pass < 2; pass++) {
      if (pass === 1) {
        for (let c = 0; c < ncells; c++) start[c + 1] += start[c];
        if (g.items.length < start[ncells]) g.items = new Int32Array(start[ncells] * 2);
        if (g.slot.length < ncells) g.slot = new Int32Array(ncells * 2);
        g.slot.set(start.subarray(0, ncells));
      }
      const slot = g.slot,
        items = g.items;
      for (let j = 0; j < nB; j++) {
        const o = j * 6;
        if (cur[o] !== cur[o]) continue; // not finite
        const hasZ = cur[o + 4] === cur[o + 4];
        if ((mode === 1 && !hasZ) || (mode === 2 && hasZ)) continue;
        const i0 = cellOf(cur[o], this.gx0, this.invW, nx),
          i1 = cellOf(cur[o + 1], this.gx0, this.invW, nx);
        const j0 = cellOf(cur[o + 2], this.gy0, this.invH, this.ny),
          j1 = cellOf(cur[o + 3], this.gy0, this.invH, this.ny);
        const k0 = mode === 1 ? cellOf(cur[o + 4], this.gz0, this.invZ, nz) : 0;
        const k1 = mode === 1 ? cellOf(cur[o + 5], this.gz0, this.invZ, nz) : 0;
        for (let z = k0; z <= k1; z++) {
          for (let y = j0; y <= j1; y++) {
            const row = z * plane + y * nx;
            if (pass === 0) for (let x = i0; x <= i1; x++) start[row + x + 1]++;
            else for (let x = i0; x <= i1; x++) items[slot[row + x]++] = j;
          }
        }
      }
    }
  }

  private queryAll(): void {
    const cur = this.curA,
      nx = this.nx,
      ny = this.ny;
    for (let i = 0; i < this.nA; i++) {
      const o = i * 6;
      const ax0 = cur[o],
        ax1 = cur[o + 1],
        ay0 = cur[o + 2],
        ay1 = cur[o + 3];
      if (!(ax1 >= this.gx0 && ax0 <= this.gx1 && ay1 >= this.gy0 && ay0 <= this.gy1)) continue; // (false for NaN too)
      const i0 = cellOf(ax0, this.gx0, this.invW, nx),
        i1 = cellOf(ax1, this.gx0, this.invW, nx);
      const j0 = cellOf(ay0, this.gy0, this.invH, ny),
        j1 = cellOf(ay1, this.gy0, this.invH, ny);
      this.stampValue++;
      if (cur[o + 4] === cur[o + 4]) {
        const k0 = cellOf(cur[o + 4], this.gz0, this.invZ, this.nz),
          k1 = cellOf(cur[o + 5], this.gz0, this.invZ, this.nz);
        this.visit(this.alt, i, i0, i1, j0, j1, k0, k1);
        this.visit(this.noAlt, i, i0, i1, j0, j1, 0, 0);
      } else {
        this.visit(this.all, i, i0, i1, j0, j1, 0, 0);
      }
    }
  }

  private visit(g: Grid, i: number, i0: number, i1: number, j0: number, j1: number, k0: number, k1: number): void {
    const start = g.start,
      items = g.items,
      stamp = this.stamp,
      sv = this.stampValue;
    const nx = this.nx,
      plane = nx * this.ny;
    const curA = this.curA,
      curB = this.curB,
      prevA = this.prevA,
      prevB = this.prevB,
      later = this.slice > 0;
    for (let z = k0; z <= k1; z++) {
      for (let y = j0; y <= j1; y++) {
        for (let x = i0; x <= i1; x++) {
          const c = z * plane + y * nx + x;
          for (let p = start[c], e = start[c + 1]; p < e; p++) {
            const j = items[p];
            if (stamp[j] === sv) continue;
            stamp[j] = sv;
            if (!overlaps(curA, curB, i, j)) continue;
            if (later && overlaps(prevA, prevB, i, j)) continue; // tested in an earlier slice
            if (pairCore(this.A, this.tA, i, this.B, this.tB, j, this.kmM, this.m) && pairOut[0] < this.end && pairOut[1] > this.now) {
              this.found.push(i, j);
            }
          }
        }
      }
    }
  }
}

/** A bucket table: cell c holds items[start[c] .. start[c + 1]). Buffers are reused across slices. */
class Grid {
  start = new Int32Array(1);
  items = new Int32Array(0);
  slot = new Int32Array(0);
}

/** Boxes swept over [t0, t1]: [lon0, lon1, lat0, lat1, alt0, alt1] (radians, metres), grown by the margins. */
function sliceBoxes(d: Float64Array, t: Float64Array, n: number, t0: number, t1: number, mLon: number, mLat: number, mAlt: number, out: Float64Array): void {
  for (let k = 0; k < n; k++) {
    const o = k * MSTRIDE,
      b = k * 6;
    const da = t0 - t[k],
      db = t1 - t[k];
    const x0 = d[o] + d[o + 4] * da,
      x1 = d[o] + d[o + 4] * db;
    const y0 = d[o + 1] + d[o + 5] * da,
      y1 = d[o + 1] + d[o + 5] * db;
    if (!Number.isFinite(x0 + x1 + y0 + y1)) {
      // not finite: can conflict with nothing; NaN keeps it out of the grids
      out.fill(NaN, b, b + 6);
      continue;
    }
    out[b] = (x0 < x1 ? x0 : x1) - mLon;
    out[b + 1] = (x0 < x1 ? x1 : x0) + mLon;
    out[b + 2] = (y0 < y1 ? y0 : y1) - mLat;
    out[b + 3] = (y0 < y1 ? y1 : y0) + mLat;
    const z = d[o + 6];
    if (z === z) {
      const z0 = z + d[o + 7] * da,
        z1 = z + d[o + 7] * db;
      out[b + 4] = (z0 < z1 ? z0 : z1) - mAlt;
      out[b + 5] = (z0 < z1 ? z1 : z0) + mAlt;
    } else {
      out[b + 4] = NaN;
      out[b + 5] = NaN;
    }
  }
}

/** Whether box i of a meets grown box j of b (altitudes only when both have one). */
function overlaps(a: Float64Array, b: Float64Array, i: number, j: number): boolean {
  const p = i * 6,
    q = j * 6;
  if (a[p] > b[q + 1] || a[p + 1] < b[q] || a[p + 2] > b[q + 3] || a[p + 3] < b[q + 2]) return false;
  const z = a[p + 4],
    w = b[q + 4];
  if (z === z && w === w && (a[p + 4] > b[q + 5] || a[p + 5] < b[q + 4])) return false;
  return true;
}

/** Grid cell of coordinate x, clamped to [0, n - 1] (0 for NaN). */
function cellOf(x: number, g0: number, inv: number, n: number): number {
  const v = Math.floor((x - g0) * inv);
  return v >= 0 ? (v < n ? v : n - 1) : 0;
}

export type MoverId = string | number;

export interface MoverGridOptions {
  /** Look-ahead of the conflicts the caller will evaluate (seconds). */
  horizonS: number;
  /**
   * How old a fix may be when the caller evaluates it (seconds, default 0). A
   * mover's swept extent covers [t, t + maxAgeS + horizonS], so any evaluation
   * at a time now in [t, t + maxAgeS] with window [now, now + horizonS] is
   * covered. Re-add (update) or remove movers older than that.
   */
  maxAgeS?: number;
  /** Bucket size in km of latitude (default 50). */
  cellKm?: number;
}

/**
 * Incremental bucket grid of movers' swept extents, kept across reports: add,
 * update or remove a mover by id; candidates() lists the movers whose extent
 * could come within a distance of another mover's extent. Used as a pre-filter
 * before conflict().
 */
export class MoverGrid {
  readonly horizonS: number;
  readonly maxAgeS: number;
  private readonly cell: number; // radians, same in lon and lat
  private readonly slotOf = new Map<MoverId, number>();
  private ids: MoverId[] = [];
  private box = new Float64Array(64 * 4); // lon0, lon1, lat0, lat1 (radians)
  private cellRange = new Int32Array(64 * 4); // i0, i1, j0, j1; i0 > i1 when kept in `wide`
  private stamp = new Int32Array(64);
  private stampValue = 0;
  private free: number[] = [];
  private readonly cells = new Map<number, number[]>();
  /** Movers whose extent spans too many cells (or is not finite): checked by every query. */
  private readonly wide = new Set<number>();
  private top = 0; // largest |latitude| of any extent or fix ever added
  private readonly query = new Float64Array(4);

  constructor(options: MoverGridOptions) {
    this.horizonS = options.horizonS;
    this.maxAgeS = options.maxAgeS ?? 0;
    if (!(this.horizonS >= 0 && this.horizonS < Infinity)) throw new RangeError('horizonS must be a finite non-negative number');
    if (!(this.maxAgeS >= 0 && this.maxAgeS < Infinity)) throw new RangeError('maxAgeS must be a finite non-negative number');
    const cellKm = options.cellKm ?? 50;
    if (!(cellKm > 0 && cellKm < Infinity)) throw new RangeError('cellKm must be a positive number');
    this.cell = (cellKm * 1000) / R;
  }

  get size(): number {
    return this.slotOf.size;
  }

  has(id: MoverId): boolean {
    return this.slotOf.has(id);
  }

  /** Adds a mover, or replaces the one with this id. */
  add(id: MoverId, m: Mover): void {
    this.update(id, m);
  }

  /** Adds a mover, or replaces the one with this id. */
  update(id: MoverId, m: Mover): void {
    let s = this.slotOf.get(id);
    if (s !== undefined) this.unlink(s);
    else {
      s = this.free.length > 0 ? this.free.pop()! : this.ids.length;
      if (s >= this.stamp.length) this.grow();
      this.slotOf.set(id, s);
      this.ids[s] = id;
    }
    this.sweep(m, s * 4, this.box);
    const b = s * 4;
    const r = this.cellRange;
    const i0 = this.index(this.box[b]),
      i1 = this.index(this.box[b + 1]);
    const j0 = this.index(this.box[b + 2]),
      j1 = this.index(this.box[b + 3]);
    if (!((i1 - i0 + 1) * (j1 - j0 + 1) <= WIDE_CELLS) || !Number.isFinite(this.box[b] + this.box[b + 1] + this.box[b + 2] + this.box[b + 3])) {
      r[b] = 1;
      r[b + 1] = 0;
      this.wide.add(s);
      return;
    }
    r[b] = i0;
    r[b + 1] = i1;
    r[b + 2] = j0;
    r[b + 3] = j1;
    for (let j = j0; j <= j1; j++) {
      for (let i = i0; i <= i1; i++) {
        const key = cellKey(i, j);
        const list = this.cells.get(key);
        if (list === undefined) this.cells.set(key, [s]);
        else list.push(s);
      }
    }
  }

  /** Removes a mover; false if the id was not there. */
  remove(id: MoverId): boolean {
    const s = this.slotOf.get(id);
    if (s === undefined) return false;
    this.unlink(s);
    this.slotOf.delete(id);
    this.free.push(s);
    return true;
  }

  /**
   * Ids of the movers whose swept extent could come within reachKm of the swept
   * extent of m (a superset of those that can; m itself is included if it was
   * added). Appends to out when given.
   */
  candidates(m: Mover, reachKm: number, out: MoverId[] = []): MoverId[] {
    const q = this.query;
    this.sweep(m, 0, q);
    const top = Math.max(this.top, Math.abs(q[2]), Math.abs(q[3]), Math.abs(m.lat * RAD));
    const mLat = ((reachKm * 1000) / R) * (1 + 1e-9) + 1e-15;
    const mLon = top < 89.999 * RAD ? mLat / Math.cos(top) : Infinity;
    const x0 = q[0] - mLon,
      x1 = q[1] + mLon,
      y0 = q[2] - mLat,
      y1 = q[3] + mLat;
    // A mover whose extent is not finite (NaN or infinite position or velocity) conflicts with nothing.
    if (!Number.isFinite(q[0] + q[1] + q[2] + q[3])) return out;
    const sv = ++this.stampValue;
    const box = this.box;
    const i0 = this.index(x0),
      i1 = this.index(x1),
      j0 = this.index(y0),
      j1 = this.index(y1);
    if ((i1 - i0 + 1) * (j1 - j0 + 1) > Math.max(WIDE_CELLS, this.cells.size)) {
      // Cheaper to look at every mover than at every cell.
      for (const s of this.slotOf.values()) {
        const b = s * 4;
        if (box[b] > x1 || box[b + 1] < x0 || box[b + 2] > y1 || box[b + 3] < y0) continue;
        out.push(this.ids[s]);
      }
      return out;
    }
    for (let j = j0; j <= j1; j++) {
      for (let i = i0; i <= i1; i++) {
        const list = this.cells.get(cellKey(i, j));
        if (list === undefined) continue;
        for (let k = 0; k < list.length; k++) {
          const s = list[k];
          if (this.stamp[s] === sv) continue;
          this.stamp[s] = sv;
          const b = s * 4;
          if (box[b] > x1 || box[b + 1] < x0 || box[b + 2] > y1 || box[b + 3] < y0) continue;
          out.push(this.ids[s]);
        }
      }
    }
    for (const s of this.wide) {
      const b = s * 4;
      if (box[b] > x1 || box[b + 1] < x0 || box[b + 2] > y1 || box[b + 3] < y0) continue;
      out.push(this.ids[s]);
    }
    return out;
  }

  /** Swept lon/lat box of m over [t, t + maxAge + horizon], written at o; tracks the largest |latitude|. */
  private sweep(m: Mover, o: number, box: Float64Array): void {
    const lat = m.lat * RAD,
      lon = m.lon * RAD;
    const span = this.maxAgeS + this.horizonS;
    const x1 = lon + (m.ve / (R * Math.max(1e-9, Math.cos(lat)))) * span;
    const y1 = lat + (m.vn / R) * span;
    box[o] = Math.min(lon, x1);
    box[o + 1] = Math.max(lon, x1);
    box[o + 2] = Math.min(lat, y1);
    box[o + 3] = Math.max(lat, y1);
    // (a mover with a non-finite extent can never conflict: it does not widen the margins)
    const t = Math.max(Math.abs(lat), Math.abs(y1));
    if (box === this.box && t > this.top && t < Infinity) this.top = t;
  }

  private index(x: number): number {
    // Bounded so that the cell keys stay exact integers; NaN goes to cell 0.
    const v = Math.floor(x / this.cell);
    return v >= -1e6 ? (v <= 1e6 ? v : 1e6) : v < -1e6 ? -1e6 : 0;
  }

  private unlink(s: number): void {
    if (this.wide.delete(s)) return;
    const r = this.cellRange,
      b = s * 4;
    for (let j = r[b + 2]; j <= r[b + 3]; j++) {
      for (let i = r[b]; i <= r[b + 1]; i++) {
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
    const box = new Float64Array(n * 4);
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
