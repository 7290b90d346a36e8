// Bands: every point whose great-circle distance to some polylines lies in
// [kmMin, kmMax], on one side of them. Segments are great-circle arcs between
// consecutive vertices (polyline.ts).
//
// Side rules, judged at the nearest point N of the lines (first segment in input
// order wins ties between equally near segments):
//   east / west    lon >= N.lon / lon <= N.lon
//   north / south  lat >= N.lat / lat <= N.lat
//   left / right   relative to the direction of travel along the line at N. When N
//                  is inside a segment, the side of that segment's great circle.
//                  When N is a vertex, the side of the plane through the vertex
//                  whose normal is the bisector (sum) of the two segments' unit
//                  normals — the "pseudo-normal"; at an open end, the end
//                  segment's own circle. Where the two rules meet they agree, so
//                  the side only changes across the line itself. A point exactly
//                  on the dividing surface counts as both left and right (as
//                  equality counts for both east and west).
//   both           either side.
// A point at distance 0 is in the band for every side. Closed rings are lines
// like any other; their closing vertex joins the last and first segments.
//
// The grid: a uniform lon/lat grid over the band's bounding box, built by
// recursive halving. For a block of cells with centre C and radius r (the
// farthest corner), every point P in it has d(P) in [d(C) - r, d(C) + r], and
// only segments within d(C) + 2r of C can be nearest to any P. Blocks wholly
// outside the distance range are "out"; blocks wholly inside it whose side is
// certain (from the candidates' extents, or their normals) are decided; the
// rest is halved down to single cells, which keep their candidate segments.
// A cell query then runs the very same per-segment code as the plain reference
// over its candidates, so answers agree exactly.

import { LineSet, STRIDE, chord2To, chord2ToKm, hit, nearestCoord, scanAll, scanList, sideSign, unitVector } from './polyline.ts';
import { classifyCells } from './cells.ts';
import { EARTH_RADIUS_KM, distanceKm } from './sphere.ts';
import type { BBox, Position, Region, Side } from './types.ts';

const RAD = Math.PI / 180;
const DEG = 180 / Math.PI;

const BOTH = 0,
  EAST = 1,
  WEST = 2,
  NORTH = 3,
  SOUTH = 4,
  LEFT = 5,
  RIGHT = 6;
const SIDES: Record<Side, number> = { both: BOTH, east: EAST, west: WEST, north: NORTH, south: SOUTH, left: LEFT, right: RIGHT };

function sideCode(side: Side): number {
  const c = SIDES[side];
  if (c === undefined) throw new RangeError(`unknown side "${String(side)}"`);
  return c;
}

/** The decision for a scan result (shared by the grid and the reference). */
function judge(
  set: LineSet,
  c2: number,
  s: number,
  f: number,
  side: number,
  kmMin: number,
  kmMax: number,
  px: number,
  py: number,
  pz: number,
  lon: number,
  lat: number,
): boolean {
  if (s < 0) return false;
  const d = chord2ToKm(c2);
  if (!(d >= kmMin && d <= kmMax)) return false;
  if (d === 0 || side === BOTH) return true;
  switch (side) {
    case EAST:
      return lon >= nearestCoord(set, s, f, px, py, pz, 0);
    case WEST:
      return lon <= nearestCoord(set, s, f, px, py, pz, 0);
    case NORTH:
      return lat >= nearestCoord(set, s, f, px, py, pz, 1);
    case SOUTH:
      return lat <= nearestCoord(set, s, f, px, py, pz, 1);
    case LEFT:
      return sideSign(set, s, f, px, py, pz) >= 0;
    default:
      return sideSign(set, s, f, px, py, pz) <= 0;
  }
}

const P = new Float64Array(3);

/** Plain reference over a prepared LineSet: tests every segment. */
export function bandContainsInSet(set: LineSet, kmMin: number, kmMax: number, side: Side, lon: number, lat: number): boolean {
  const code = sideCode(side);
  unitVector(lon, lat, P);
  const c2 = scanAll(set, P[0], P[1], P[2]);
  return judge(set, c2, hit[0], hit[1], code, kmMin, kmMax, P[0], P[1], P[2], lon, lat);
}

/** Plain reference: is [lon, lat] in the band? Tests every segment. */
export function bandContainsReference(lines: Position[][], kmMin: number, kmMax: number, side: Side, lon: number, lat: number): boolean {
  return bandContainsInSet(new LineSet(lines), kmMin, kmMax, side, lon, lat);
}

export interface BandRegionOptions {
  /** Approximate number of grid cells (default: 16 per segment, between 2^14 and 2^19). */
  cells?: number;
}

const OUT = 0,
  IN = 1,
  CHECK = 2;
// Distances carry rounding of ~1e-12 km; decisions keep this much clear of a threshold.
const TOL_KM = 1e-7;
// A block is only declared "off side" when no point of it can be at distance 0.
const OFF_MIN_KM = 1e-6;

export class BandRegion implements Region {
  readonly bbox: BBox;
  readonly lines: LineSet;
  readonly kmMin: number;
  readonly kmMax: number;
  readonly side: Side;
  readonly nx: number;
  readonly ny: number;
  /** Cell boundaries (degrees). */
  readonly xs: Float64Array;
  readonly ys: Float64Array;
  /** Per cell: 0 out, 1 in, 2 check candidates. */
  readonly state: Uint8Array;
  /** Check cells: candidate segments cands[off[c] .. off[c] + len[c]). */
  readonly off: Int32Array;
  readonly len: Int32Array;
  readonly cands: Int32Array;

  private readonly code: number;
  private readonly x0: number;
  private readonly y0: number;
  private readonly x1: number;
  private readonly y1: number;
  private readonly invW: number;
  private readonly invH: number;

  constructor(lines: Position[][], kmMin: number, kmMax: number, side: Side, options: BandRegionOptions = {}) {
    if (Number.isNaN(kmMin) || Number.isNaN(kmMax)) throw new RangeError('band distances must be numbers');
    this.code = sideCode(side);
    this.side = side;
    this.kmMin = kmMin;
    this.kmMax = kmMax;
    const set = new LineSet(lines);
    this.lines = set;

    const empty = set.count === 0 || kmMax < 0 || kmMin > kmMax || kmMax === Infinity;
    let x0 = -180,
      x1 = 180,
      y0 = -90,
      y1 = 90;
    if (!empty) {
      // Every point within kmMax of the lines lies in this box (see README for the bound).
      const dLat = (kmMax / EARTH_RADIUS_KM) * DEG * (1 + 1e-9) + 1e-9;
      y0 = Math.max(-90, set.minLat - dLat);
      y1 = Math.min(90, set.maxLat + dLat);
      const top = Math.max(Math.abs(y0), Math.abs(y1));
      if (top < 90) {
        const arg = Math.sin(kmMax / EARTH_RADIUS_KM / 2) / Math.cos(top * RAD);
        if (arg < 1) {
          const dLon = 2 * Math.asin(arg) * DEG * (1 + 1e-9) + 1e-9;
          // Past the antimeridian the box would wrap: cover all longitudes instead.
          if (set.minLon - dLon > -180 && set.maxLon + dLon < 180) {
            x0 = set.minLon - dLon;
            x1 = set.maxLon + dLon;
          }
        }
      }
    }
    this.bbox = empty ? [Infinity, Infinity, -Infinity, -Infinity] : [x0, y0, x1, y1];
    this.x0 = this.bbox[0];
    this.y0 = this.bbox[1];
    this.x1 = this.bbox[2];
    this.y1 = this.bbox[3];

    const target = Math.max(1, Math.round(options.cells ?? Math.min(1 << 19, Math.max(1 << 14, set.count * 16))));
    const wk = (x1 - x0) * Math.max(0.05, Math.cos(((y0 + y1) / 2) * RAD));
    const hk = y1 - y0;
    let nx = 1,
      ny = 1;
    if (!empty && wk > 0 && hk > 0) {
      nx = Math.max(1, Math.min(4096, target, Math.round(Math.sqrt((target * wk) / hk))));
      ny = Math.max(1, Math.min(4096, Math.round(target / nx)));
    }
    this.nx = nx;
    this.ny = ny;
    const cw = (x1 - x0) / nx || 1;
    const ch = (y1 - y0) / ny || 1;
    this.invW = 1 / cw;
    this.invH = 1 / ch;
    this.xs = new Float64Array(nx + 1);
    this.ys = new Float64Array(ny + 1);
    for (let i = 0; i <= nx; i++) this.xs[i] = x0 + i * cw;
    for (let j = 0; j <= ny; j++) this.ys[j] = y0 + j * ch;
    this.state = new Uint8Array(nx * ny);
    this.off = new Int32Array(nx * ny);
    this.len = new Int32Array(nx * ny);

    const b = new Builder(this, set, this.code, cw, ch);
    if (!empty) {
      const all = new Int32Array(set.count);
      for (let s = 0; s < set.count; s++) all[s] = s;
      b.node(0, nx, 0, ny, all);
    }
    this.cands = b.buf.slice(0, b.used);
  }

  /** 0: no point of the box is in the band, 1: every point is, 2: unknown (see cells.ts). */
  classify(minLon: number, minLat: number, maxLon: number, maxLat: number): 0 | 1 | 2 {
    return classifyCells(this.state, this.nx, this.ny, this.x0, this.y0, this.invW, this.invH, this.bbox, minLon, minLat, maxLon, maxLat);
  }

  contains(lon: number, lat: number): boolean {
    if (!(lon >= this.x0 && lon <= this.x1 && lat >= this.y0 && lat <= this.y1)) return false;
    let i = ((lon - this.x0) * this.invW) | 0;
    let j = ((lat - this.y0) * this.invH) | 0;
    if (i >= this.nx) i = this.nx - 1;
    if (j >= this.ny) j = this.ny - 1;
    const c = j * this.nx + i;
    const st = this.state[c];
    if (st !== CHECK) return st === IN;
    unitVector(lon, lat, P);
    const o = this.off[c];
    const c2 = scanList(this.lines, this.cands, o, o + this.len[c], P[0], P[1], P[2]);
    return judge(this.lines, c2, hit[0], hit[1], this.code, this.kmMin, this.kmMax, P[0], P[1], P[2], lon, lat);
  }
}

// Tracing a band costs tens to hundreds of milliseconds, and one arrangement is compiled
// many times over (loading, each draft checked, each announcement, a restart's replay),
// nearly always with the same bands. A region never changes once built, so the same
// inputs share one; the few most recent are kept.
const MEMO_SIZE = 32;
const memo = new Map<string, BandRegion>();

/** Grid-accelerated band; answers exactly as bandContainsReference. */
export function bandRegion(lines: Position[][], kmMin: number, kmMax: number, side: Side, options?: BandRegionOptions): BandRegion {
  const key = JSON.stringify([lines, kmMin, kmMax, side, options?.cells ?? null]);
  const known = memo.get(key);
  if (known) {
    memo.delete(key);
    memo.set(key, known);
    return known;
  }
  const made = new BandRegion(lines, kmMin, kmMax, side, options);
  memo.set(key, made);
  if (memo.size > MEMO_SIZE) memo.delete(memo.keys().next().value as string);
  return made;
}

const C = new Float64Array(3);

/** Squared unit-sphere chord of a great-circle distance in km, rounded up; Infinity past the antipode. */
function kmToChord2(km: number): number {
  if (!(km < Math.PI * EARTH_RADIUS_KM)) return Infinity;
  const c = 2 * Math.sin(km / EARTH_RADIUS_KM / 2);
  return c * c * (1 + 1e-12) + 1e-30;
}

/** Recursive construction of a BandRegion's grid. */
class Builder {
  buf = new Int32Array(1024);
  used = 0;
  private readonly ex: number;
  private readonly ey: number;

  constructor(
    private readonly r: BandRegion,
    private readonly set: LineSet,
    private readonly side: number,
    cw: number,
    ch: number,
  ) {
    // Blocks are grown by this much so that rounding in locating a point's cell never puts it outside.
    this.ex = cw * 1e-6 + 1e-10;
    this.ey = ch * 1e-6 + 1e-10;
  }

  node(x0: number, x1: number, y0: number, y1: number, cands: Int32Array): void {
    const { r, set } = this;
    const lonA = r.xs[x0] - this.ex,
      lonB = r.xs[x1] + this.ex;
    const latA = Math.max(-90, r.ys[y0] - this.ey),
      latB = Math.min(90, r.ys[y1] + this.ey);
    const cLon = (lonA + lonB) / 2,
      cLat = (latA + latB) / 2;
    // Radius: the farthest point of a lon/lat box from its centre is a corner (for spans under 90°).
    let rad = Infinity;
    if (lonB - lonA < 90) {
      rad = Math.max(
        distanceKm(cLon, cLat, lonA, latA),
        distanceKm(cLon, cLat, lonB, latA),
        distanceKm(cLon, cLat, lonA, latB),
        distanceKm(cLon, cLat, lonB, latB),
      );
      rad = rad * (1 + 1e-9) + TOL_KM;
    }
    unitVector(cLon, cLat, C);
    const n = cands.length;
    // Squared chords (monotonic in distance): one asin per block, not per candidate.
    const dist = new Float64Array(n);
    let best = Infinity;
    for (let k = 0; k < n; k++) {
      const c2 = chord2To(set, cands[k], C[0], C[1], C[2]);
      dist[k] = c2;
      if (c2 < best) best = c2;
    }
    const dC = chord2ToKm(best);
    const lo = dC - rad,
      hi = dC + rad;
    if (lo > r.kmMax || hi < r.kmMin) {
      this.fill(x0, x1, y0, y1, OUT);
      return;
    }
    // Keep only segments that can be nearest to some point of the block: within dC + 2·rad of C.
    const limit = kmToChord2(dC + 2 * rad + TOL_KM);
    let keep = 0;
    for (let k = 0; k < n; k++) if (dist[k] <= limit) keep++;
    const next = keep === n ? cands : new Int32Array(keep);
    if (keep !== n) for (let k = 0, m = 0; k < n; k++) if (dist[k] <= limit) next[m++] = cands[k];

    if (lo >= r.kmMin && hi <= r.kmMax) {
      if (this.side === BOTH) {
        this.fill(x0, x1, y0, y1, IN);
        return;
      }
      const v = this.sideCertain(next, lonA, lonB, latA, latB, rad, lo > OFF_MIN_KM);
      if (v >= 0) {
        this.fill(x0, x1, y0, y1, v);
        return;
      }
    }
    if (x1 - x0 === 1 && y1 - y0 === 1) {
      const c = y0 * r.nx + x0;
      r.state[c] = CHECK;
      r.off[c] = this.used;
      r.len[c] = next.length;
      if (this.used + next.length > this.buf.length) {
        const grown = new Int32Array(Math.max(this.buf.length * 2, this.used + next.length));
        grown.set(this.buf.subarray(0, this.used));
        this.buf = grown;
      }
      this.buf.set(next, this.used);
      this.used += next.length;
      return;
    }
    // Halve the longer side (in cells).
    if (x1 - x0 >= y1 - y0) {
      const xm = (x0 + x1) >> 1;
      this.node(x0, xm, y0, y1, next);
      this.node(xm, x1, y0, y1, next);
    } else {
      const ym = (y0 + y1) >> 1;
      this.node(x0, x1, y0, ym, next);
      this.node(x0, x1, ym, y1, next);
    }
  }

  /** 1: every point of the block is on the side; 0: none is; -1: unknown. */
  private sideCertain(cands: Int32Array, lonA: number, lonB: number, latA: number, latB: number, rad: number, offOk: boolean): number {
    const { set } = this;
    const ext = set.ext;
    let lonMin = Infinity,
      lonMax = -Infinity,
      latMin = Infinity,
      latMax = -Infinity;
    for (let k = 0; k < cands.length; k++) {
      const e = cands[k] * 8;
      if (ext[e + 4] < lonMin) lonMin = ext[e + 4];
      if (ext[e + 5] > lonMax) lonMax = ext[e + 5];
      if (ext[e + 6] < latMin) latMin = ext[e + 6];
      if (ext[e + 7] > latMax) latMax = ext[e + 7];
    }
    switch (this.side) {
      case EAST:
        return lonA >= lonMax ? 1 : offOk && lonB < lonMin ? 0 : -1;
      case WEST:
        return lonB <= lonMin ? 1 : offOk && lonA > lonMax ? 0 : -1;
      case NORTH:
        return latA >= latMax ? 1 : offOk && latB < latMin ? 0 : -1;
      case SOUTH:
        return latB <= latMin ? 1 : offOk && latA > latMax ? 0 : -1;
      default: {
        if (!(rad < Math.PI * EARTH_RADIUS_KM)) return -1;
        // Every point P of the block is within chord `ch` of C, so P·v >= C·v - ch for unit v.
        const ch = 2 * Math.sin(rad / EARTH_RADIUS_KM / 2) + 1e-12;
        let allPos = true,
          allNeg = true;
        const seg = set.seg,
          pn = set.pn;
        for (let k = 0; k < cands.length && (allPos || allNeg); k++) {
          const s = cands[k];
          const o = s * STRIDE + 6,
            p = s * 6;
          // the segment's own normal and the pseudo-normals at its two vertices
          for (const v of [
            C[0] * seg[o] + C[1] * seg[o + 1] + C[2] * seg[o + 2],
            C[0] * pn[p] + C[1] * pn[p + 1] + C[2] * pn[p + 2],
            C[0] * pn[p + 3] + C[1] * pn[p + 4] + C[2] * pn[p + 5],
          ]) {
            if (!(v > ch)) allPos = false;
            if (!(v < -ch)) allNeg = false;
          }
        }
        const left = this.side === LEFT;
        if (allPos) return left ? 1 : offOk ? 0 : -1;
        if (allNeg) return left ? (offOk ? 0 : -1) : 1;
        return -1;
      }
    }
  }

  private fill(x0: number, x1: number, y0: number, y1: number, v: number): void {
    if (v === OUT) return; // the state array starts as OUT
    const nx = this.r.nx;
    for (let j = y0; j < y1; j++) this.r.state.fill(v, j * nx + x0, j * nx + x1);
  }
}
