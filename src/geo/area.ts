// Area on the sphere of radius EARTH_RADIUS_KM, edges taken as great-circle arcs.
//
// Each edge contributes the signed area of the spherical quadrilateral between
// it and the equator, whose excess E satisfies
//   tan(E/2) = tan(Δλ/2) · (tan(φ1/2) + tan(φ2/2)) / (1 + tan(φ1/2)·tan(φ2/2));
// summed around a ring these give the enclosed area, signed by orientation.
// Rings must not enclose a pole.

import { EARTH_RADIUS_KM } from './sphere.ts';
import type { MultiPolygonCoords, Ring } from './types.ts';

const RAD = Math.PI / 180;

/** Area enclosed by one ring in km² (orientation ignored). */
export function ringAreaKm2(ring: Ring): number {
  const n = ring.length;
  if (n < 3) return 0;
  let sum = 0;
  for (let k = 0; k < n; k++) {
    const a = ring[k];
    const b = ring[k + 1 < n ? k + 1 : 0];
    let dl = (b[0] - a[0]) * RAD;
    // edges are the short way round
    if (dl > Math.PI) dl -= 2 * Math.PI;
    else if (dl < -Math.PI) dl += 2 * Math.PI;
    const t1 = Math.tan((a[1] * RAD) / 2);
    const t2 = Math.tan((b[1] * RAD) / 2);
    sum += 2 * Math.atan2(Math.tan(dl / 2) * (t1 + t2), 1 + t1 * t2);
  }
  return Math.abs(sum) * EARTH_RADIUS_KM * EARTH_RADIUS_KM;
}

/** Spherical area of a multipolygon in km²: outer rings minus their holes. */
export function areaKm2(mp: MultiPolygonCoords): number {
  let total = 0;
  for (const poly of mp) {
    if (poly.length === 0) continue;
    let a = ringAreaKm2(poly[0]);
    for (let h = 1; h < poly.length; h++) a -= ringAreaKm2(poly[h]);
    total += a;
  }
  return total;
}
