// Distance from a point to polylines on the sphere.
//
// A polyline's segments are great-circle arcs between consecutive vertices (each
// shorter than 180°), so distances are exact on the sphere up to rounding. Points
// are unit vectors; the distance to an arc is measured as a squared chord, which
// is monotonic in the great-circle distance and stays precise for tiny distances.
//
// LineSet packs every segment into flat typed arrays; band-region.ts and
// nearestOnPolylines share the per-segment code below, so a grid-accelerated
// query and the plain loop compute the very same numbers.

import { EARTH_RADIUS_KM } from './sphere.ts';
import type { Position } from './types.ts';

const RAD = Math.PI / 180;
const DEG = 180 / Math.PI;

/** Per-segment layout in LineSet.seg. */
export const STRIDE = 15;
// 0..2 A, 3..5 B (unit vectors), 6..8 unit normal n = A×B/|A×B| (zero for a point),
// 9..11 u = n×A, 12..14 w = B×n (the projection of P lies on the arc iff P·u >= 0 and P·w >= 0;
// NaN for a point so that test fails).

export class LineSet {
  /** Number of segments (a one-vertex line counts as one degenerate segment). */
  readonly count: number;
  readonly seg: Float64Array;
  /** Pseudo-normals at each segment's start and end vertex: [sx, sy, sz, ex, ey, ez] (unit, or zero). */
  readonly pn: Float64Array;
  /** [lonA, latA, lonB, latB, lonMin, lonMax, latMin, latMax] in degrees; lat range includes the arc's bulge. */
  readonly ext: Float64Array;
  /** Extent of all arcs: minLon, minLat, maxLon, maxLat (degrees). */
  readonly minLon: number;
  readonly minLat: number;
  readonly maxLon: number;
  readonly maxLat: number;

  constructor(lines: Position[][]) {
    // Drop repeated consecutive vertices; they make zero-length segments.
    const clean: Position[][] = [];
    let count = 0;
    for (const line of lines) {
      const c: Position[] = [];
      for (const p of line) {
        const q = c[c.length - 1];
        if (q === undefined || q[0] !== p[0] || q[1] !== p[1]) c.push(p);
      }
      if (c.length === 0) continue;
      clean.push(c);
      count += Math.max(1, c.length - 1);
    }
    this.count = count;
    const seg = new Float64Array(count * STRIDE);
    const pn = new Float64Array(count * 6);
    const ext = new Float64Array(count * 8);
    let minLon = Infinity,
      minLat = Infinity,
      maxLon = -Infinity,
      maxLat = -Infinity;
    let s = 0;
    for (const c of clean) {
      const first = s;
      const nseg = Math.max(1, c.length - 1);
      for (let k = 0; k < nseg; k++, s++) {
        const a = c[k];
        const b = c[Math.min(k + 1, c.length - 1)];
        setSegment(seg, ext, s, a[0], a[1], b[0], b[1]);
        const e = s * 8;
        if (ext[e + 4] < minLon) minLon = ext[e + 4];
        if (ext[e + 5] > maxLon) maxLon = ext[e + 5];
        if (ext[e + 6] < minLat) minLat = ext[e + 6];
        if (ext[e + 7] > maxLat) maxLat = ext[e + 7];
      }
      // Pseudo-normal at a vertex = normalised sum of the unit normals of the segments
      // meeting there (one at an open end; a closed ring joins its last and first).
      const last = s - 1;
      const closed = c.length >= 4 && c[0][0] === c[c.length - 1][0] && c[0][1] === c[c.length - 1][1];
      for (let k = first; k <= last; k++) {
        const prev = k > first ? k - 1 : closed ? last : -1;
        const next = k < last ? k + 1 : closed ? first : -1;
        vertexNormal(seg, pn, k * 6, prev, k);
        vertexNormal(seg, pn, k * 6 + 3, k, next);
      }
    }
    this.seg = seg;
    this.pn = pn;
    this.ext = ext;
    this.minLon = minLon;
    this.minLat = minLat;
    this.maxLon = maxLon;
    this.maxLat = maxLat;
  }
}

export function prepareLines(lines: Position[][]): LineSet {
  return new LineSet(lines);
}

function setSegment(seg: Float64Array, ext: Float64Array, s: number, lonA: number, latA: number, lonB: number, latB: number): void {
  const o = s * STRIDE;
  const ca = Math.cos(latA * RAD),
    cb = Math.cos(latB * RAD);
  const ax = ca * Math.cos(lonA * RAD),
    ay = ca * Math.sin(lonA * RAD),
    az = Math.sin(latA * RAD);
  const bx = cb * Math.cos(lonB * RAD),
    by = cb * Math.sin(lonB * RAD),
    bz = Math.sin(latB * RAD);
  seg[o] = ax;
  seg[o + 1] = ay;
  seg[o + 2] = az;
  seg[o + 3] = bx;
  seg[o + 4] = by;
  seg[o + 5] = bz;
  let nx = ay * bz - az * by,
    ny = az * bx - ax * bz,
    nz = ax * by - ay * bx;
  const len = Math.sqrt(nx * nx + ny * ny + nz * nz);
  const e = s * 8;
  ext[e] = lonA;
  ext[e + 1] = latA;
  ext[e + 2] = lonB;
  ext[e + 3] = latB;
  ext[e + 4] = Math.min(lonA, lonB);
  ext[e + 5] = Math.max(lonA, lonB);
  ext[e + 6] = Math.min(latA, latB);
  ext[e + 7] = Math.max(latA, latB);
  // Shorter than ~1e-12 rad (6 µm): treat as a point.
  if (!(len > 1e-12)) {
    seg.fill(0, o + 6, o + 9);
    seg.fill(NaN, o + 9, o + 15);
    return;
  }
  nx /= len;
  ny /= len;
  nz /= len;
  seg[o + 6] = nx;
  seg[o + 7] = ny;
  seg[o + 8] = nz;
  const ux = ny * az - nz * ay,
    uy = nz * ax - nx * az,
    uz = nx * ay - ny * ax;
  const wx = by * nz - bz * ny,
    wy = bz * nx - bx * nz,
    wz = bx * ny - by * nx;
  seg[o + 9] = ux;
  seg[o + 10] = uy;
  seg[o + 11] = uz;
  seg[o + 12] = wx;
  seg[o + 13] = wy;
  seg[o + 14] = wz;
  // The great circle's highest point (and its antipode, the lowest) may lie inside the arc.
  const h = Math.sqrt(nx * nx + ny * ny); // = cos(latitude of the circle's top)
  if (h > 1e-15) {
    const tx = (-nz * nx) / h,
      ty = (-nz * ny) / h,
      tz = h; // top point, unit
    const top = Math.asin(Math.min(1, h)) * DEG;
    if (tx * ux + ty * uy + tz * uz >= 0 && tx * wx + ty * wy + tz * wz >= 0) ext[e + 7] = Math.max(ext[e + 7], top);
    if (-(tx * ux + ty * uy + tz * uz) >= 0 && -(tx * wx + ty * wy + tz * wz) >= 0) ext[e + 6] = Math.min(ext[e + 6], -top);
  }
}

function vertexNormal(seg: Float64Array, pn: Float64Array, o: number, s1: number, s2: number): void {
  let x = 0,
    y = 0,
    z = 0;
  if (s1 >= 0) {
    x += seg[s1 * STRIDE + 6];
    y += seg[s1 * STRIDE + 7];
    z += seg[s1 * STRIDE + 8];
  }
  if (s2 >= 0) {
    x += seg[s2 * STRIDE + 6];
    y += seg[s2 * STRIDE + 7];
    z += seg[s2 * STRIDE + 8];
  }
  const len = Math.sqrt(x * x + y * y + z * z);
  // A full reversal (spike) cancels the normals: no side there.
  if (len > 1e-9) {
    pn[o] = x / len;
    pn[o + 1] = y / len;
    pn[o + 2] = z / len;
  } else {
    pn[o] = 0;
    pn[o + 1] = 0;
    pn[o + 2] = 0;
  }
}

/** Which feature of a segment is nearest: its interior, its start or its end vertex. */
export const INTERIOR = 0;
export const START = 1;
export const END = 2;

/**
 * Scratch result of the scans below: [segment, feature]. Module-level so that hot
 * loops allocate nothing.
 */
export const hit = new Int32Array(2);

/**
 * Squared chord from unit vector P to segment s; sets hit[1] to the nearest
 * feature. The vertices are measured too, and win ties, so that a point exactly
 * at a vertex gets distance 0 rather than a rounding-sized interior distance.
 */
function segChord2(seg: Float64Array, s: number, px: number, py: number, pz: number): number {
  const o = s * STRIDE;
  const dax = px - seg[o],
    day = py - seg[o + 1],
    daz = pz - seg[o + 2];
  const dbx = px - seg[o + 3],
    dby = py - seg[o + 4],
    dbz = pz - seg[o + 5];
  let best = dax * dax + day * day + daz * daz;
  let f = START;
  const cb = dbx * dbx + dby * dby + dbz * dbz;
  if (cb < best) {
    best = cb;
    f = END;
  }
  if (px * seg[o + 9] + py * seg[o + 10] + pz * seg[o + 11] >= 0 && px * seg[o + 12] + py * seg[o + 13] + pz * seg[o + 14] >= 0) {
    const t = px * seg[o + 6] + py * seg[o + 7] + pz * seg[o + 8]; // sin of the distance to the circle
    // 2 - 2cos(θ) written without cancellation
    const ci = (2 * t * t) / (1 + Math.sqrt(Math.max(0, 1 - t * t)));
    if (ci < best) {
      best = ci;
      f = INTERIOR;
    }
  }
  hit[1] = f;
  return best;
}

/** Nearest over all segments; first segment wins ties. Writes hit; returns the squared chord. */
export function scanAll(set: LineSet, px: number, py: number, pz: number): number {
  let best = Infinity,
    bs = -1,
    bf = 0;
  const seg = set.seg;
  for (let s = 0; s < set.count; s++) {
    const c2 = segChord2(seg, s, px, py, pz);
    if (c2 < best) {
      best = c2;
      bs = s;
      bf = hit[1];
    }
  }
  hit[0] = bs;
  hit[1] = bf;
  return best;
}

/** Nearest over list[from..to) (segment indices in increasing order); same tie rule as scanAll. */
export function scanList(set: LineSet, list: Int32Array, from: number, to: number, px: number, py: number, pz: number): number {
  let best = Infinity,
    bs = -1,
    bf = 0;
  const seg = set.seg;
  for (let k = from; k < to; k++) {
    const s = list[k];
    const c2 = segChord2(seg, s, px, py, pz);
    if (c2 < best) {
      best = c2;
      bs = s;
      bf = hit[1];
    }
  }
  hit[0] = bs;
  hit[1] = bf;
  return best;
}

/** Squared chord from P to one segment (no tie bookkeeping needed by callers). */
export function chord2To(set: LineSet, s: number, px: number, py: number, pz: number): number {
  return segChord2(set.seg, s, px, py, pz);
}

/** Great-circle km for a squared chord on the unit sphere. */
export function chord2ToKm(c2: number): number {
  return 2 * EARTH_RADIUS_KM * Math.asin(Math.min(1, Math.sqrt(c2) / 2));
}

/** Unit vector of [lon, lat] written to out[0..2]. */
export function unitVector(lon: number, lat: number, out: Float64Array): void {
  const c = Math.cos(lat * RAD);
  out[0] = c * Math.cos(lon * RAD);
  out[1] = c * Math.sin(lon * RAD);
  out[2] = Math.sin(lat * RAD);
}

/**
 * Longitude (which = 0) or latitude (which = 1) of the nearest point for a scan
 * result; a vertex gives its input coordinates, an interior point is clamped to
 * its arc's extent so that it never leaves it through rounding.
 */
export function nearestCoord(set: LineSet, s: number, feature: number, px: number, py: number, pz: number, which: 0 | 1): number {
  const e = s * 8;
  if (feature === START) return set.ext[e + which];
  if (feature === END) return set.ext[e + 2 + which];
  const o = s * STRIDE;
  const seg = set.seg;
  const t = px * seg[o + 6] + py * seg[o + 7] + pz * seg[o + 8];
  const x = px - t * seg[o + 6],
    y = py - t * seg[o + 7],
    z = pz - t * seg[o + 8];
  let v = which === 0 ? Math.atan2(y, x) * DEG : Math.atan2(z, Math.sqrt(x * x + y * y)) * DEG;
  const lo = set.ext[e + 4 + 2 * which],
    hi = set.ext[e + 5 + 2 * which];
  if (v < lo) v = lo;
  if (v > hi) v = hi;
  return v;
}

/**
 * Which side of the line P is on at its nearest feature: > 0 left, < 0 right,
 * 0 on the dividing surface. Interior: the segment's great circle. Vertex: the
 * pseudo-normal (bisector) there, which agrees with both neighbouring segments
 * where they meet, so the side changes only across the line itself.
 */
export function sideSign(set: LineSet, s: number, feature: number, px: number, py: number, pz: number): number {
  if (feature === INTERIOR) {
    const o = s * STRIDE + 6;
    return px * set.seg[o] + py * set.seg[o + 1] + pz * set.seg[o + 2];
  }
  const o = s * 6 + (feature === START ? 0 : 3);
  return px * set.pn[o] + py * set.pn[o + 1] + pz * set.pn[o + 2];
}

export interface Nearest {
  km: number;
  lon: number;
  lat: number;
}

const P = new Float64Array(3);

/**
 * Nearest point of the polylines to [lon, lat] and its great-circle distance.
 * Segments are great-circle arcs; a single-position line is a point; a line
 * given as a closed ring is handled like any other polyline. With no
 * positions at all: km = Infinity, lon = lat = NaN.
 */
export function nearestOnPolylines(lines: Position[][], lon: number, lat: number): Nearest {
  const set = new LineSet(lines);
  return nearestInSet(set, lon, lat);
}

/** nearestOnPolylines over a prepared LineSet (plain loop over every segment). */
export function nearestInSet(set: LineSet, lon: number, lat: number): Nearest {
  unitVector(lon, lat, P);
  const c2 = scanAll(set, P[0], P[1], P[2]);
  if (hit[0] < 0) return { km: Infinity, lon: NaN, lat: NaN };
  const s = hit[0],
    f = hit[1];
  return {
    km: chord2ToKm(c2),
    lon: nearestCoord(set, s, f, P[0], P[1], P[2], 0),
    lat: nearestCoord(set, s, f, P[0], P[1], P[2], 1),
  };
}
