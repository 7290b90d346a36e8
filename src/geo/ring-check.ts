// Self-intersection check for a ring, for validation messages.
//
// Segments are registered in the cells of a uniform grid that they pass
// through (cell size about the median segment length, so each cell holds a
// few segments); registrations are sorted by cell key, and only segments that
// share a cell are tested, with exact predicates. Sorting makes it
// O(n log n) for rings of even density; a ring that packs very many vertices
// into a tiny part of a long outline degrades towards testing those pairs.

import { onSegment, orient, segmentsIntersect } from './predicates.ts';
import type { Ring } from './types.ts';

/**
 * Two segments of the ring that intersect or touch although they are not
 * neighbours, as the indices of their starting positions (segment i runs from
 * ring[i] to ring[i + 1]); the pair with the smallest i, then j, when there are
 * several. Neighbouring segments that fold back over each other (a spike,
 * a → b → a) are reported too. Repeated consecutive positions are not errors:
 * the zero-length segments they make are skipped. An unclosed ring is checked
 * with its closing segment (index ring.length - 1). null when the ring is simple.
 */
export function ringSelfIntersection(ring: Ring): { i: number; j: number } | null {
  // Distinct consecutive vertices; seg k runs v[k] → v[k+1] and is reported as orig[k].
  const n = ring.length;
  if (n < 2) return null;
  const vx: number[] = [],
    vy: number[] = [],
    orig: number[] = [];
  for (let k = 0; k < n; k++) {
    const p = ring[k];
    const last = vx.length - 1;
    if (last >= 0 && vx[last] === p[0] && vy[last] === p[1]) continue;
    if (last >= 0) orig.push(k - 1);
    vx.push(p[0]);
    vy.push(p[1]);
  }
  if (vx[0] !== vx[vx.length - 1] || vy[0] !== vy[vx.length - 1]) {
    orig.push(n - 1);
    vx.push(vx[0]);
    vy.push(vy[0]);
  }
  const m = vx.length - 1; // segments
  if (m < 2) return null;

  let bi = Infinity,
    bj = Infinity;
  const report = (a: number, b: number): void => {
    const i = Math.min(orig[a], orig[b]),
      j = Math.max(orig[a], orig[b]);
    if (i < bi || (i === bi && j < bj)) {
      bi = i;
      bj = j;
    }
  };

  // Spikes: a segment folding back over its neighbour.
  for (let k = 0; k < m; k++) {
    const k1 = k + 1 < m ? k + 1 : 0;
    if (k1 === k) continue;
    const ax = vx[k],
      ay = vy[k],
      bx = vx[k + 1],
      by = vy[k + 1],
      cx = vx[k1 + 1],
      cy = vy[k1 + 1];
    if (orient(ax, ay, bx, by, cx, cy) === 0 && (onSegment(ax, ay, bx, by, cx, cy) || onSegment(bx, by, cx, cy, ax, ay))) report(k, k1);
  }
  if (m < 4) return bi === Infinity ? null : { i: bi, j: bj };

  // Grid: cell size ~ median segment length, but never so small that the
  // registrations explode (<= ~8 per segment on average) or the keys overflow.
  let x0 = Infinity,
    y0 = Infinity,
    x1 = -Infinity,
    y1 = -Infinity;
  const lens = new Float64Array(m);
  let perimeter = 0;
  for (let k = 0; k <= m; k++) {
    if (vx[k] < x0) x0 = vx[k];
    if (vx[k] > x1) x1 = vx[k];
    if (vy[k] < y0) y0 = vy[k];
    if (vy[k] > y1) y1 = vy[k];
    if (k < m) {
      lens[k] = Math.max(Math.abs(vx[k + 1] - vx[k]), Math.abs(vy[k + 1] - vy[k]));
      perimeter += lens[k];
    }
  }
  const segBits = Math.ceil(Math.log2(m + 1));
  const maxCells = 2 ** Math.min(40, 52 - segBits);
  lens.sort();
  let cell = Math.max(lens[m >> 1], perimeter / (8 * m), Math.sqrt(((x1 - x0) * (y1 - y0)) / maxCells));
  if (!(cell > 0)) cell = 1;
  let nx = Math.floor((x1 - x0) / cell) + 1;
  let ny = Math.floor((y1 - y0) / cell) + 1;
  while (nx * ny > maxCells) {
    cell *= 2;
    nx = Math.floor((x1 - x0) / cell) + 1;
    ny = Math.floor((y1 - y0) / cell) + 1;
  }
  const inv = 1 / cell;
  const margin = cell * 1e-6 + (Math.abs(x0) + Math.abs(x1) + Math.abs(y0) + Math.abs(y1)) * 1e-14;
  const shift = 2 ** segBits;

  // Registrations as keys cell * 2^segBits + segment: a plain numeric sort groups them by cell.
  let keys = new Float64Array(m * 4);
  let used = 0;
  for (let k = 0; k < m; k++) {
    const ax = vx[k],
      ay = vy[k],
      bx = vx[k + 1],
      by = vy[k + 1];
    const lo = ay < by,
      lox = lo ? ax : bx,
      loy = lo ? ay : by,
      hix = lo ? bx : ax,
      hiy = lo ? by : ay;
    const j0 = Math.max(0, Math.floor((loy - margin - y0) * inv));
    const j1 = Math.min(ny - 1, Math.floor((hiy + margin - y0) * inv));
    const slope = hiy > loy ? (hix - lox) / (hiy - loy) : 0;
    for (let j = j0; j <= j1; j++) {
      let xa: number, xb: number;
      if (hiy > loy) {
        const s0 = y0 + j * cell - margin,
          s1 = y0 + (j + 1) * cell + margin;
        const ya = loy > s0 ? loy : s0,
          yb = hiy < s1 ? hiy : s1;
        if (ya > yb) continue;
        const xA = lox + (ya - loy) * slope,
          xB = lox + (yb - loy) * slope;
        xa = Math.min(xA, xB);
        xb = Math.max(xA, xB);
      } else {
        xa = Math.min(ax, bx);
        xb = Math.max(ax, bx);
      }
      const i0 = Math.max(0, Math.floor((xa - margin - x0) * inv));
      const i1 = Math.min(nx - 1, Math.floor((xb + margin - x0) * inv));
      for (let i = i0; i <= i1; i++) {
        if (used === keys.length) {
          const grown = new Float64Array(keys.length * 2);
          grown.set(keys);
          keys = grown;
        }
        keys[used++] = (j * nx + i) * shift + k;
      }
    }
  }
  const sorted = keys.subarray(0, used).sort();

  for (let g = 0; g < used; ) {
    const cellKey = Math.floor(sorted[g] / shift);
    let h = g + 1;
    while (h < used && Math.floor(sorted[h] / shift) === cellKey) h++;
    for (let p = g; p < h; p++) {
      const a = sorted[p] - cellKey * shift;
      const ax = vx[a],
        ay = vy[a],
        bx = vx[a + 1],
        by = vy[a + 1];
      for (let q = p + 1; q < h; q++) {
        const b = sorted[q] - cellKey * shift;
        // neighbours (a < b always: keys sort by segment within a cell)
        if (b === a + 1 || (a === 0 && b === m - 1)) continue;
        const cx = vx[b],
          cy = vy[b],
          dx = vx[b + 1],
          dy = vy[b + 1];
        if (Math.max(cx, dx) < Math.min(ax, bx) || Math.min(cx, dx) > Math.max(ax, bx)) continue;
        if (Math.max(cy, dy) < Math.min(ay, by) || Math.min(cy, dy) > Math.max(ay, by)) continue;
        if (segmentsIntersect(ax, ay, bx, by, cx, cy, dx, dy)) report(a, b);
      }
    }
    g = h;
  }
  return bi === Infinity ? null : { i: bi, j: bj };
}
