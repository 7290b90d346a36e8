// Shared by the grid-backed regions: classify a box against a region's cell states.

import type { BBox } from './types.ts';

/**
 * 0 when no point of the box [x0, x1] × [y0, y1] is in the region, 1 when every
 * point is, 2 when the grid cannot tell. `state` holds 0 (out), 1 (in) or >= 2
 * (mixed) per cell; cells are located exactly as the region's contains() locates
 * points, so the answer holds for every point contains() would see in the box.
 */
export function classifyCells(
  state: Uint8Array,
  nx: number,
  ny: number,
  gx0: number,
  gy0: number,
  invW: number,
  invH: number,
  bbox: BBox,
  x0: number,
  y0: number,
  x1: number,
  y1: number,
): 0 | 1 | 2 {
  const bx0 = bbox[0],
    by0 = bbox[1],
    bx1 = bbox[2],
    by1 = bbox[3];
  if (!(x1 >= bx0 && x0 <= bx1 && y1 >= by0 && y0 <= by1)) return 0;
  const inBox = x0 >= bx0 && x1 <= bx1 && y0 >= by0 && y1 <= by1;
  let i0 = ((Math.max(x0, bx0) - gx0) * invW) | 0;
  let i1 = ((Math.min(x1, bx1) - gx0) * invW) | 0;
  let j0 = ((Math.max(y0, by0) - gy0) * invH) | 0;
  let j1 = ((Math.min(y1, by1) - gy0) * invH) | 0;
  if (i0 >= nx) i0 = nx - 1;
  if (i1 >= nx) i1 = nx - 1;
  if (j0 >= ny) j0 = ny - 1;
  if (j1 >= ny) j1 = ny - 1;
  let seen = 0; // bit 0: an out cell, bit 1: an in cell
  for (let j = j0; j <= j1; j++) {
    for (let i = i0; i <= i1; i++) {
      const s = state[j * nx + i];
      if (s >= 2) return 2;
      seen |= s === 1 ? 2 : 1;
      if (seen === 3) return 2;
    }
  }
  if (seen === 1) return 0; // outside the bbox is outside too
  return inBox ? 1 : 2;
}
