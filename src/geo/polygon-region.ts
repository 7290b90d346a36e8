// Point-in-polygon for (multi)polygons: an exact even-odd test accelerated by a
// uniform grid.
//
// Semantics (shared by evenOddContains and PolygonRegion): a point is inside when
// it lies on an edge or vertex of any ring, or when a ray from it crosses the
// rings' edges (all rings of all polygons together, planar lon/lat) an odd
// number of times. Every predicate is exact (see predicates.ts), so the grid
// gives bit-for-bit the answer of the plain loop.
//
// The grid stores per cell either "outside", "inside" or "boundary". A cell is
// a boundary cell when some edge comes within a tiny margin of it; only those
// cells keep their edges. For a boundary cell we also store the even-odd parity
// of its bottom-right corner A, and a query point P is answered by walking
// P → Q = (A.x, P.y) → A inside the cell and counting the edge crossings
// on the way. To make that walk well defined when it passes exactly through
// vertices or along edges, every point is read as shifted by (ε², ε) for an
// infinitesimal ε: the same symbolic shift the half-open rule `(ay > y) !== (by > y)`
// of the plain crossing test applies in y.

import { classifyCells } from './cells.ts';
import { orient } from './predicates.ts';
import type { BBox, MultiPolygonCoords, Region } from './types.ts';

/**
 * Plain reference: even-odd over all rings of all polygons, points on an edge or
 * vertex count as inside. O(vertices) per call.
 */
export function evenOddContains(mp: MultiPolygonCoords, lon: number, lat: number): boolean {
  let inside = false;
  for (const poly of mp) {
    for (const ring of poly) {
      const n = ring.length;
      if (n < 2) continue;
      // Edges between consecutive positions; an unclosed ring gets its closing edge.
      const closed = ring[0][0] === ring[n - 1][0] && ring[0][1] === ring[n - 1][1];
      const m = closed ? n - 1 : n;
      for (let k = 0; k < m; k++) {
        const a = ring[k];
        const b = ring[k + 1 < n ? k + 1 : 0];
        const ax = a[0],
          ay = a[1],
          bx = b[0],
          by = b[1];
        if (lat >= (ay < by ? ay : by) && lat <= (ay < by ? by : ay) && lon >= (ax < bx ? ax : bx) && lon <= (ax < bx ? bx : ax)) {
          const o = orient(ax, ay, bx, by, lon, lat);
          if (o === 0) return true;
          if (ay > lat !== by > lat && ay < by === o > 0) inside = !inside;
        } else if (ay > lat !== by > lat && lon < (ax < bx ? ax : bx)) {
          inside = !inside;
        }
      }
    }
  }
  return inside;
}

/** The edges of all rings as a flat array [ax, ay, bx, by, ...], in the order evenOddContains visits them. */
export function polygonEdges(mp: MultiPolygonCoords): Float64Array {
  let count = 0;
  for (const poly of mp) {
    for (const ring of poly) {
      const n = ring.length;
      if (n < 2) continue;
      const closed = ring[0][0] === ring[n - 1][0] && ring[0][1] === ring[n - 1][1];
      count += closed ? n - 1 : n;
    }
  }
  const e = new Float64Array(count * 4);
  let o = 0;
  for (const poly of mp) {
    for (const ring of poly) {
      const n = ring.length;
      if (n < 2) continue;
      const closed = ring[0][0] === ring[n - 1][0] && ring[0][1] === ring[n - 1][1];
      const m = closed ? n - 1 : n;
      for (let k = 0; k < m; k++) {
        const a = ring[k];
        const b = ring[k + 1 < n ? k + 1 : 0];
        e[o++] = a[0];
        e[o++] = a[1];
        e[o++] = b[0];
        e[o++] = b[1];
      }
    }
  }
  return e;
}

export interface PolygonRegionOptions {
  /** Approximate number of grid cells (default: 32 per edge, between 2^14 and 2^21). */
  cells?: number;
  /**
   * Grow the grid by a millionth past the bbox (default true), so that its
   * outer lines miss the extreme vertices. Answers are the same either way;
   * false lets tests put grid lines exactly through vertices and along edges.
   */
  pad?: boolean;
  /** Exact grid columns and rows, overriding `cells`. */
  dims?: [number, number];
}

// Cell states: 0 outside, 1 inside, BOUNDARY | parity of the cell's bottom-right corner.
const INSIDE = 1;
const BOUNDARY = 2;

export class PolygonRegion implements Region {
  readonly bbox: BBox;
  /** Grid columns and rows. */
  readonly nx: number;
  readonly ny: number;
  /** Cell boundaries: column i spans [xs[i], xs[i+1]], row j spans [ys[j], ys[j+1]]. */
  readonly xs: Float64Array;
  readonly ys: Float64Array;
  /** Per cell (row-major): 0 outside, 1 inside, or 2 | corner parity for a boundary cell. */
  readonly state: Uint8Array;
  /** Boundary cells' edges: cell c owns edges cellEdges[4*start[c] .. 4*start[c+1]). */
  readonly start: Int32Array;
  readonly cellEdges: Float64Array;
  /** Number of edges of the input. */
  readonly edgeCount: number;

  private readonly x0: number;
  private readonly y0: number;
  private readonly x1: number;
  private readonly y1: number;
  private readonly invW: number;
  private readonly invH: number;

  constructor(mp: MultiPolygonCoords, options: PolygonRegionOptions = {}) {
    const edges = polygonEdges(mp);
    const ne = edges.length / 4;
    this.edgeCount = ne;

    let x0 = Infinity,
      y0 = Infinity,
      x1 = -Infinity,
      y1 = -Infinity;
    for (let k = 0; k < edges.length; k += 2) {
      const x = edges[k],
        y = edges[k + 1];
      if (x < x0) x0 = x;
      if (x > x1) x1 = x;
      if (y < y0) y0 = y;
      if (y > y1) y1 = y;
    }
    this.bbox = [x0, y0, x1, y1];
    this.x0 = x0;
    this.y0 = y0;
    this.x1 = x1;
    this.y1 = y1;

    // Grid shape: about `target` cells, roughly square on the ground.
    const target = Math.max(1, Math.round(options.cells ?? Math.min(1 << 21, Math.max(1 << 14, ne * 32))));
    let nx = 1,
      ny = 1;
    let w = x1 - x0,
      h = y1 - y0;
    if (ne > 0) {
      const kx = w * Math.max(0.05, Math.cos((((y0 + y1) / 2) * Math.PI) / 180));
      if (kx > 0 && h > 0) {
        nx = Math.round(Math.sqrt((target * kx) / h));
        nx = Math.max(1, Math.min(nx, target, 8192));
        ny = Math.max(1, Math.min(Math.round(target / nx), 8192));
      } else if (kx > 0) nx = Math.min(target, 8192);
      else if (h > 0) ny = Math.min(target, 8192);
    } else {
      x0 = y0 = 0;
    }
    if (options.dims) {
      nx = Math.max(1, Math.floor(options.dims[0]));
      ny = Math.max(1, Math.floor(options.dims[1]));
    }
    if (!(w > 0)) w = 1; // degenerate extent: any positive cell size works
    if (!(h > 0)) h = 1;
    // Grow the grid a little past the bbox, so that its outer lines do not run
    // through the extreme vertices (and along axis-parallel edges).
    if (options.pad !== false) {
      x0 -= w * 1e-6;
      y0 -= h * 1e-6;
      w *= 1 + 2e-6;
      h *= 1 + 2e-6;
    }
    this.nx = nx;
    this.ny = ny;
    const cw = w / nx;
    const ch = h / ny;
    this.invW = 1 / cw;
    this.invH = 1 / ch;
    const xs = new Float64Array(nx + 1);
    const ys = new Float64Array(ny + 1);
    for (let i = 0; i <= nx; i++) xs[i] = x0 + i * cw;
    for (let j = 0; j <= ny; j++) ys[j] = y0 + j * ch;
    this.xs = xs;
    this.ys = ys;

    // An edge is registered in every cell whose box, grown by this margin, it
    // touches. The margin dwarfs the rounding in locating a point's cell, so a
    // cell with no edges has none anywhere near the points that land in it.
    const mx = cw * 1e-7 + 1e-11;
    const my = ch * 1e-7 + 1e-11;

    const ncells = nx * ny;
    const start = new Int32Array(ncells + 1);
    rasterize(edges, xs, ys, nx, ny, this.invW, this.invH, mx, my, start, null);
    for (let c = 0; c < ncells; c++) start[c + 1] += start[c];
    const cellEdges = new Float64Array(start[ncells] * 4);
    const fill = start.slice(0, ncells);
    rasterize(edges, xs, ys, nx, ny, this.invW, this.invH, mx, my, fill, cellEdges);
    this.start = start;
    this.cellEdges = cellEdges;

    const parity = cornerParity(edges, xs, ys, nx, ny, this.invW);
    const state = new Uint8Array(ncells);
    for (let c = 0; c < ncells; c++) state[c] = start[c + 1] > start[c] ? BOUNDARY | parity[c] : parity[c];
    this.state = state;
  }

  contains(lon: number, lat: number): boolean {
    if (!(lon >= this.x0 && lon <= this.x1 && lat >= this.y0 && lat <= this.y1)) return false;
    let i = ((lon - this.xs[0]) * this.invW) | 0;
    let j = ((lat - this.ys[0]) * this.invH) | 0;
    if (i >= this.nx) i = this.nx - 1;
    if (j >= this.ny) j = this.ny - 1;
    const c = j * this.nx + i;
    const s = this.state[c];
    if (s < BOUNDARY) return s === INSIDE;
    return this.boundaryCell(c, this.xs[i + 1], this.ys[j], lon, lat, s & 1);
  }

  /** 0: no point of the box is inside, 1: every point is, 2: unknown (see cells.ts). */
  classify(minLon: number, minLat: number, maxLon: number, maxLat: number): 0 | 1 | 2 {
    return classifyCells(this.state, this.nx, this.ny, this.xs[0], this.ys[0], this.invW, this.invH, this.bbox, minLon, minLat, maxLon, maxLat);
  }

  /**
   * Parity of P from the parity of the cell's corner A = (X, Y), counting edge
   * crossings along P → Q = (X, py) → A. Returns true at once when P is on an edge.
   */
  private boundaryCell(c: number, X: number, Y: number, px: number, py: number, parity: number): boolean {
    const e = this.cellEdges;
    const end = this.start[c + 1] * 4;
    for (let k = this.start[c] * 4; k < end; k += 4) {
      const ax = e[k],
        ay = e[k + 1],
        bx = e[k + 2],
        by = e[k + 3];
      const minx = ax < bx ? ax : bx,
        maxx = ax < bx ? bx : ax;
      const miny = ay < by ? ay : by,
        maxy = ay < by ? by : ay;
      let oP = 1; // orient(a, b, P) when computed; nonzero otherwise
      const inBox = px >= minx && px <= maxx && py >= miny && py <= maxy;
      if (inBox) {
        oP = orient(ax, ay, bx, by, px, py);
        if (oP === 0) return true;
      }
      // Leg P → Q along y = py: crossings = crossH(P) xor crossH(Q).
      if (ay > py !== by > py) {
        const up = ay < by;
        // crossH(P): P is left of the edge directed upwards (P is not on it).
        const cP = inBox ? (up ? oP > 0 : oP < 0) : px < minx;
        let cQ: boolean;
        if (X < minx) cQ = true;
        else if (X > maxx) cQ = false;
        else {
          const oQ = up ? orient(ax, ay, bx, by, X, py) : orient(bx, by, ax, ay, X, py);
          // On the edge: Q + (ε², ε) is left of it when the edge leans right.
          cQ = oQ > 0 || (oQ === 0 && (up ? bx > ax : ax > bx));
        }
        if (cP !== cQ) parity ^= 1;
      }
      // Leg Q → A along x = X: crossings = above(Q) xor above(A) for edges spanning X.
      if (ax > X !== bx > X) {
        const right = ax < bx;
        let aQ: boolean, aA: boolean;
        if (py > maxy) aQ = true;
        else if (py < miny) aQ = false;
        else aQ = (right ? orient(ax, ay, bx, by, X, py) : orient(bx, by, ax, ay, X, py)) >= 0;
        if (Y > maxy) aA = true;
        else if (Y < miny) aA = false;
        else aA = (right ? orient(ax, ay, bx, by, X, Y) : orient(bx, by, ax, ay, X, Y)) >= 0;
        if (aQ !== aA) parity ^= 1;
      }
    }
    return parity === 1;
  }
}

/** Grid-accelerated, exact region for a (multi)polygon; see the file comment for the semantics. */
export function polygonRegion(mp: MultiPolygonCoords, options?: PolygonRegionOptions): PolygonRegion {
  return new PolygonRegion(mp, options);
}

/**
 * Registers each edge in every cell whose box grown by (mx, my) it may touch. First
 * pass (out === null) counts into `slot[c + 1]`; second pass writes coordinates at
 * `slot[c]` and advances it.
 */
function rasterize(
  edges: Float64Array,
  xs: Float64Array,
  ys: Float64Array,
  nx: number,
  ny: number,
  invW: number,
  invH: number,
  mx: number,
  my: number,
  slot: Int32Array,
  out: Float64Array | null,
): void {
  const gx = xs[0],
    gy = ys[0];
  for (let k = 0; k < edges.length; k += 4) {
    const ax = edges[k],
      ay = edges[k + 1],
      bx = edges[k + 2],
      by = edges[k + 3];
    // lo = lower endpoint
    const swap = ay > by;
    const lox = swap ? bx : ax,
      loy = swap ? by : ay,
      hix = swap ? ax : bx,
      hiy = swap ? ay : by;
    let j0 = Math.floor((loy - my - gy) * invH);
    let j1 = Math.floor((hiy + my - gy) * invH);
    if (j0 < 0) j0 = 0;
    if (j1 > ny - 1) j1 = ny - 1;
    const slope = hiy > loy ? (hix - lox) / (hiy - loy) : 0;
    for (let j = j0; j <= j1; j++) {
      let xa: number, xb: number;
      if (hiy > loy) {
        const s0 = ys[j] - my,
          s1 = ys[j + 1] + my;
        const ya = loy > s0 ? loy : s0;
        const yb = hiy < s1 ? hiy : s1;
        if (ya > yb) continue;
        const xA = ya === loy ? lox : lox + (ya - loy) * slope;
        const xB = yb === hiy ? hix : lox + (yb - loy) * slope;
        xa = xA < xB ? xA : xB;
        xb = xA < xB ? xB : xA;
      } else {
        xa = ax < bx ? ax : bx;
        xb = ax < bx ? bx : ax;
      }
      let i0 = Math.floor((xa - mx - gx) * invW);
      let i1 = Math.floor((xb + mx - gx) * invW);
      if (i0 < 0) i0 = 0;
      if (i1 > nx - 1) i1 = nx - 1;
      const row = j * nx;
      if (out === null) {
        for (let i = i0; i <= i1; i++) slot[row + i + 1]++;
      } else {
        for (let i = i0; i <= i1; i++) {
          const o = slot[row + i]++ * 4;
          out[o] = ax;
          out[o + 1] = ay;
          out[o + 2] = bx;
          out[o + 3] = by;
        }
      }
    }
  }
}

/**
 * Even-odd parity of every cell's bottom-right corner (xs[i+1], ys[j]), each read
 * as shifted by (ε², ε): for each edge and each grid row line it spans, toggle the
 * corners left of its crossing, then take suffix xors along the row.
 */
function cornerParity(edges: Float64Array, xs: Float64Array, ys: Float64Array, nx: number, ny: number, invW: number): Uint8Array {
  const stride = nx + 1;
  const flip = new Uint8Array(stride * ny);
  const gx = xs[0];
  for (let k = 0; k < edges.length; k += 4) {
    const ax = edges[k],
      ay = edges[k + 1],
      bx = edges[k + 2],
      by = edges[k + 3];
    if (ay === by) continue; // spans no level
    const swap = ay > by;
    const lox = swap ? bx : ax,
      loy = swap ? by : ay,
      hix = swap ? ax : bx,
      hiy = swap ? ay : by;
    // Rows j with loy <= ys[j] < hiy (exact comparisons after a float estimate).
    let j = Math.ceil((loy - ys[0]) / (ys[1] - ys[0]));
    if (j < 0) j = 0;
    if (j > ny) j = ny;
    while (j > 0 && ys[j - 1] >= loy) j--;
    while (j < ny && ys[j] < loy) j++;
    const slope = (hix - lox) / (hiy - loy);
    for (; j < ny && ys[j] < hiy; j++) {
      const Y = ys[j];
      // k = last corner column (1..nx) strictly left of the crossing, 0 if none.
      const xint = lox + (Y - loy) * slope;
      let c = Math.floor((xint - gx) * invW);
      if (c < 0) c = 0;
      if (c > nx) c = nx;
      while (c < nx && crossH(lox, loy, hix, hiy, xs[c + 1], Y)) c++;
      while (c > 0 && !crossH(lox, loy, hix, hiy, xs[c], Y)) c--;
      flip[j * stride + c] ^= 1;
    }
  }
  const parity = new Uint8Array(nx * ny);
  for (let j = 0; j < ny; j++) {
    let acc = 0;
    for (let i = nx; i >= 1; i--) {
      acc ^= flip[j * stride + i];
      parity[j * nx + i - 1] = acc;
    }
  }
  return parity;
}

/** Does the rightward ray from (x, y) + (ε², ε) cross the upward edge lo→hi that spans level y? */
function crossH(lox: number, loy: number, hix: number, hiy: number, x: number, y: number): boolean {
  const o = orient(lox, loy, hix, hiy, x, y);
  return o > 0 || (o === 0 && hix > lox);
}
