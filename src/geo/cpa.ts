// Closest point of approach between two movers under constant velocity.
//
// Motion model. A mover keeps the rates of change of longitude, latitude and
// altitude it had at its fix: lon(t) = lon0 + ve·(t - t0)/(R·cos lat0),
// lat(t) = lat0 + vn·(t - t0)/R, alt(t) = alt0 + vu·(t - t0).
//
// Metric. The horizontal distance of a pair is measured on the equirectangular
// plane about the mean latitude φm of their two fixes: x = R·cos φm·lon,
// y = R·lat. Both movers then travel in straight lines on that plane, so their
// squared separation is a quadratic in time and the interval where it is below
// km² has closed-form ends. For separations of tens of km at mid latitudes the
// planar distance is within ~1e-5 of the great-circle one; far from φm (a mover
// that flies hundreds of km north or south within the horizon) the east-west
// scale drifts by about tan φ·Δφ (≈ 0.9% after 90 km at 33°N). No antimeridian
// handling; not for use within a few km of the poles.
//
// Every function here and in separation.ts goes through pairCore(), so a
// pruned search and the all-pairs loop compute identical numbers.

import { EARTH_RADIUS_KM } from './sphere.ts';

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

export interface Approach {
  /** absolute epoch seconds */
  t: number;
  /** horizontal distance then */
  km: number;
  /** vertical distance then (metres), null unless both movers have an altitude */
  m: number | null;
}

const R = EARTH_RADIUS_KM * 1000;
const RAD = Math.PI / 180;

/** Layout of derived per-mover values in a Float64Array (see deriveMover). */
export const MSTRIDE = 8;
// 0 lon (rad), 1 lat (rad), 2 cos(lat/2), 3 sin(lat/2), 4 lon rate (rad/s),
// 5 lat rate (rad/s), 6 alt (m; NaN when null), 7 vertical rate (m/s); fix time in a separate array.

/** Writes mover m's derived values at slot k of d (and its fix time into t[k]). */
export function deriveMover(m: Mover, d: Float64Array, t: Float64Array, k: number): void {
  const o = k * MSTRIDE;
  const lat = m.lat * RAD;
  d[o] = m.lon * RAD;
  d[o + 1] = lat;
  // cos((φa + φb)/2) = cos(φa/2)cos(φb/2) - sin(φa/2)sin(φb/2): no cosine per pair.
  d[o + 2] = Math.cos(lat / 2);
  d[o + 3] = Math.sin(lat / 2);
  d[o + 4] = m.ve / (R * Math.max(1e-9, Math.cos(lat)));
  d[o + 5] = m.vn / R;
  d[o + 6] = m.alt === null ? NaN : m.alt;
  d[o + 7] = m.vu;
  t[k] = m.t;
}

/**
 * Scratch output of pairCore: [from, to, t0, Dx, Dy, Vx, Vy, Dz, Vz] — the open
 * conflict interval (absolute seconds), and the relative motion about t0
 * (metres, m/s; Dz NaN without vertical).
 */
export const pairOut = new Float64Array(9);

/**
 * Open time interval in which movers i (of A) and j (of B) are closer than kmM
 * metres horizontally and, when both have an altitude, closer than mM metres
 * vertically. Writes pairOut and returns true, or returns false if there is none.
 */
export function pairCore(A: Float64Array, tA: Float64Array, i: number, B: Float64Array, tB: Float64Array, j: number, kmM: number, mM: number): boolean {
  if (!(kmM > 0)) return false;
  const a = i * MSTRIDE,
    b = j * MSTRIDE;
  const ta = tA[i],
    tb = tB[j];
  // Time origin: the earlier fix (symmetric in a and b, and independent of "now").
  const t0 = ta < tb ? ta : tb;
  const da = t0 - ta,
    db = t0 - tb;
  // Vertical first: it is cheaper and rules out most pairs of a busy sky.
  let lo = -Infinity,
    hi = Infinity;
  const za = A[a + 6],
    zb = B[b + 6];
  let Dz = NaN,
    Vz = 0;
  if (za === za && zb === zb) {
    if (!(mM > 0)) return false;
    Dz = zb - za + (B[b + 7] * db - A[a + 7] * da);
    Vz = B[b + 7] - A[a + 7];
    if (Vz === 0) {
      if (!(Math.abs(Dz) < mM)) return false;
    } else {
      const z1 = (-mM - Dz) / Vz,
        z2 = (mM - Dz) / Vz;
      lo = z1 < z2 ? z1 : z2;
      hi = z1 < z2 ? z2 : z1;
    }
  }
  const c = A[a + 2] * B[b + 2] - A[a + 3] * B[b + 3];
  const dLon = B[b] - A[a] + (B[b + 4] * db - A[a + 4] * da);
  const dLat = B[b + 1] - A[a + 1] + (B[b + 5] * db - A[a + 5] * da);
  const Dx = R * c * dLon,
    Dy = R * dLat;
  const Vx = R * c * (B[b + 4] - A[a + 4]),
    Vy = R * (B[b + 5] - A[a + 5]);
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
  pairOut[0] = t0 + lo;
  pairOut[1] = t0 + hi;
  pairOut[2] = t0;
  pairOut[3] = Dx;
  pairOut[4] = Dy;
  pairOut[5] = Vx;
  pairOut[6] = Vy;
  pairOut[7] = Dz;
  pairOut[8] = Vz;
  return true;
}

/** The instant of least horizontal distance within [from, to], from the relative motion in pairOut. */
export function approachIn(from: number, to: number): Approach {
  const t0 = pairOut[2],
    Dx = pairOut[3],
    Dy = pairOut[4],
    Vx = pairOut[5],
    Vy = pairOut[6],
    Dz = pairOut[7],
    Vz = pairOut[8];
  const qa = Vx * Vx + Vy * Vy;
  let t = qa > 0 ? t0 - (Dx * Vx + Dy * Vy) / qa : from;
  if (!(t >= from)) t = from;
  if (t > to) t = to;
  const s = t - t0;
  const hx = Dx + Vx * s,
    hy = Dy + Vy * s;
  return { t, km: Math.sqrt(hx * hx + hy * hy) / 1000, m: Dz === Dz ? Math.abs(Dz + Vz * s) : null };
}

const D2 = new Float64Array(2 * MSTRIDE);
const T2 = new Float64Array(2);

/**
 * The unbounded conflict interval of a pair: for every t with from < t < to the
 * movers are closer than km horizontally and (when both have an altitude) closer
 * than m vertically. from may be -Infinity and to Infinity. null if never.
 * Evaluating at time T with a horizon H, a conflict is open exactly when
 * from < T + H && to > T — which is what conflict() tests.
 */
export function conflictInterval(a: Mover, b: Mover, km: number, m: number): { from: number; to: number } | null {
  deriveMover(a, D2, T2, 0);
  deriveMover(b, D2, T2, 1);
  if (!pairCore(D2, T2, 0, D2, T2, 1, km * 1000, m)) return null;
  return { from: pairOut[0], to: pairOut[1] };
}

/**
 * The part of the conflict interval inside [now, now + horizonS], with the
 * approach reported for it (least horizontal distance within that part), or
 * null when the pair does not conflict in the window.
 */
export function conflict(a: Mover, b: Mover, now: number, horizonS: number, km: number, m: number): { from: number; to: number; at: Approach } | null {
  if (!(horizonS >= 0)) throw new RangeError('horizonS must be a non-negative number');
  deriveMover(a, D2, T2, 0);
  deriveMover(b, D2, T2, 1);
  if (!pairCore(D2, T2, 0, D2, T2, 1, km * 1000, m)) return null;
  return clip(now, now + horizonS);
}

/** pairOut's interval clipped to [now, end], with its approach; null if they do not meet. */
export function clip(now: number, end: number): { from: number; to: number; at: Approach } | null {
  const lo = pairOut[0],
    hi = pairOut[1];
  if (!(lo < end && hi > now)) return null;
  const from = lo > now ? lo : now;
  const to = hi < end ? hi : end;
  return { from, to, at: approachIn(from, to) };
}
