// Closest point of approach between two tracks under the motion model of
// motion.ts (constant rates of longitude, latitude and altitude from each fix).
//
// Metric. The horizontal distance of a pair is measured on the equirectangular
// plane about the mean latitude φm of their two fixes: x = R·cos φm·lon,
// y = R·lat. Both tracks then travel in straight lines on that plane, so their
// squared separation is a quadratic in time and the interval where it is below
// km² has closed-form ends. For separations of tens of km at mid latitudes the
// planar distance is within ~1e-5 of the great-circle one; far from φm (a mover
// that flies hundreds of km north or south within the horizon) the east-west
// scale drifts by about tan φ·Δφ (≈ 0.9% after 90 km at 33°N).
//
// Results go to a PairMotion the caller owns (and may reuse), never to
// module-level scratch.

import { EARTH_RADIUS_KM } from './sphere.ts';
import { type Mover, type Track, track } from './motion.ts';

export type { Mover, Track } from './motion.ts';

export interface Approach {
  /** absolute epoch seconds */
  t: number;
  /** horizontal distance then */
  km: number;
  /** vertical distance then (metres), null unless both movers have an altitude */
  m: number | null;
}

const R = EARTH_RADIUS_KM * 1000;

/**
 * A pair's conflict: the open interval (absolute seconds) in which both minima
 * are broken, and the relative motion about t0 (metres, m/s; dz NaN without
 * vertical) from which its approach is read.
 */
export class PairMotion {
  from = 0;
  to = 0;
  t0 = 0;
  dx = 0;
  dy = 0;
  vx = 0;
  vy = 0;
  dz = Number.NaN;
  vz = 0;
}

/**
 * Open time interval in which tracks a and b are closer than kmM metres
 * horizontally and, when both have an altitude, closer than mM metres
 * vertically. Fills out and returns true, or returns false if there is none
 * (also for a track that is not finite).
 */
export function pairConflict(a: Track, b: Track, kmM: number, mM: number, out: PairMotion): boolean {
  if (!(kmM > 0)) return false;
  const ta = a.t,
    tb = b.t;
  // Time origin: the earlier fix (symmetric in a and b, and independent of "now").
  const t0 = ta < tb ? ta : tb;
  const da = t0 - ta,
    db = t0 - tb;
  // Vertical first: it is cheaper and rules out most pairs of a busy sky.
  let lo = -Infinity,
    hi = Infinity;
  const za = a.alt,
    zb = b.alt;
  let Dz = Number.NaN,
    Vz = 0;
  if (za === za && zb === zb) {
    if (!(mM > 0)) return false;
    Dz = zb - za + (b.vu * db - a.vu * da);
    Vz = b.vu - a.vu;
    if (Vz === 0) {
      if (!(Math.abs(Dz) < mM)) return false;
    } else {
      const z1 = (-mM - Dz) / Vz,
        z2 = (mM - Dz) / Vz;
      lo = z1 < z2 ? z1 : z2;
      hi = z1 < z2 ? z2 : z1;
    }
  }
  // cos((φa + φb)/2) = cos(φa/2)cos(φb/2) - sin(φa/2)sin(φb/2)
  const c = a.cosHalf * b.cosHalf - a.sinHalf * b.sinHalf;
  const dLon = b.lon - a.lon + (b.lonRate * db - a.lonRate * da);
  const dLat = b.lat - a.lat + (b.latRate * db - a.latRate * da);
  const Dx = R * c * dLon,
    Dy = R * dLat;
  const Vx = R * c * (b.lonRate - a.lonRate),
    Vy = R * (b.latRate - a.latRate);
  const qa = Vx * Vx + Vy * Vy,
    qb = Dx * Vx + Dy * Vy,
    qc = Dx * Dx + Dy * Dy - kmM * kmM;
  if (qa === 0) {
    if (!(qc < 0)) return false;
  } else {
    const disc = qb * qb - qa * qc;
    if (!(disc > 0)) return false;
    const sq = Math.sqrt(disc);
    // roots of qa·s² + 2qb·s + qc without cancellation
    const q = qb >= 0 ? -(qb + sq) : sq - qb;
    const r1 = q / qa,
      r2 = qc / q;
    const hl = r1 < r2 ? r1 : r2,
      hh = r1 < r2 ? r2 : r1;
    if (hl > lo) lo = hl;
    if (hh < hi) hi = hh;
  }
  if (!(lo < hi)) return false;
  out.from = t0 + lo;
  out.to = t0 + hi;
  out.t0 = t0;
  out.dx = Dx;
  out.dy = Dy;
  out.vx = Vx;
  out.vy = Vy;
  out.dz = Dz;
  out.vz = Vz;
  return true;
}

/** The instant of least horizontal distance within [from, to], from the pair's relative motion. */
export function approachIn(p: PairMotion, from: number, to: number): Approach {
  const qa = p.vx * p.vx + p.vy * p.vy;
  let t = qa > 0 ? p.t0 - (p.dx * p.vx + p.dy * p.vy) / qa : from;
  if (!(t >= from)) t = from;
  if (t > to) t = to;
  const s = t - p.t0;
  const hx = p.dx + p.vx * s,
    hy = p.dy + p.vy * s;
  return { t, km: Math.sqrt(hx * hx + hy * hy) / 1000, m: p.dz === p.dz ? Math.abs(p.dz + p.vz * s) : null };
}

/** The pair's interval clipped to [now, end], with its approach; null if they do not meet in it. */
export function clip(p: PairMotion, now: number, end: number): { from: number; to: number; at: Approach } | null {
  const lo = p.from,
    hi = p.to;
  if (!(lo < end && hi > now)) return null;
  const from = lo > now ? lo : now;
  const to = hi < end ? hi : end;
  return { from, to, at: approachIn(p, from, to) };
}

/**
 * The unbounded conflict interval of a pair: for every t with from < t < to the
 * movers are closer than km horizontally and (when both have an altitude) closer
 * than m vertically. from may be -Infinity and to Infinity. null if never.
 * Evaluating at time T with a horizon H, a conflict is open exactly when
 * from < T + H && to > T — which is what conflict() tests.
 */
export function conflictInterval(a: Mover, b: Mover, km: number, m: number): { from: number; to: number } | null {
  const p = new PairMotion();
  if (!pairConflict(track(a), track(b), km * 1000, m, p)) return null;
  return { from: p.from, to: p.to };
}

/**
 * The part of the conflict interval inside [now, now + horizonS], with the
 * approach reported for it (least horizontal distance within that part), or
 * null when the pair does not conflict in the window.
 */
export function conflict(a: Mover, b: Mover, now: number, horizonS: number, km: number, m: number): { from: number; to: number; at: Approach } | null {
  if (!(horizonS >= 0)) throw new RangeError('horizonS must be a non-negative number');
  const p = new PairMotion();
  if (!pairConflict(track(a), track(b), km * 1000, m, p)) return null;
  return clip(p, now, now + horizonS);
}
