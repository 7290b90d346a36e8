// The one motion model of a moving unit: how its position, altitude and
// velocity extrapolate from its fix, and the bounds of what it sweeps over a
// window. cpa.ts (a pair's conflict interval), separation.ts (the grid of swept
// extents) and the engine's SeparationWatch all go through here, so the grid's
// bounds and the intervals are of the same motion and need no slack between them.
//
// Model. A track keeps the rates of change of longitude, latitude and altitude
// it had at its fix: lon(t) = lon0 + ve·(t - t0)/(R·cos lat0),
// lat(t) = lat0 + vn·(t - t0)/R, alt(t) = alt0 + vu·(t - t0). Longitude is not
// wrapped and latitude not clamped: the model is a straight line in (lon, lat)
// and is not for use across the antimeridian or within a few km of the poles.
//
// Altitude is known only when both the altitude and the vertical rate are finite
// numbers: with an unknown climb rate the altitude at any other instant is
// unknown, and a track of unknown altitude is judged on the horizontal minimum
// alone (flagging a pair rather than hiding it).

import { EARTH_RADIUS_KM } from './sphere.ts';

const R = EARTH_RADIUS_KM * 1000;
const RAD = Math.PI / 180;

export interface Mover {
  lon: number;
  lat: number;
  /** metres, or null when unknown */
  alt: number | null;
  /** velocity east, north, up (m/s) */
  ve: number;
  vn: number;
  vu: number;
  /** epoch seconds of the fix */
  t: number;
}

/** A mover's fix in the model's own terms (radians, radians per second), derived once per fix. */
export interface Track {
  readonly lon: number;
  readonly lat: number;
  /** cos and sin of lat/2: the pair metric's cos of the mean latitude needs no cosine per pair */
  readonly cosHalf: number;
  readonly sinHalf: number;
  readonly lonRate: number;
  readonly latRate: number;
  /** metres; NaN when unknown */
  readonly alt: number;
  /** m/s; 0 when the altitude is unknown */
  readonly vu: number;
  /** epoch seconds of the fix */
  readonly t: number;
}

export function track(m: Mover): Track {
  const lat = m.lat * RAD;
  const known = m.alt !== null && Number.isFinite(m.alt) && Number.isFinite(m.vu);
  return {
    lon: m.lon * RAD,
    lat,
    cosHalf: Math.cos(lat / 2),
    sinHalf: Math.sin(lat / 2),
    lonRate: m.ve / (R * Math.max(1e-9, Math.cos(lat))),
    latRate: m.vn / R,
    alt: known ? (m.alt as number) : NaN,
    vu: known ? m.vu : 0,
    t: m.t,
  };
}

/** Where the model puts the track at time t (degrees, metres; alt null when unknown). */
export function positionAt(k: Track, t: number): { lon: number; lat: number; alt: number | null } {
  const dt = t - k.t;
  return {
    lon: (k.lon + k.lonRate * dt) / RAD,
    lat: (k.lat + k.latRate * dt) / RAD,
    alt: k.alt === k.alt ? k.alt + k.vu * dt : null,
  };
}

/** Numbers per extent: lon0, lon1, lat0, lat1 (radians), alt0, alt1 (metres; NaN when unknown). */
export const EXTENT = 6;

/**
 * Writes at out[o .. o + EXTENT) the box the track sweeps over [from, to]. Exact,
 * not padded: lon, lat and alt are each linear in time, so over an interval each
 * lies between its values at the two ends. All NaN when the track is not finite
 * (it can conflict with nothing, see cpa.ts).
 */
export function sweptExtent(k: Track, from: number, to: number, out: Float64Array, o: number): void {
  const da = from - k.t,
    db = to - k.t;
  const x0 = k.lon + k.lonRate * da,
    x1 = k.lon + k.lonRate * db;
  const y0 = k.lat + k.latRate * da,
    y1 = k.lat + k.latRate * db;
  if (!Number.isFinite(x0 + x1 + y0 + y1)) {
    out.fill(NaN, o, o + EXTENT);
    return;
  }
  out[o] = x0 < x1 ? x0 : x1;
  out[o + 1] = x0 < x1 ? x1 : x0;
  out[o + 2] = y0 < y1 ? y0 : y1;
  out[o + 3] = y0 < y1 ? y1 : y0;
  const z0 = k.alt + k.vu * da,
    z1 = k.alt + k.vu * db;
  out[o + 4] = z0 < z1 ? z0 : z1;
  out[o + 5] = z0 < z1 ? z1 : z0;
}

/**
 * Metres added to a minimum to cover rounding, and nothing else: a pair's
 * interval ends are absolute epoch seconds, rounded to the spacing of doubles
 * there (2^-22 s ≈ 2.4e-7 s until 2106), over which a pair closing at up to
 * 40 km/s moves less than 1 cm; the extents' own rounding is far smaller.
 */
export const ROUNDING_M = 0.01;

/**
 * How far apart (radians of lat, of lon) two tracks' positions may be at an
 * instant when they are closer than km, for tracks whose fix latitudes are at
 * most `top` (radians) from the equator.
 *
 * Why this bound is conservative: cpa.ts measures a pair on the plane
 * x = R·cos φm·lon, y = R·lat with φm the mean of the two fix latitudes. Closer
 * than km there means R·|Δlat| < km and R·cos φm·|Δlon| < km; |φm| ≤ top, so
 * cos φm ≥ cos top and |Δlon| < km/(R·cos top). Two extents that hold the tracks
 * over a window can thus only hide a conflict inside it if they come within
 * these margins (plus ROUNDING_M).
 */
export function reachMargins(km: number, top: number): { lat: number; lon: number } {
  const lat = (km * 1000 + ROUNDING_M) / R;
  const lon = top < 89.999 * RAD ? (lat / Math.cos(top)) * (1 + 1e-12) : Infinity;
  return { lat, lon };
}
