// Great-circle geometry on a sphere of the IUGG mean Earth radius.

export const EARTH_RADIUS_KM = 6371.0088;

const RAD = Math.PI / 180;

/** Great-circle distance in km (haversine, accurate for tiny and large distances alike). */
export function distanceKm(lon1: number, lat1: number, lon2: number, lat2: number): number {
  const p1 = lat1 * RAD;
  const p2 = lat2 * RAD;
  const sp = Math.sin((p2 - p1) / 2);
  const sl = Math.sin(((lon2 - lon1) * RAD) / 2);
  const h = sp * sp + Math.cos(p1) * Math.cos(p2) * sl * sl;
  return 2 * EARTH_RADIUS_KM * Math.asin(Math.min(1, Math.sqrt(h)));
}

/** The point reached going `km` from [lon, lat] on the initial bearing `bearingDeg` (clockwise from north). */
export function destination(lon: number, lat: number, bearingDeg: number, km: number): [number, number] {
  const d = km / EARTH_RADIUS_KM;
  const b = bearingDeg * RAD;
  const p1 = lat * RAD;
  const sp1 = Math.sin(p1);
  const cp1 = Math.cos(p1);
  const sp2 = sp1 * Math.cos(d) + cp1 * Math.sin(d) * Math.cos(b);
  const p2 = Math.asin(Math.max(-1, Math.min(1, sp2)));
  const l2 = lon * RAD + Math.atan2(Math.sin(b) * Math.sin(d) * cp1, Math.cos(d) - sp1 * sp2);
  let lon2 = l2 / RAD;
  if (lon2 > 180) lon2 -= 360;
  else if (lon2 < -180) lon2 += 360;
  return [lon2, p2 / RAD];
}

/** Initial bearing in degrees, clockwise from north, from the first point to the second. */
export function bearingDeg(lon1: number, lat1: number, lon2: number, lat2: number): number {
  const p1 = lat1 * RAD;
  const p2 = lat2 * RAD;
  const dl = (lon2 - lon1) * RAD;
  const y = Math.sin(dl) * Math.cos(p2);
  const x = Math.cos(p1) * Math.sin(p2) - Math.sin(p1) * Math.cos(p2) * Math.cos(dl);
  return (Math.atan2(y, x) / RAD + 360) % 360;
}
