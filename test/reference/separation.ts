// Closest point of approach for the reference, in closed form.
//
// Both units are first moved to `now` from their own report times at constant
// velocity (east/north metres per second turned into degrees at the unit's reported
// latitude). From there the pair is put in a local equirectangular plane centred on
// its mid-latitude, where relative motion is a straight line and
//   |d0 + dv τ|² < km²      (horizontal conflict)
//   |dz0 + dvz τ|  < m      (vertical conflict, only when both report altitude)
// are each an open interval of τ (seconds from now). Their intersection is the
// conflict; over a few tens of km the plane's distances are well within the spec's
// 0.1% of great-circle distances.

import { EARTH_RADIUS_KM, type Note } from './geometry.ts';
import { numbersClose } from './compare.ts';
import type { RefReport } from './types.ts';

const RAD = Math.PI / 180;

export interface Cpa {
  state: 'none' | 'separation' | 'loss';
  cpa_s?: number;
  cpa_km?: number;
  cpa_m?: number | null;
}

interface Moved {
  lon: number;
  lat: number;
  alt: number | undefined;
  ve: number; // m/s
  vn: number;
  vu: number;
  movedKm: number; // how far it was extrapolated to `now`, to judge how much to trust the plane
}

function moveTo(r: RefReport, now: number): Moved {
  const [lon0, lat0] = r.position as readonly [number, number];
  const ve = r.velocity?.east_mps ?? 0;
  const vn = r.velocity?.north_mps ?? 0;
  const vu = r.velocity?.up_mps ?? 0;
  const dt = (now - Date.parse(r.time)) / 1000;
  return {
    lat: lat0 + (vn * dt) / 1000 / EARTH_RADIUS_KM / RAD,
    lon: lon0 + (ve * dt) / 1000 / (EARTH_RADIUS_KM * Math.cos(lat0 * RAD)) / RAD,
    alt: r.altitude_m === undefined ? undefined : r.altitude_m + vu * dt,
    ve,
    vn,
    vu,
    movedKm: (Math.hypot(ve, vn) * Math.abs(dt)) / 1000,
  };
}

type Interval = [number, number] | null; // open interval (lo, hi), or empty

function intersect(a: Interval, b: Interval): Interval {
  if (!a || !b) return null;
  const lo = Math.max(a[0], b[0]);
  const hi = Math.min(a[1], b[1]);
  return lo < hi ? [lo, hi] : null;
}

/** Open interval where q(τ) = A τ² + B τ + C < 0 (A ≥ 0); numerically stable roots. */
function negativeInterval(A: number, B: number, C: number): Interval {
  if (A === 0) {
    // Linear or constant; with A = |dv|² = 0, B is 0 too: the distance never changes.
    return C < 0 ? [-Infinity, Infinity] : null;
  }
  const disc = B * B - 4 * A * C;
  if (disc <= 0) return null;
  const q = -0.5 * (B + Math.sign(B || 1) * Math.sqrt(disc));
  const r1 = q / A;
  const r2 = C / q;
  return [Math.min(r1, r2), Math.max(r1, r2)];
}

interface Tweak {
  km: number;
  m: number | undefined;
  shift: [number, number]; // km added to the relative position, to mimic another implementation's frame
}

function evaluate(a: Moved, b: Moved, lookaheadS: number, tw: Tweak): Cpa {
  const latMid = ((a.lat + b.lat) / 2) * RAD;
  const kx = EARTH_RADIUS_KM * RAD * Math.cos(latMid);
  const ky = EARTH_RADIUS_KM * RAD;
  const d0x = (b.lon - a.lon) * kx + tw.shift[0];
  const d0y = (b.lat - a.lat) * ky + tw.shift[1];
  const dvx = (b.ve - a.ve) / 1000; // km/s
  const dvy = (b.vn - a.vn) / 1000;
  const A = dvx * dvx + dvy * dvy;
  const horizontal = negativeInterval(A, 2 * (d0x * dvx + d0y * dvy), d0x * d0x + d0y * d0y - tw.km * tw.km);
  const bothAlt = a.alt !== undefined && b.alt !== undefined;
  const dz0 = bothAlt ? (b.alt as number) - (a.alt as number) : 0;
  const dvz = b.vu - a.vu;
  let vertical: Interval = [-Infinity, Infinity];
  if (bothAlt && tw.m !== undefined) {
    if (dvz === 0) vertical = Math.abs(dz0) < tw.m ? [-Infinity, Infinity] : null;
    else {
      const r1 = (-tw.m - dz0) / dvz;
      const r2 = (tw.m - dz0) / dvz;
      vertical = [Math.min(r1, r2), Math.max(r1, r2)];
    }
  }
  const conflict = intersect(horizontal, vertical);
  if (!conflict) return { state: 'none' };
  // "now is in the conflict" is decided from the current distances directly, not from
  // the interval ends, so that rounding in the roots cannot move it.
  const lossNow = d0x * d0x + d0y * d0y < tw.km * tw.km && (!bothAlt || tw.m === undefined || Math.abs(dz0) < tw.m);
  let lo: number;
  if (lossNow) lo = 0;
  else if (conflict[1] > 0 && Math.max(0, conflict[0]) < lookaheadS) lo = Math.max(0, conflict[0]);
  else return { state: 'none' };
  const hi = Math.min(conflict[1], lookaheadS);
  // Least horizontal distance over the conflict window [lo, hi] (closed); with no
  // relative motion every instant ties and the earliest is taken.
  const free = A > 0 ? -(d0x * dvx + d0y * dvy) / A : lo;
  const tau = Math.min(hi, Math.max(lo, free));
  return {
    state: lossNow ? 'loss' : 'separation',
    cpa_s: tau,
    cpa_km: Math.hypot(d0x + dvx * tau, d0y + dvy * tau),
    cpa_m: bothAlt ? Math.abs(dz0 + dvz * tau) : null,
  };
}

/**
 * The pair's state at `now`: `a` is the first actor's unit. With `note`, the result is
 * re-computed with the minima nudged by 0.7% (plus what a different extrapolation frame
 * could shift over the distance flown) and the relative position nudged likewise; if
 * the state or the cpa numbers move beyond the comparison tolerance, the case is
 * reported as too close to call.
 */
export function separationAt(ra: RefReport, rb: RefReport, now: number, km: number, m: number | undefined, lookaheadS: number, note?: Note): Cpa {
  const a = moveTo(ra, now);
  const b = moveTo(rb, now);
  const nominal = evaluate(a, b, lookaheadS, { km, m, shift: [0, 0] });
  if (note) {
    const flownA = a.movedKm + (Math.hypot(a.ve, a.vn) * lookaheadS) / 1000;
    const flownB = b.movedKm + (Math.hypot(b.ve, b.vn) * lookaheadS) / 1000;
    // Moving a point d km on a flat frame instead of along a great circle (or a rhumb
    // line) puts it about d² tan(lat) / 2R off; 0.4 d²/R covers latitudes up to ~40°.
    const frame = (0.4 * (flownA * flownA + flownB * flownB)) / EARTH_RADIUS_KM;
    const dk = 0.007 * km + frame;
    const dm = m === undefined ? 0 : 0.005 * m + 0.5;
    const rel = [(b.ve - a.ve) / 1000, (b.vn - a.vn) / 1000];
    const relLen = Math.hypot(rel[0], rel[1]);
    const along: [number, number] = relLen > 0 ? [rel[0] / relLen, rel[1] / relLen] : [1, 0];
    // Nudging `m` may only flip the state: vertical motion is exact arithmetic, so where
    // the closest instant sits on the vertical limit every implementation finds cpa_m = m.
    const tweaks: (Tweak & { statesOnly?: boolean })[] = [
      { km: km - dk, m, shift: [0, 0] },
      { km: km + dk, m, shift: [0, 0] },
      { km, m: m === undefined ? undefined : m - dm, shift: [0, 0], statesOnly: true },
      { km, m: m === undefined ? undefined : m + dm, shift: [0, 0], statesOnly: true },
      { km, m, shift: [along[0] * frame, along[1] * frame] },
      { km, m, shift: [-along[0] * frame, -along[1] * frame] },
      { km, m, shift: [-along[1] * frame, along[0] * frame] },
      { km, m, shift: [along[1] * frame, -along[0] * frame] },
    ];
    const who = `${ra.unit}/${rb.unit} at ${new Date(now).toISOString()}`;
    for (const tw of tweaks) {
      const alt = evaluate(a, b, lookaheadS, tw);
      if (alt.state !== nominal.state) {
        note(`separation ${who}: ${nominal.state} becomes ${alt.state} with km ${tw.km}, m ${tw.m}, shift ${tw.shift}`);
      } else if (nominal.state !== 'none' && !tw.statesOnly) {
        for (const f of ['cpa_s', 'cpa_km', 'cpa_m'] as const) {
          const x = nominal[f];
          const y = alt[f];
          if (typeof x === 'number' && typeof y === 'number' && !numbersClose(f, x, y)) {
            note(`separation ${who}: ${f} ${x} vs ${y} under a small nudge`);
          }
        }
      }
    }
    if (nominal.state !== 'none' && (flownA > 20 || flownB > 20)) {
      note(`separation ${who}: extrapolated ${flownA.toFixed(1)}/${flownB.toFixed(1)} km, beyond a flat frame's reach`);
    }
  }
  return nominal;
}
