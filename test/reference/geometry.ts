// Plain geometry for the reference monitor. It deliberately shares nothing with
// src/geo: the reference is only worth having if a bug there cannot hide here too.
// Everything is brute force and written for readability, not speed.

export const EARTH_RADIUS_KM = 6371.0088;
const RAD = Math.PI / 180;

export type Pos = readonly [number, number]; // [lon, lat] in degrees (GeoJSON order)
type Vec3 = [number, number, number];

/** Something that wants to hear about evaluations too close to a threshold to be decided reliably. */
export type Note = (msg: string) => void;

/** Great-circle distance by the haversine formula, in km. */
export function haversineKm(a: Pos, b: Pos): number {
  const dLat = (b[1] - a[1]) * RAD;
  const dLon = (b[0] - a[0]) * RAD;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(a[1] * RAD) * Math.cos(b[1] * RAD) * Math.sin(dLon / 2) ** 2;
  return 2 * EARTH_RADIUS_KM * Math.asin(Math.min(1, Math.sqrt(h)));
}

// ---------------------------------------------------------------- polygons (planar)

/** Planar distance in degrees from p to segment ab (used only to flag near-edge points). */
function planarSegmentDistance(p: Pos, a: Pos, b: Pos): number {
  const dx = b[0] - a[0];
  const dy = b[1] - a[1];
  const len2 = dx * dx + dy * dy;
  let t = len2 === 0 ? 0 : ((p[0] - a[0]) * dx + (p[1] - a[1]) * dy) / len2;
  t = Math.max(0, Math.min(1, t));
  return Math.hypot(p[0] - (a[0] + t * dx), p[1] - (a[1] + t * dy));
}

/** Exactly on segment ab: zero cross product (no epsilon) and inside the segment's box. */
function onSegment(p: Pos, a: Pos, b: Pos): boolean {
  const cross = (b[0] - a[0]) * (p[1] - a[1]) - (b[1] - a[1]) * (p[0] - a[0]);
  if (cross !== 0) return false;
  return Math.min(a[0], b[0]) <= p[0] && p[0] <= Math.max(a[0], b[0]) && Math.min(a[1], b[1]) <= p[1] && p[1] <= Math.max(a[1], b[1]);
}

/**
 * Even-odd rule over every ring of one polygon (outer ring and holes alike, so a
 * point in a hole crosses two rings and comes out "outside"), in the plane of
 * lon/lat. A point exactly on any ring's edge, a hole's included, is inside: the
 * boundary belongs to the zone.
 *
 * With `note`, a point within 1e-6° of an edge that it is not exactly on (or
 * exactly on a slanted edge, where float rounding of the vertices decides) is
 * reported: two correct implementations may legitimately disagree there.
 */
export function pointInPolygonRings(p: Pos, rings: readonly (readonly Pos[])[], note?: Note): boolean {
  let inside = false;
  let onEdge = false;
  for (const ring of rings) {
    const n = ring.length;
    for (let i = 0; i < n; i++) {
      const a = ring[i];
      const b = ring[(i + 1) % n]; // also closes rings given open; a closed ring's last edge is a point
      if (onSegment(p, a, b)) {
        onEdge = true;
        const atVertex = (p[0] === a[0] && p[1] === a[1]) || (p[0] === b[0] && p[1] === b[1]);
        const axisAligned = a[0] === b[0] || a[1] === b[1];
        if (note && !atVertex && !axisAligned) note(`point ${p} exactly on slanted edge ${a}–${b}`);
      } else if (note && planarSegmentDistance(p, a, b) < 1e-6) {
        note(`point ${p} within 1e-6° of edge ${a}–${b}`);
      }
      // Crossing test of a ray going east from p; half-open in y so a vertex is counted once.
      if (a[1] > p[1] !== b[1] > p[1]) {
        const xCross = a[0] + ((p[1] - a[1]) * (b[0] - a[0])) / (b[1] - a[1]);
        if (p[0] < xCross) inside = !inside;
      }
    }
  }
  return onEdge || inside;
}

export type PolygonGeometry = { type: 'Polygon'; coordinates: Pos[][] } | { type: 'MultiPolygon'; coordinates: Pos[][][] };

/** A multipolygon contains the point when any of its polygons does. */
export function pointInGeometry(p: Pos, g: PolygonGeometry, note?: Note): boolean {
  const polys = g.type === 'Polygon' ? [g.coordinates] : g.coordinates;
  let hit = false;
  // No early exit: every polygon is visited so that near-edge notes are complete.
  for (const rings of polys) if (pointInPolygonRings(p, rings, note)) hit = true;
  return hit;
}

/** Every ring of the geometry as a polyline: the "edge" of a zone, for bands of a zone. */
export function geometryEdges(g: PolygonGeometry): Pos[][] {
  return g.type === 'Polygon' ? g.coordinates.map((r) => [...r]) : g.coordinates.flatMap((poly) => poly.map((r) => [...r]));
}

// ---------------------------------------------------------------- lines (spherical)

function toVec(p: Pos): Vec3 {
  const lon = p[0] * RAD;
  const lat = p[1] * RAD;
  return [Math.cos(lat) * Math.cos(lon), Math.cos(lat) * Math.sin(lon), Math.sin(lat)];
}
function toPos(v: Vec3): Pos {
  return [Math.atan2(v[1], v[0]) / RAD, Math.atan2(v[2], Math.hypot(v[0], v[1])) / RAD];
}
const dot = (a: Vec3, b: Vec3): number => a[0] * b[0] + a[1] * b[1] + a[2] * b[2];
const cross = (a: Vec3, b: Vec3): Vec3 => [a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0]];
const norm = (a: Vec3): number => Math.hypot(a[0], a[1], a[2]);
const scale = (a: Vec3, s: number): Vec3 => [a[0] * s, a[1] * s, a[2] * s];
const sub = (a: Vec3, b: Vec3): Vec3 => [a[0] - b[0], a[1] - b[1], a[2] - b[2]];

export interface Nearest {
  km: number; // great-circle distance from the point to the segment
  point: Pos; // nearest point of the segment
  /** which side of the directed great circle a→b the point is on: > 0 left, < 0 right, 0 on it */
  leftness: number;
}

/**
 * Nearest point of the great-circle arc a→b to p, exactly on the sphere: project p
 * onto the arc's plane; if the projection falls within the arc that is the nearest
 * point, otherwise the nearer endpoint is.
 */
export function nearestOnSegment(p: Pos, a: Pos, b: Pos): Nearest {
  const P = toVec(p);
  const A = toVec(a);
  const B = toVec(b);
  const N = cross(A, B);
  const nLen = norm(N);
  const endpoints = (leftness: number): Nearest => {
    const da = haversineKm(p, a);
    const db = haversineKm(p, b);
    return da <= db ? { km: da, point: a, leftness } : { km: db, point: b, leftness };
  };
  if (nLen < 1e-15) return endpoints(0); // degenerate segment: a single point has no direction
  const n = scale(N, 1 / nLen);
  const s = dot(P, n); // sine of p's angular distance from the great circle; its sign gives the side
  const inPlane = sub(P, scale(n, s));
  const inLen = norm(inPlane);
  if (inLen < 1e-15) return endpoints(s);
  const Q = scale(inPlane, 1 / inLen);
  const withinArc = dot(cross(A, Q), n) >= 0 && dot(cross(Q, B), n) >= 0;
  if (!withinArc) return endpoints(s);
  return { km: EARTH_RADIUS_KM * Math.atan2(Math.abs(s), inLen), point: toPos(Q), leftness: s };
}

export type Side = 'east' | 'west' | 'north' | 'south' | 'left' | 'right' | 'both';

function onSide(p: Pos, near: Nearest, side: Side): boolean {
  // Ties (the point level with its nearest point, or on the line) count for both sides,
  // like a polygon's boundary counts as inside.
  switch (side) {
    case 'east':
      return p[0] >= near.point[0];
    case 'west':
      return p[0] <= near.point[0];
    case 'north':
      return p[1] >= near.point[1];
    case 'south':
      return p[1] <= near.point[1];
    case 'left':
      return near.leftness >= 0;
    case 'right':
      return near.leftness <= 0;
    case 'both':
      return true;
  }
}

/**
 * In a band: great-circle distance to the nearest point of the polylines within
 * [kmMin, kmMax] (inclusive), and on `side` as judged at that nearest point. Every
 * segment is checked; on an exact distance tie the first segment in document order
 * decides the side.
 *
 * With `note`: distances within 0.5% of the outer limit of either bound,
 * sides decided by less than about 1% of the distance, and near-ties between
 * segments that disagree about the side are reported.
 */
export function pointInBand(p: Pos, polylines: readonly (readonly Pos[])[], km: readonly [number, number], side: Side, note?: Note): boolean {
  const candidates: Nearest[] = [];
  for (const line of polylines) {
    for (let i = 0; i + 1 < line.length; i++) candidates.push(nearestOnSegment(p, line[i], line[i + 1]));
  }
  if (candidates.length === 0) return false;
  let best = candidates[0];
  for (const c of candidates) if (c.km < best.km) best = c;
  const inside = best.km >= km[0] && best.km <= km[1] && onSide(p, best, side);
  if (note) {
    const margin = 0.005 * km[1];
    // A lower bound of 0 is no threshold (a distance cannot be less); near the line only
    // the side can be in doubt, which is checked below.
    if ((km[0] > 0 && Math.abs(best.km - km[0]) < margin) || Math.abs(best.km - km[1]) < margin) {
      note(`point ${p} at ${best.km} km, within 0.5% of band limits ${km}`);
    }
    // Which side the point is on matters only when its distance could put it in the band.
    if (side !== 'both' && best.km >= km[0] - margin && best.km <= km[1] + margin) {
      for (const c of candidates) {
        if (c.km <= best.km * 1.005 + 1e-9 && onSide(p, c, side) !== onSide(p, best, side)) {
          note(`point ${p}: nearly equidistant segments disagree about side ${side}`);
        }
      }
      // How decisively the point is on one side, in km, against ~1% of its distance.
      let lean: number;
      if (side === 'east' || side === 'west') lean = Math.abs(p[0] - best.point[0]) * RAD * EARTH_RADIUS_KM * Math.cos(p[1] * RAD);
      else if (side === 'north' || side === 'south') lean = Math.abs(p[1] - best.point[1]) * RAD * EARTH_RADIUS_KM;
      else lean = Math.abs(best.leftness) * EARTH_RADIUS_KM;
      if (lean < 0.01 * best.km + 1e-3) note(`point ${p}: side ${side} decided by ${lean} km only`);
    }
  }
  return inside;
}
