// Zone lookups: which zones contain each of 1,000,000 random points.
//
// Ours: RegionIndex over polygonRegion()s. Anchor: @turf/boolean-point-in-polygon
// per zone, called only when the point is inside the zone's bbox, measured in the
// same run (on a prefix of the same points when it is too slow for all of them,
// scaled to points/s). Both answer every zone for every point, and the answers
// are compared point by point on the anchor's prefix.
//
// (a) southern-Syria zones: the two OSM polygons (UNDOF Area of Separation, Golan
//     Heights) and three derived here: 0–10 km and 10–20 km strips east of the
//     Area of Separation's eastern edge, and a south-west Syria rectangle with the
//     Golan Heights as a hole (rough shapes for a benchmark, not geography).
// (b) a synthetic border: three zones of about 50,000 vertices each.
// (c) bands: the 1974-style areas of limitation as bands east of the Area of
//     Separation's eastern edge (0–10, 10–20, 20–25 km), against our own plain
//     reference (every segment, behind a bbox test) — there is no Turf anchor.
import { readFileSync } from 'node:fs';
import { booleanPointInPolygon } from '@turf/boolean-point-in-polygon';
import { bandContainsInSet, bandRegion } from '../src/geo/band-region.ts';
import { polygonRegion } from '../src/geo/polygon-region.ts';
import { LineSet } from '../src/geo/polyline.ts';
import { destination } from '../src/geo/sphere.ts';
import type { MultiPolygonCoords, Position, Region, Ring, Side } from '../src/geo/types.ts';
import { RegionIndex } from '../src/geo/zone-index.ts';
import type { BenchRow, Suite } from './harness.ts';
import { rng } from '../src/sim/random.ts';

const N = Number(process.env.BENCH_ZONE_POINTS ?? 1_000_000);

function close(ring: Position[]): Ring {
  return [...ring, [ring[0][0], ring[0][1]]];
}

/** The Area of Separation's eastern edge: the side of the ring between its northern- and southernmost vertices with the larger mean longitude. */
function easternEdge(ring: Ring): Position[] {
  const pts = ring.slice(0, -1);
  let n = 0,
    s = 0;
  for (let k = 0; k < pts.length; k++) {
    if (pts[k][1] > pts[n][1]) n = k;
    if (pts[k][1] < pts[s][1]) s = k;
  }
  const walk = (from: number, to: number): Position[] => {
    const out: Position[] = [];
    for (let k = from; ; k = (k + 1) % pts.length) {
      out.push(pts[k]);
      if (k === to) return out;
    }
  };
  const a = walk(n, s),
    b = walk(s, n).reverse();
  const mean = (c: Position[]) => c.reduce((t, p) => t + p[0], 0) / c.length;
  return mean(a) > mean(b) ? a : b;
}

/** A strip from d0 to d1 km due east of a north-to-south chain. */
function eastStrip(chain: Position[], d0: number, d1: number): Ring {
  const near = chain.map((p) => (d0 === 0 ? p : destination(p[0], p[1], 90, d0)));
  const far = chain.map((p) => destination(p[0], p[1], 90, d1));
  return close([...near, ...far.reverse()]);
}

export function syrianZones(): { names: string[]; zones: MultiPolygonCoords[] } {
  const g = JSON.parse(readFileSync(new URL('../src/geo/testdata/osm-golan-undof.geojson', import.meta.url), 'utf8'));
  const aos: Ring = g.features[0].geometry.coordinates[0];
  const golan: Ring = g.features[1].geometry.coordinates[0];
  const edge = easternEdge(aos);
  const sw: Ring = close([
    [35.55, 32.6],
    [36.5, 32.6],
    [36.5, 33.5],
    [35.55, 33.5],
  ]);
  return {
    names: ['Area of Separation', 'Golan Heights', 'east 0–10 km', 'east 10–20 km', 'south-west minus Golan'],
    zones: [[[aos]], [[golan]], [[eastStrip(edge, 0, 10)]], [[eastStrip(edge, 10, 20)]], [[sw, golan]]],
  };
}

/** Three zones of about 50,000 vertices each around a meandering border. */
export function borderZones(verts = 50_000): { names: string[]; zones: MultiPolygonCoords[] } {
  const r = rng(42);
  const border: Position[] = [];
  for (let k = 0; k < verts; k++) {
    const lat = 32 + (2 * k) / (verts - 1);
    const lon = 35 + 0.15 * Math.sin(lat * 9) + 0.05 * Math.sin(lat * 53) + 0.004 * (r() - 0.5);
    border.push([lon, lat]);
  }
  const west = close([...border, [34, 34], [34, 32]]);
  const east = close([...border, [36, 34], [36, 32]]);
  const loop: Position[] = [];
  const kx = 1 / Math.cos((33 * Math.PI) / 180);
  for (let k = 0; k < verts; k++) {
    const a = (2 * Math.PI * k) / verts;
    const rad = 0.5 * (1 + 0.15 * Math.sin(9 * a) + 0.05 * Math.sin(31 * a)) + 0.003 * (r() - 0.5);
    loop.push([35 + rad * Math.cos(a) * kx, 33 + rad * Math.sin(a)]);
  }
  return { names: ['west of border', 'east of border', 'loop'], zones: [[[west]], [[east]], [[close(loop)]]] };
}

function points(zones: MultiPolygonCoords[], n: number, seed: number): { xs: Float64Array; ys: Float64Array } {
  let x0 = Infinity,
    y0 = Infinity,
    x1 = -Infinity,
    y1 = -Infinity;
  for (const z of zones)
    for (const poly of z)
      for (const ring of poly)
        for (const [x, y] of ring) {
          x0 = Math.min(x0, x);
          x1 = Math.max(x1, x);
          y0 = Math.min(y0, y);
          y1 = Math.max(y1, y);
        }
  const px = (x1 - x0) * 0.1,
    py = (y1 - y0) * 0.1;
  const r = rng(seed);
  const xs = new Float64Array(n),
    ys = new Float64Array(n);
  for (let k = 0; k < n; k++) {
    xs[k] = x0 - px + r() * (x1 - x0 + 2 * px);
    ys[k] = y0 - py + r() * (y1 - y0 + 2 * py);
  }
  return { xs, ys };
}

function bboxOf(z: MultiPolygonCoords): [number, number, number, number] {
  let x0 = Infinity,
    y0 = Infinity,
    x1 = -Infinity,
    y1 = -Infinity;
  for (const poly of z)
    for (const ring of poly)
      for (const [x, y] of ring) {
        x0 = Math.min(x0, x);
        x1 = Math.max(x1, x);
        y0 = Math.min(y0, y);
        y1 = Math.max(y1, y);
      }
  return [x0, y0, x1, y1];
}

/** Bit k of the result: zone k contains the point. */
function ourMasks(index: RegionIndex, xs: Float64Array, ys: Float64Array, n: number, masks: Int32Array | null): number {
  const found = new Int32Array(index.regions.length);
  let total = 0;
  for (let p = 0; p < n; p++) {
    const c = index.query(xs[p], ys[p], found);
    total += c;
    if (masks !== null) {
      let m = 0;
      for (let k = 0; k < c; k++) m |= 1 << found[k];
      masks[p] = m;
    }
  }
  return total;
}

function turfMasks(zones: MultiPolygonCoords[], xs: Float64Array, ys: Float64Array, n: number, masks: Int32Array): number {
  const geoms = zones.map((z) => ({ type: 'MultiPolygon' as const, coordinates: z }));
  const boxes = zones.map(bboxOf);
  let total = 0;
  for (let p = 0; p < n; p++) {
    const x = xs[p],
      y = ys[p];
    let m = 0;
    for (let k = 0; k < zones.length; k++) {
      const b = boxes[k];
      if (x >= b[0] && x <= b[2] && y >= b[1] && y <= b[3] && booleanPointInPolygon([x, y], geoms[k])) {
        m |= 1 << k;
        total++;
      }
    }
    masks[p] = m;
  }
  return total;
}

/** Whether (x, y) is within tol degrees of an edge of z (planar). */
function nearEdge(z: MultiPolygonCoords, x: number, y: number, tol: number): boolean {
  for (const poly of z)
    for (const ring of poly)
      for (let k = 0; k + 1 < ring.length; k++) {
        const [ax, ay] = ring[k],
          [bx, by] = ring[k + 1];
        const dx = bx - ax,
          dy = by - ay;
        const t = dx === 0 && dy === 0 ? 0 : Math.max(0, Math.min(1, ((x - ax) * dx + (y - ay) * dy) / (dx * dx + dy * dy)));
        if (Math.hypot(x - ax - t * dx, y - ay - t * dy) <= tol) return true;
      }
  return false;
}

function runCase(label: string, set: { names: string[]; zones: MultiPolygonCoords[] }, turfPoints: number, target: number, seed: number): BenchRow {
  const verts = set.zones.reduce((t, z) => t + z.reduce((u, poly) => u + poly.reduce((v, ring) => v + ring.length, 0), 0), 0);
  const { xs, ys } = points(set.zones, N, seed);

  const tb = performance.now();
  const index = new RegionIndex(set.zones.map((z) => polygonRegion(z)));
  const buildMs = performance.now() - tb;

  // Ours: every point, best of three passes (the first also warms the JIT).
  let best = Infinity,
    hits = 0;
  for (let r = 0; r < 3; r++) {
    const t0 = performance.now();
    hits = ourMasks(index, xs, ys, N, null);
    best = Math.min(best, performance.now() - t0);
  }
  const ours = (N * 1000) / best;

  // Anchor on a prefix of the same points, after a short warm-up.
  const m = Math.min(N, turfPoints);
  const turf = new Int32Array(m);
  turfMasks(set.zones, xs, ys, Math.min(m, 200), turf);
  const t1 = performance.now();
  turfMasks(set.zones, xs, ys, m, turf);
  const anchor = (m * 1000) / (performance.now() - t1);

  const mine = new Int32Array(m);
  ourMasks(index, xs, ys, m, mine);
  let disagree = 0,
    onEdge = 0;
  for (let p = 0; p < m; p++) {
    if (mine[p] === turf[p]) continue;
    disagree++;
    const diff = mine[p] ^ turf[p];
    if (set.zones.some((z, k) => (diff & (1 << k)) !== 0 && nearEdge(z, xs[p], ys[p], 1e-9))) onEdge++;
  }

  const ratio = ours / anchor;
  return {
    suite: 'zones',
    case: `zone lookups, ${label}`,
    value: Math.round(ours),
    unit: 'points/s',
    anchor: { name: 'Turf booleanPointInPolygon + bbox', value: Math.round(anchor) },
    ratio,
    target: `≥ ${target.toLocaleString('en')}× Turf+bbox and ≥ 5,000,000 points/s on one core`,
    met: ratio >= target && ours >= 5_000_000,
    note:
      `${set.zones.length} zones (${set.names.join(', ')}), ${verts.toLocaleString('en')} vertices; ${N.toLocaleString('en')} random points over the zones' bbox padded 10%, ` +
      `${hits.toLocaleString('en')} zone hits; index built in ${buildMs.toFixed(0)} ms; Turf measured on the first ${m.toLocaleString('en')} points and scaled; ` +
      `agreement with Turf on those: ${disagree} of ${m.toLocaleString('en')} points differ (${onEdge} of them within 1e-9° of an edge)`,
  };
}

function bandCase(): BenchRow {
  const g = JSON.parse(readFileSync(new URL('../src/geo/testdata/osm-golan-undof.geojson', import.meta.url), 'utf8'));
  const edge = easternEdge(g.features[0].geometry.coordinates[0]);
  const specs: [number, number, Side][] = [
    [0, 10, 'east'],
    [10, 20, 'east'],
    [20, 25, 'east'],
  ];
  const tb = performance.now();
  const regions: Region[] = specs.map(([lo, hi, side]) => bandRegion([edge], lo, hi, side));
  const index = new RegionIndex(regions);
  const buildMs = performance.now() - tb;
  let x0 = Infinity,
    y0 = Infinity,
    x1 = -Infinity,
    y1 = -Infinity;
  for (const r of regions) {
    x0 = Math.min(x0, r.bbox[0]);
    y0 = Math.min(y0, r.bbox[1]);
    x1 = Math.max(x1, r.bbox[2]);
    y1 = Math.max(y1, r.bbox[3]);
  }
  const r = rng(3);
  const xs = new Float64Array(N),
    ys = new Float64Array(N);
  for (let k = 0; k < N; k++) {
    xs[k] = x0 + r() * (x1 - x0);
    ys[k] = y0 + r() * (y1 - y0);
  }
  let best = Infinity;
  for (let rep = 0; rep < 3; rep++) {
    const t0 = performance.now();
    ourMasks(index, xs, ys, N, null);
    best = Math.min(best, performance.now() - t0);
  }
  const ours = (N * 1000) / best;
  const set = new LineSet([edge]);
  const m = Math.min(N, 20_000);
  const plain = new Int32Array(m);
  const t1 = performance.now();
  for (let p = 0; p < m; p++) {
    let mask = 0;
    for (let k = 0; k < specs.length; k++) {
      const b = regions[k].bbox;
      if (xs[p] >= b[0] && xs[p] <= b[2] && ys[p] >= b[1] && ys[p] <= b[3] && bandContainsInSet(set, specs[k][0], specs[k][1], specs[k][2], xs[p], ys[p]))
        mask |= 1 << k;
    }
    plain[p] = mask;
  }
  const anchor = (m * 1000) / (performance.now() - t1);
  const mine = new Int32Array(m);
  ourMasks(index, xs, ys, m, mine);
  let disagree = 0;
  for (let p = 0; p < m; p++) if (mine[p] !== plain[p]) disagree++;
  return {
    suite: 'zones',
    case: 'band lookups, areas of limitation east of the Area of Separation',
    value: Math.round(ours),
    unit: 'points/s',
    anchor: { name: 'plain band reference + bbox', value: Math.round(anchor) },
    ratio: ours / anchor,
    note:
      `3 bands (0–10, 10–20, 20–25 km east of a ${edge.length}-vertex edge); ${N.toLocaleString('en')} random points over their bbox; ` +
      `built in ${buildMs.toFixed(0)} ms; reference measured on the first ${m.toLocaleString('en')} points: ${disagree} differ`,
  };
}

export const suite: Suite = async () => [
  runCase('southern-Syria zones', syrianZones(), 200_000, 50, 1),
  runCase('synthetic border, ~50,000 vertices per zone', borderZones(), 5_000, 1000, 2),
  bandCase(),
];
