// Which regions contain a point.
//
// A uniform grid over the union of the regions' boxes lists, per cell, the
// regions that may contain points of it, each marked "whole cell inside" or
// "ask the region". Regions that implement classify() (polygonRegion,
// bandRegion) are asked once per cell at build time, so most lookups are a
// cell read and no contains() call at all; other regions are always asked.
// Answers are exactly those of calling contains() on every region.

import type { Region } from './types.ts';

export interface RegionIndexOptions {
  /** Approximate number of grid cells (default 2^16). */
  cells?: number;
}

export class RegionIndex {
  readonly regions: readonly Region[];
  private readonly gx0: number = 0;
  private readonly gy0: number = 0;
  private readonly gx1: number = -1;
  private readonly gy1: number = -1;
  private readonly nx: number = 1;
  private readonly ny: number = 1;
  private readonly invW: number = 0;
  private readonly invH: number = 0;
  /**
   * Per cell: -1 when no region reaches it; an entry (region index * 2, + 1 when
   * contains() must be asked) when exactly one does; otherwise -2 - p, where
   * more[p] is the number of entries and more[p + 1 ..] are the entries. One
   * read answers most cells.
   */
  private readonly code: Int32Array = new Int32Array(1).fill(-1);
  private readonly more: Int32Array = new Int32Array(0);

  constructor(regions: Region[], options: RegionIndexOptions = {}) {
    this.regions = regions.slice();
    const n = regions.length;
    let x0 = Infinity,
      y0 = Infinity,
      x1 = -Infinity,
      y1 = -Infinity;
    for (const r of regions) {
      const b = r.bbox;
      if (!(b[0] <= b[2] && b[1] <= b[3])) continue; // empty
      if (b[0] < x0) x0 = b[0];
      if (b[1] < y0) y0 = b[1];
      if (b[2] > x1) x1 = b[2];
      if (b[3] > y1) y1 = b[3];
    }
    if (!(x0 <= x1 && y0 <= y1 && Number.isFinite(x1 - x0) && Number.isFinite(y1 - y0))) return;
    const target = Math.max(1, Math.round(options.cells ?? 1 << 16));
    const w = x1 - x0 || 1,
      h = y1 - y0 || 1;
    const kx = w * Math.max(0.05, Math.cos((((y0 + y1) / 2) * Math.PI) / 180));
    const nx = Math.max(1, Math.min(4096, Math.round(Math.sqrt((target * kx) / h))));
    const ny = Math.max(1, Math.min(4096, Math.round(target / nx)));
    const cw = w / nx,
      ch = h / ny;
    this.gx0 = x0;
    this.gy0 = y0;
    this.gx1 = x1;
    this.gy1 = y1;
    this.nx = nx;
    this.ny = ny;
    this.invW = 1 / cw;
    this.invH = 1 / ch;
    // A point is filed in a cell by rounding arithmetic; the box handed to
    // classify() is grown by this much so that it covers every such point.
    const ex = cw * 1e-6 + 1e-12,
      ey = ch * 1e-6 + 1e-12;

    // Region by region, over the cells its box meets: (cell, entry) pairs, then
    // grouped by cell with a stable counting sort (entries stay in region order).
    let pairCell = new Int32Array(1024),
      pairEntry = new Int32Array(1024);
    let used = 0;
    for (let k = 0; k < n; k++) {
      const r = regions[k];
      const b = r.bbox;
      if (!(b[0] <= b[2] && b[1] <= b[3])) continue;
      const i0 = Math.max(0, Math.floor((b[0] - x0) * this.invW) - 1),
        i1 = Math.min(nx - 1, Math.floor((b[2] - x0) * this.invW) + 1);
      const j0 = Math.max(0, Math.floor((b[1] - y0) * this.invH) - 1),
        j1 = Math.min(ny - 1, Math.floor((b[3] - y0) * this.invH) + 1);
      for (let j = j0; j <= j1; j++) {
        const cy0 = y0 + j * ch - ey,
          cy1 = y0 + (j + 1) * ch + ey;
        if (b[1] > cy1 || b[3] < cy0) continue;
        for (let i = i0; i <= i1; i++) {
          const cx0 = x0 + i * cw - ex,
            cx1 = x0 + (i + 1) * cw + ex;
          if (b[0] > cx1 || b[2] < cx0) continue;
          const v = r.classify === undefined ? 2 : r.classify(cx0, cy0, cx1, cy1);
          if (v === 0) continue;
          if (used === pairCell.length) {
            const c2 = new Int32Array(used * 2),
              e2 = new Int32Array(used * 2);
            c2.set(pairCell);
            e2.set(pairEntry);
            pairCell = c2;
            pairEntry = e2;
          }
          pairCell[used] = j * nx + i;
          pairEntry[used++] = k * 2 + (v === 1 ? 0 : 1);
        }
      }
    }
    const ncells = nx * ny;
    const count = new Int32Array(ncells + 1);
    for (let p = 0; p < used; p++) count[pairCell[p] + 1]++;
    for (let c = 0; c < ncells; c++) count[c + 1] += count[c];
    const sorted = new Int32Array(used);
    const slot = count.slice(0, ncells);
    for (let p = 0; p < used; p++) sorted[slot[pairCell[p]]++] = pairEntry[p];
    const code = new Int32Array(ncells).fill(-1);
    let extra = 0;
    for (let c = 0; c < ncells; c++) if (count[c + 1] - count[c] > 1) extra += count[c + 1] - count[c] + 1;
    const more = new Int32Array(extra);
    let m = 0;
    for (let c = 0; c < ncells; c++) {
      const f = count[c],
        e = count[c + 1];
      if (e - f === 1) code[c] = sorted[f];
      else if (e - f > 1) {
        code[c] = -2 - m;
        more[m++] = e - f;
        for (let p = f; p < e; p++) more[m++] = sorted[p];
      }
    }
    this.code = code;
    this.more = more;
  }

  /**
   * Writes the indexes (ascending) of every region containing the point into out
   * and returns how many there are. A typed array `out` should have room for all
   * regions; writes past its end are dropped (the count is still returned).
   */
  query(lon: number, lat: number, out: Int32Array | number[]): number {
    if (!(lon >= this.gx0 && lon <= this.gx1 && lat >= this.gy0 && lat <= this.gy1)) return 0;
    let i = ((lon - this.gx0) * this.invW) | 0;
    let j = ((lat - this.gy0) * this.invH) | 0;
    if (i >= this.nx) i = this.nx - 1;
    if (j >= this.ny) j = this.ny - 1;
    const v = this.code[j * this.nx + i];
    if (v >= 0) {
      if ((v & 1) === 0 || this.regions[v >> 1].contains(lon, lat)) {
        out[0] = v >> 1;
        return 1;
      }
      return 0;
    }
    if (v === -1) return 0;
    const m = this.more;
    let count = 0;
    for (let p = -2 - v, end = p + 1 + m[p]; ++p < end; ) {
      const e = m[p];
      if ((e & 1) === 0 || this.regions[e >> 1].contains(lon, lat)) out[count++] = e >> 1;
    }
    return count;
  }
}
