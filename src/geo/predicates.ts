// Exact orientation test for points given as doubles.
//
// The sign of orient() is always the sign of the exact determinant of the input
// doubles: a fast floating-point evaluation is trusted when it is further from
// zero than its worst-case rounding error, and otherwise the determinant is
// recomputed exactly with BigInt. Near-degenerate inputs (points on or next to
// an edge) are rare in practice, so the slow path costs nothing on average.

const EPS = 2 ** -53;
// Worst-case relative error of the two-product expression below, measured
// against |l| + |r| (Shewchuk's first-stage orientation bound).
const ERR_BOUND = (3 + 16 * EPS) * EPS;

/**
 * > 0 if c lies to the left of the directed line a→b, < 0 if to the right, 0 if
 * exactly on it. Only the sign is meaningful.
 */
export function orient(ax: number, ay: number, bx: number, by: number, cx: number, cy: number): number {
  const l = (ax - cx) * (by - cy);
  const r = (ay - cy) * (bx - cx);
  const det = l - r;
  const bound = ERR_BOUND * (Math.abs(l) + Math.abs(r));
  if (det > bound || -det > bound) return det;
  // Exact without arithmetic: axis-parallel a→b (common on grid lines and boxes).
  if (ax === bx) return ay === by ? 0 : by > ay === cx > ax ? (cx === ax ? 0 : -1) : cx === ax ? 0 : 1;
  if (ay === by) return bx > ax === cy > ay ? (cy === ay ? 0 : 1) : cy === ay ? 0 : -1;
  return orientExact(ax, ay, bx, by, cx, cy);
}

const f64 = new Float64Array(1);
const u64 = new BigUint64Array(f64.buffer);

/** x · 2^1074 as an exact BigInt (every finite double is an integer multiple of 2^-1074). */
function scaled(x: number): bigint {
  f64[0] = x;
  const bits = u64[0];
  const exp = Number((bits >> 52n) & 0x7ffn);
  let m = bits & 0xfffffffffffffn;
  if (exp !== 0) m = (m | 0x10000000000000n) << BigInt(exp - 1);
  return bits >> 63n ? -m : m;
}

/** Exact sign of the orientation determinant, as -1, 0 or 1. */
export function orientExact(ax: number, ay: number, bx: number, by: number, cx: number, cy: number): number {
  const AX = scaled(ax);
  const AY = scaled(ay);
  const d = (scaled(bx) - AX) * (scaled(cy) - AY) - (scaled(by) - AY) * (scaled(cx) - AX);
  return d > 0n ? 1 : d < 0n ? -1 : 0;
}

/** True when p lies on the closed segment a–b (exactly). */
export function onSegment(ax: number, ay: number, bx: number, by: number, px: number, py: number): boolean {
  if (px < (ax < bx ? ax : bx) || px > (ax < bx ? bx : ax)) return false;
  if (py < (ay < by ? ay : by) || py > (ay < by ? by : ay)) return false;
  return orient(ax, ay, bx, by, px, py) === 0;
}

/** True when the closed segments p1–p2 and p3–p4 share at least one point (exactly). */
export function segmentsIntersect(p1x: number, p1y: number, p2x: number, p2y: number, p3x: number, p3y: number, p4x: number, p4y: number): boolean {
  const d1 = orient(p3x, p3y, p4x, p4y, p1x, p1y);
  const d2 = orient(p3x, p3y, p4x, p4y, p2x, p2y);
  const d3 = orient(p1x, p1y, p2x, p2y, p3x, p3y);
  const d4 = orient(p1x, p1y, p2x, p2y, p4x, p4y);
  if (((d1 > 0 && d2 < 0) || (d1 < 0 && d2 > 0)) && ((d3 > 0 && d4 < 0) || (d3 < 0 && d4 > 0))) return true;
  if (d1 === 0 && inBox(p3x, p3y, p4x, p4y, p1x, p1y)) return true;
  if (d2 === 0 && inBox(p3x, p3y, p4x, p4y, p2x, p2y)) return true;
  if (d3 === 0 && inBox(p1x, p1y, p2x, p2y, p3x, p3y)) return true;
  if (d4 === 0 && inBox(p1x, p1y, p2x, p2y, p4x, p4y)) return true;
  return false;
}

function inBox(ax: number, ay: number, bx: number, by: number, px: number, py: number): boolean {
  return px >= (ax < bx ? ax : bx) && px <= (ax < bx ? bx : ax) && py >= (ay < by ? ay : by) && py <= (ay < by ? by : ay);
}
