// The outline of a region known only through an inside test, as MultiPolygon
// coordinates for display.
//
// The test is sampled on a grid of cell centres over the box, with a ring of
// virtual "outside" samples around it so every boundary closes. Marching
// squares turns the samples into rings: every grid edge whose two samples
// differ holds one vertex, placed on the true boundary by bisecting along that
// edge with the test. Each cell emits its segments directed with the inside on
// the left, so outer rings come out counter-clockwise and holes clockwise
// (RFC 7946) without a separate orientation pass. In the two saddle cases the
// cell centre is sampled to choose between joining and separating the inside
// corners; either choice keeps the rings simple, since each segment stays in
// its own cell (or its own half of a saddle cell) and touches neighbours only
// at shared vertices.
//
// Rings are then simplified (Douglas–Peucker, tolerance a fraction of a cell,
// measured in cells so both axes count alike). Simplification may in rare
// cases make two rings, or two parts of one, touch; every result is checked
// with exact predicates and offending rings fall back to a smaller tolerance,
// down to the unsimplified rings, which are simple by construction.

import { EARTH_RADIUS_KM } from './sphere.ts';
import { orient, segmentsIntersect } from './predicates.ts';
import type { BBox } from './types.ts';

export interface OutlineOptions {
  /** most cells along either side of the grid (default 512) */
  maxCells?: number;
  /** wanted cell size in km, used when the box is small enough (default 0.15) */
  cellKm?: number;
  /** bisection steps placing each vertex on the boundary (default 8; 0 = edge midpoints) */
  refine?: number;
  /** simplification tolerance in cells, below one half (default 0.25; 0 = only exactly collinear vertices go) */
  tolerance?: number;
}

/** The sampling grid: nx × ny samples at (x0 + (i + 0.5)·dx, y0 + (j + 0.5)·dy). */
export interface OutlineGrid {
  nx: number;
  ny: number;
  x0: number;
  y0: number;
  dx: number;
  dy: number;
}

const RAD = Math.PI / 180;
const KM_PER_DEG = EARTH_RADIUS_KM * RAD;
const MIN_CELLS = 8;

/** The grid outlineRegion samples for this box: cells as square on the ground as the limits allow. */
export function outlineGrid(bbox: BBox, opts: OutlineOptions = {}): OutlineGrid {
  const [x0, y0, x1, y1] = bbox;
  const maxCells = Math.max(1, Math.floor(opts.maxCells ?? 512));
  const cellKm = opts.cellKm ?? 0.15;
  const cos = Math.max(Math.cos(((y0 + y1) / 2) * RAD), 1e-6);
  const wKm = (x1 - x0) * KM_PER_DEG * cos;
  const hKm = (y1 - y0) * KM_PER_DEG;
  const cell = Math.max(cellKm, wKm / maxCells, hKm / maxCells);
  const count = (km: number) => Math.min(maxCells, Math.max(Math.min(MIN_CELLS, maxCells), Math.ceil(km / cell - 1e-9)));
  const nx = count(wKm);
  const ny = count(hKm);
  return { nx, ny, x0, y0, dx: (x1 - x0) / nx, dy: (y1 - y0) / ny };
}

// Segments per cell, by corner mask (bit 0 bottom-left, 1 bottom-right, 2 top-right,
// 3 top-left). Edge k of a cell joins corner k to corner k + 1 (0 bottom, 1 right,
// 2 top, 3 left), so walking the edges in order goes round the cell
// counter-clockwise. A segment runs from an edge where the walk leaves the inside
// to an edge where it re-enters: the next such edge keeps the inside corners
// joined (saddle: centre inside), the previous one cuts them apart.
function segmentTable(joined: boolean): Int8Array[] {
  const table: Int8Array[] = [];
  for (let mask = 0; mask < 16; mask++) {
    const inside = (k: number) => (mask >> (k & 3)) & 1;
    const enters = (e: number) => !inside(e) && inside(e + 1);
    const segs: number[] = [];
    for (let q = 0; q < 4; q++) {
      if (!inside(q) || inside(q + 1)) continue;
      let p = q;
      do p = (p + (joined ? 1 : 3)) & 3;
      while (!enters(p));
      segs.push(q, p);
    }
    table.push(Int8Array.from(segs));
  }
  return table;
}
const SEGS_JOINED = segmentTable(true);
const SEGS_APART = segmentTable(false);

/**
 * MultiPolygon coordinates ([lon, lat] pairs, rings closed, outer rings
 * counter-clockwise, holes clockwise under their outer ring) approximating the
 * set of points of `bbox` for which `contains` is true. Features narrower than
 * a cell may be missed; every vertex lies within a cell / 2^refine of the true
 * boundary along a grid line. Empty when nothing sampled is inside.
 */
export function outlineRegion(contains: (lon: number, lat: number) => boolean, bbox: BBox, opts: OutlineOptions = {}): number[][][][] {
  const [bx0, by0, bx1, by1] = bbox;
  if (!(Number.isFinite(bx0) && Number.isFinite(by0) && Number.isFinite(bx1) && Number.isFinite(by1))) return [];
  if (!(bx1 > bx0 && by1 > by0)) return [];
  const grid = outlineGrid(bbox, opts);
  const { nx, ny, x0, y0, dx, dy } = grid;
  const samples = new Uint8Array(nx * ny);
  for (let j = 0; j < ny; j++) {
    const y = y0 + (j + 0.5) * dy;
    for (let i = 0; i < nx; i++) if (contains(x0 + (i + 0.5) * dx, y)) samples[j * nx + i] = 1;
  }
  return outlineSamples(samples, grid, contains, opts);
}

/**
 * outlineRegion from samples already taken: samples[j·nx + i] is 1 when the
 * point (x0 + (i + 0.5)·dx, y0 + (j + 0.5)·dy) is inside. For callers that
 * answer several regions with one query per point; `contains` is still asked
 * at saddle cells and to place vertices.
 */
export function outlineSamples(
  samples: Uint8Array,
  grid: OutlineGrid,
  contains: (lon: number, lat: number) => boolean,
  opts: OutlineOptions = {},
): number[][][][] {
  const { nx, ny, x0, y0, dx, dy } = grid;
  if (samples.length !== nx * ny) throw new RangeError(`outlineSamples: ${samples.length} samples for a ${nx} × ${ny} grid`);
  if (!(nx > 0 && ny > 0 && dx > 0 && dy > 0)) return [];
  const refine = Math.max(0, Math.min(30, Math.floor(opts.refine ?? 8)));
  const tolerance = Math.max(0, Math.min(0.49, opts.tolerance ?? 0.25));

  // Samples with one outside sample padded on every side: index I = i + 1.
  const W = nx + 2;
  const H = ny + 2;
  const xAt = (I: number) => x0 + (I - 0.5) * dx;
  const yAt = (J: number) => y0 + (J - 0.5) * dy;
  const s = new Uint8Array(W * H);
  let any = false;
  for (let j = 0; j < ny; j++) {
    for (let i = 0; i < nx; i++) {
      if (samples[j * nx + i]) {
        s[(j + 1) * W + i + 1] = 1;
        any = true;
      }
    }
  }
  if (!any) return [];

  // Grid edges: horizontal (I, J)–(I+1, J) get ids J·(W−1) + I; vertical
  // (I, J)–(I, J+1) get HN + J·W + I. next[e] is the edge the ring goes to from e.
  const HN = H * (W - 1);
  const next = new Int32Array(HN + (H - 1) * W).fill(-1);
  const cellEdges = new Int32Array(4);
  for (let J = 0; J < H - 1; J++) {
    for (let I = 0; I < W - 1; I++) {
      const k = J * W + I;
      const mask = s[k] | (s[k + 1] << 1) | (s[k + W + 1] << 2) | (s[k + W] << 3);
      if (mask === 0 || mask === 15) continue;
      let segs = SEGS_APART[mask];
      if ((mask === 5 || mask === 10) && contains(xAt(I) + dx / 2, yAt(J) + dy / 2)) segs = SEGS_JOINED[mask];
      cellEdges[0] = J * (W - 1) + I;
      cellEdges[1] = HN + J * W + I + 1;
      cellEdges[2] = (J + 1) * (W - 1) + I;
      cellEdges[3] = HN + J * W + I;
      for (let t = 0; t < segs.length; t += 2) next[cellEdges[segs[t]]] = cellEdges[segs[t + 1]];
    }
  }

  // The vertex on edge e: between its inside and outside sample, bisected.
  const vertex = (e: number, out: number[]) => {
    if (e < HN) {
      const J = Math.floor(e / (W - 1));
      const I = e - J * (W - 1);
      const y = yAt(J);
      let a = xAt(I),
        b = xAt(I + 1);
      if (!s[J * W + I]) [a, b] = [b, a];
      for (let r = 0; r < refine; r++) {
        const m = (a + b) / 2;
        if (contains(m, y)) a = m;
        else b = m;
      }
      out.push((a + b) / 2, y);
    } else {
      const J = Math.floor((e - HN) / W);
      const I = e - HN - J * W;
      const x = xAt(I);
      let a = yAt(J),
        b = yAt(J + 1);
      if (!s[J * W + I]) [a, b] = [b, a];
      for (let r = 0; r < refine; r++) {
        const m = (a + b) / 2;
        if (contains(x, m)) a = m;
        else b = m;
      }
      out.push(x, (a + b) / 2);
    }
  };

  const rings: Float64Array[] = [];
  for (let e0 = 0; e0 < next.length; e0++) {
    if (next[e0] < 0) continue;
    const xy: number[] = [];
    let e = e0;
    do {
      vertex(e, xy);
      const n = next[e];
      next[e] = -1;
      // Every edge with a segment out of it has one into it; a break here is a bug.
      if (n < 0) throw new Error('outlineRegion: open ring');
      e = n;
    } while (e !== e0);
    rings.push(Float64Array.from(xy));
  }

  const simplified = simplifyAll(rings, 1 / dx, 1 / dy, tolerance, {
    x0: xAt(0),
    y0: yAt(0),
    w: (W - 1) * dx,
    h: (H - 1) * dy,
    cells: Math.max(W, H),
  });
  return nest(simplified);
}

/** Twice the signed planar area (counter-clockwise positive) of a ring given as x, y pairs. */
function signedArea2(xy: Float64Array): number {
  const n = xy.length >> 1;
  let a = 0;
  for (let i = 0, j = n - 1; i < n; j = i++) a += xy[2 * j] * xy[2 * i + 1] - xy[2 * i] * xy[2 * j + 1];
  return a;
}

/**
 * Douglas–Peucker on a closed ring, distances in cells (x·sx, y·sy). Anchored at
 * vertex 0 and the vertex farthest from it. tol 0 drops only vertices lying
 * exactly on the segment between their neighbours. The input ring when the
 * result would have fewer than three vertices or the other orientation.
 */
function simplifyRing(xy: Float64Array, sx: number, sy: number, tol: number): Float64Array {
  const n = xy.length >> 1;
  if (n <= 3) return xy;
  const keep = new Uint8Array(n);
  if (tol === 0) {
    let kept = 0;
    for (let i = 0; i < n; i++) {
      const p = (i + n - 1) % n,
        q = (i + 1) % n;
      const ax = xy[2 * p],
        ay = xy[2 * p + 1],
        bx = xy[2 * q],
        by = xy[2 * q + 1],
        cx = xy[2 * i],
        cy = xy[2 * i + 1];
      const between = (cx - ax) * (bx - cx) + (cy - ay) * (by - cy) > 0;
      if (!(between && orient(ax, ay, bx, by, cx, cy) === 0)) {
        keep[i] = 1;
        kept++;
      }
    }
    if (kept === n || kept < 3) return xy;
  } else {
    const X = (i: number) => xy[2 * (i % n)] * sx;
    const Y = (i: number) => xy[2 * (i % n) + 1] * sy;
    let far = 0,
      best = -1;
    for (let i = 1; i < n; i++) {
      const d = (X(i) - X(0)) ** 2 + (Y(i) - Y(0)) ** 2;
      if (d > best) {
        best = d;
        far = i;
      }
    }
    keep[0] = 1;
    keep[far] = 1;
    const tol2 = tol * tol;
    const stack: number[] = [0, far, far, n];
    while (stack.length) {
      const k = stack.pop()!;
      const i = stack.pop()!;
      if (k - i < 2) continue;
      const ax = X(i),
        ay = Y(i),
        bx = X(k),
        by = Y(k);
      const ux = bx - ax,
        uy = by - ay;
      const len2 = ux * ux + uy * uy;
      let worst = -1,
        at = -1;
      for (let m = i + 1; m < k; m++) {
        const px = X(m) - ax,
          py = Y(m) - ay;
        let t = len2 > 0 ? (px * ux + py * uy) / len2 : 0;
        t = t < 0 ? 0 : t > 1 ? 1 : t;
        const d = (px - t * ux) ** 2 + (py - t * uy) ** 2;
        if (d > worst) {
          worst = d;
          at = m;
        }
      }
      if (worst > tol2) {
        keep[at] = 1;
        stack.push(i, at, at, k);
      }
    }
  }
  let count = 0;
  for (let i = 0; i < n; i++) count += keep[i];
  if (count < 3) return xy;
  const out = new Float64Array(2 * count);
  for (let i = 0, o = 0; i < n; i++) {
    if (!keep[i]) continue;
    out[o++] = xy[2 * i];
    out[o++] = xy[2 * i + 1];
  }
  const before = signedArea2(xy),
    after = signedArea2(out);
  if (after === 0 || before > 0 !== after > 0) return xy;
  return out;
}

interface Extent {
  x0: number;
  y0: number;
  w: number;
  h: number;
  cells: number;
}

/**
 * Simplifies every ring as far as it stays clear of the others and of itself:
 * rings caught touching retry with a quarter of the tolerance, then with none.
 */
function simplifyAll(rings: Float64Array[], sx: number, sy: number, tolerance: number, ext: Extent): Float64Array[] {
  const levels = tolerance > 0 ? [tolerance, tolerance / 4, 0] : [0];
  const level = new Uint8Array(rings.length);
  const out = rings.map((r) => simplifyRing(r, sx, sy, levels[0]));
  for (;;) {
    const bad = touchingRings(out, ext);
    let changed = false;
    for (const r of bad) {
      if (level[r] + 1 >= levels.length) continue;
      level[r]++;
      out[r] = simplifyRing(rings[r], sx, sy, levels[level[r]]);
      changed = true;
    }
    if (!changed) {
      // Only unsimplified rings remain in conflict, which marching squares rules out:
      // fall back to the traced rings as they are.
      if (bad.size) for (const r of bad) out[r] = rings[r];
      return out;
    }
  }
}

/**
 * Indexes of rings that touch another ring or themselves (segments other than
 * neighbours sharing a point, or neighbours folding back). Segments are bucketed
 * by their boxes on a coarse grid over the sampled area; pairs sharing a bucket
 * are tested exactly.
 */
function touchingRings(rings: Float64Array[], ext: Extent): Set<number> {
  const B = Math.min(64, ext.cells);
  const bw = ext.w / B,
    bh = ext.h / B;
  const buckets: number[][] = Array.from({ length: B * B }, () => []);
  const ringOf: number[] = [];
  const startOf: number[] = [];
  const clampB = (v: number) => (v < 0 ? 0 : v >= B ? B - 1 : v);
  const bad = new Set<number>();
  for (let r = 0; r < rings.length; r++) {
    const xy = rings[r];
    const n = xy.length >> 1;
    for (let i = 0; i < n; i++) {
      const j = (i + 1) % n;
      const ax = xy[2 * i],
        ay = xy[2 * i + 1],
        bx = xy[2 * j],
        by = xy[2 * j + 1];
      const g = ringOf.length;
      ringOf.push(r);
      startOf.push(i);
      const i0 = clampB(Math.floor(((ax < bx ? ax : bx) - ext.x0) / bw));
      const i1 = clampB(Math.floor(((ax < bx ? bx : ax) - ext.x0) / bw));
      const j0 = clampB(Math.floor(((ay < by ? ay : by) - ext.y0) / bh));
      const j1 = clampB(Math.floor(((ay < by ? by : ay) - ext.y0) / bh));
      for (let v = j0; v <= j1; v++) for (let u = i0; u <= i1; u++) buckets[v * B + u].push(g);
      // A neighbour folding back over this segment: collinear and pointing backwards.
      const k = (j + 1) % n;
      if (n >= 3) {
        const cx = xy[2 * k],
          cy = xy[2 * k + 1];
        if (orient(ax, ay, bx, by, cx, cy) === 0 && (bx - ax) * (cx - bx) + (by - ay) * (cy - by) <= 0) bad.add(r);
      }
    }
  }
  const seg = (g: number): [number, number, number, number] => {
    const xy = rings[ringOf[g]];
    const n = xy.length >> 1;
    const i = startOf[g],
      j = (i + 1) % n;
    return [xy[2 * i], xy[2 * i + 1], xy[2 * j], xy[2 * j + 1]];
  };
  for (const list of buckets) {
    for (let a = 0; a < list.length; a++) {
      const ga = list[a];
      const ra = ringOf[ga];
      for (let b = a + 1; b < list.length; b++) {
        const gb = list[b];
        const rb = ringOf[gb];
        if (ra === rb) {
          if (bad.has(ra)) continue;
          const n = rings[ra].length >> 1;
          const d = Math.abs(startOf[ga] - startOf[gb]);
          if (d <= 1 || d === n - 1) continue;
        } else if (bad.has(ra) && bad.has(rb)) continue;
        const [p1x, p1y, p2x, p2y] = seg(ga);
        const [p3x, p3y, p4x, p4y] = seg(gb);
        if (segmentsIntersect(p1x, p1y, p2x, p2y, p3x, p3y, p4x, p4y)) {
          bad.add(ra);
          bad.add(rb);
        }
      }
    }
  }
  return bad;
}

/** Even-odd test of a point against one ring. */
function inRing(xy: Float64Array, x: number, y: number): boolean {
  const n = xy.length >> 1;
  let inside = false;
  for (let i = 0, j = n - 1; i < n; j = i++) {
    const xi = xy[2 * i],
      yi = xy[2 * i + 1],
      xj = xy[2 * j],
      yj = xy[2 * j + 1];
    if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}

/**
 * Groups rings into polygons: each hole (clockwise) goes under the smallest
 * outer ring (counter-clockwise) around it, which is the one directly around it
 * since no rings cross. Polygons come largest first; rings are closed.
 */
function nest(rings: Float64Array[]): number[][][][] {
  interface Outer {
    xy: Float64Array;
    area: number;
    box: [number, number, number, number];
    holes: Float64Array[];
  }
  const outers: Outer[] = [];
  const holes: Float64Array[] = [];
  for (const xy of rings) {
    const a = signedArea2(xy);
    if (a > 0) {
      let x0 = Infinity,
        y0 = Infinity,
        x1 = -Infinity,
        y1 = -Infinity;
      for (let i = 0; i < xy.length; i += 2) {
        x0 = Math.min(x0, xy[i]);
        x1 = Math.max(x1, xy[i]);
        y0 = Math.min(y0, xy[i + 1]);
        y1 = Math.max(y1, xy[i + 1]);
      }
      outers.push({ xy, area: a, box: [x0, y0, x1, y1], holes: [] });
    } else if (a < 0) holes.push(xy);
  }
  outers.sort((p, q) => p.area - q.area);
  for (const h of holes) {
    const x = h[0],
      y = h[1];
    // A hole outside every outer ring cannot come out of the tracing; it is left out.
    const o = outers.find((o) => x >= o.box[0] && x <= o.box[2] && y >= o.box[1] && y <= o.box[3] && inRing(o.xy, x, y));
    o?.holes.push(h);
  }
  const closed = (xy: Float64Array): number[][] => {
    const ring: number[][] = [];
    for (let i = 0; i < xy.length; i += 2) ring.push([xy[i], xy[i + 1]]);
    ring.push([xy[0], xy[1]]);
    return ring;
  };
  return outers.reverse().map((o) => [closed(o.xy), ...o.holes.map(closed)]);
}
