import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { bandRegion } from './band-region.ts';
import { outlineGrid, outlineRegion, type OutlineOptions } from './outline.ts';
import { evenOddContains } from './polygon-region.ts';
import { segmentsIntersect } from './predicates.ts';
import { ringSelfIntersection } from './ring-check.ts';
import { destination } from './sphere.ts';
import type { BBox, MultiPolygonCoords, Position } from './types.ts';

/** A planar shape in lon/lat degrees with its exact inside test and distance to its boundary. */
interface Shape {
  name: string;
  contains: (x: number, y: number) => boolean;
  /** unsigned distance (degrees) from the point to the boundary */
  dist: (x: number, y: number) => number;
  bbox: BBox;
  /** smallest width of any part, gap or hole (degrees): below a few cells the expected structure may blur */
  feature: number;
  /** per polygon, its number of holes (in any order) */
  structure: number[];
}

const hypot = Math.hypot;
/** Signed distance to an axis-aligned box (negative inside). */
function boxSd(x: number, y: number, b: BBox): number {
  const cx = (b[0] + b[2]) / 2,
    cy = (b[1] + b[3]) / 2,
    hx = (b[2] - b[0]) / 2,
    hy = (b[3] - b[1]) / 2;
  const qx = Math.abs(x - cx) - hx,
    qy = Math.abs(y - cy) - hy;
  return hypot(Math.max(qx, 0), Math.max(qy, 0)) + Math.min(Math.max(qx, qy), 0);
}

const centre = fc.record({ cx: fc.double({ min: -170, max: 170, noNaN: true }), cy: fc.double({ min: -60, max: 60, noNaN: true }) });
const scale = fc.double({ min: 0.02, max: 1, noNaN: true });

const disk = fc.tuple(centre, scale).map(
  ([{ cx, cy }, r]): Shape => ({
    name: 'disk',
    contains: (x, y) => hypot(x - cx, y - cy) <= r,
    dist: (x, y) => Math.abs(hypot(x - cx, y - cy) - r),
    bbox: [cx - r, cy - r, cx + r, cy + r],
    feature: r,
    structure: [0],
  }),
);

const annulus = fc.tuple(centre, scale, fc.double({ min: 0.2, max: 0.8, noNaN: true })).map(([{ cx, cy }, r, k]): Shape => {
  const r0 = r * k;
  return {
    name: 'annulus',
    contains: (x, y) => {
      const d = hypot(x - cx, y - cy);
      return d >= r0 && d <= r;
    },
    dist: (x, y) => {
      const d = hypot(x - cx, y - cy);
      return Math.min(Math.abs(d - r), Math.abs(d - r0));
    },
    bbox: [cx - r, cy - r, cx + r, cy + r],
    feature: Math.min(r0, r - r0),
    structure: [1],
  };
});

/** Concentric circles alternating inside and out: islands in holes in islands. */
const target = fc
  .tuple(centre, scale, fc.array(fc.double({ min: 0.3, max: 0.75, noNaN: true }), { minLength: 1, maxLength: 4 }))
  .map(([{ cx, cy }, r, ks]): Shape => {
    const radii = [r];
    for (const k of ks) radii.push(radii[radii.length - 1] * k);
    let feature = radii[radii.length - 1];
    for (let i = 1; i < radii.length; i++) feature = Math.min(feature, radii[i - 1] - radii[i]);
    const structure: number[] = [];
    for (let i = 0; i < radii.length; i += 2) structure.push(i + 1 < radii.length ? 1 : 0);
    return {
      name: 'concentric rings',
      contains: (x, y) => {
        const d = hypot(x - cx, y - cy);
        return radii.filter((q) => d <= q).length % 2 === 1;
      },
      dist: (x, y) => Math.min(...radii.map((q) => Math.abs(hypot(x - cx, y - cy) - q))),
      bbox: [cx - r, cy - r, cx + r, cy + r],
      feature,
      structure,
    };
  });

/** A rectangle with up to three rectangular holes in separate vertical strips of it. */
const holedRect = fc
  .tuple(
    centre,
    scale,
    fc.double({ min: 0.3, max: 1, noNaN: true }),
    fc.array(fc.tuple(fc.double({ min: 0.1, max: 0.8, noNaN: true }), fc.double({ min: 0.1, max: 0.8, noNaN: true })), { maxLength: 3 }),
  )
  .map(([{ cx, cy }, w, aspect, holes]): Shape => {
    const h = w * aspect;
    const outer: BBox = [cx - w, cy - h, cx + w, cy + h];
    const strip = (2 * w) / Math.max(1, holes.length);
    const boxes: BBox[] = holes.map(([fw, fh], k) => {
      const mx = outer[0] + (k + 0.5) * strip,
        hw = (fw * strip) / 2,
        hh = fh * h;
      return [mx - hw, cy - hh, mx + hw, cy + hh];
    });
    let feature = Math.min(h, w);
    for (const b of boxes) feature = Math.min(feature, b[2] - b[0], b[3] - b[1], b[1] - outer[1], (strip - (b[2] - b[0])) / 2);
    return {
      name: 'rectangle with holes',
      contains: (x, y) => boxSd(x, y, outer) <= 0 && boxes.every((b) => boxSd(x, y, b) >= 0),
      dist: (x, y) => Math.min(Math.abs(boxSd(x, y, outer)), ...boxes.map((b) => Math.abs(boxSd(x, y, b)))),
      bbox: outer,
      feature,
      structure: [boxes.length],
    };
  });

const twoBlobs = fc
  .tuple(centre, scale, fc.double({ min: 0.2, max: 1, noNaN: true }), fc.double({ min: 0.05, max: 1, noNaN: true }))
  .map(([{ cx, cy }, r1, k, gap]): Shape => {
    const r2 = r1 * k;
    const bx = cx + r1 + gap * r1 + r2;
    return {
      name: 'two disks',
      contains: (x, y) => hypot(x - cx, y - cy) <= r1 || hypot(x - bx, y - cy) <= r2,
      dist: (x, y) => Math.min(Math.abs(hypot(x - cx, y - cy) - r1), Math.abs(hypot(x - bx, y - cy) - r2)),
      bbox: [cx - r1, cy - r1, bx + r2, cy + r1],
      feature: Math.min(r2, gap * r1),
      structure: [0, 0],
    };
  });

const shape = fc.oneof(disk, annulus, target, holedRect, twoBlobs);
const options = fc.record({
  maxCells: fc.integer({ min: 16, max: 160 }),
  refine: fc.constantFrom(0, 2, 8),
  tolerance: fc.constantFrom(0, 0.1, 0.25, 0.45),
});

function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 4294967296;
}

/**
 * GeoJSON reading of MultiPolygon coordinates: the point is in a polygon when it
 * is inside its outer ring and in none of its holes. Polygons must not overlap,
 * so at most one may claim the point.
 */
function geojsonContains(mp: number[][][][], x: number, y: number): boolean {
  const inRing = (ring: number[][]) => evenOddContains([[ring]] as MultiPolygonCoords, x, y);
  let count = 0;
  for (const poly of mp) if (inRing(poly[0]) && !poly.slice(1).some(inRing)) count++;
  assert.ok(count <= 1, `(${x}, ${y}) is in ${count} polygons`);
  return count === 1;
}

const signedArea = (ring: number[][]) => {
  let a = 0;
  for (let i = 1; i < ring.length; i++) a += ring[i - 1][0] * ring[i][1] - ring[i][0] * ring[i - 1][1];
  return a / 2;
};

/**
 * Structure every output must have: closed rings of four or more positions,
 * outer rings counter-clockwise, holes clockwise and inside their outer ring,
 * and no two segments touching except neighbours at their shared vertex.
 */
function assertWellFormed(mp: number[][][][]): void {
  const segs: number[][] = []; // [ax, ay, bx, by, ring, index, ringLength]
  let ringId = 0;
  for (const poly of mp) {
    assert.ok(poly.length >= 1);
    poly.forEach((ring, k) => {
      assert.ok(ring.length >= 4, `ring of ${ring.length} positions`);
      assert.deepEqual(ring[0], ring[ring.length - 1], 'ring not closed');
      for (const p of ring) assert.ok(p.length === 2 && Number.isFinite(p[0]) && Number.isFinite(p[1]));
      const a = signedArea(ring);
      if (k === 0) assert.ok(a > 0, 'outer ring not counter-clockwise');
      else {
        assert.ok(a < 0, 'hole not clockwise');
        assert.ok(evenOddContains([[poly[0]]] as MultiPolygonCoords, ring[0][0], ring[0][1]), 'hole outside its outer ring');
      }
      assert.equal(ringSelfIntersection(ring as Position[]), null, 'ring intersects itself');
      const n = ring.length - 1;
      for (let i = 0; i < n; i++) segs.push([ring[i][0], ring[i][1], ring[i + 1][0], ring[i + 1][1], ringId, i, n]);
      ringId++;
    });
  }
  // Across rings: sort by min x and sweep.
  segs.sort((p, q) => Math.min(p[0], p[2]) - Math.min(q[0], q[2]));
  for (let a = 0; a < segs.length; a++) {
    const s = segs[a];
    const sx1 = Math.max(s[0], s[2]),
      sy0 = Math.min(s[1], s[3]),
      sy1 = Math.max(s[1], s[3]);
    for (let b = a + 1; b < segs.length; b++) {
      const t = segs[b];
      if (Math.min(t[0], t[2]) > sx1) break;
      if (t[4] === s[4]) continue; // within a ring: ringSelfIntersection above
      if (Math.max(t[1], t[3]) < sy0 || Math.min(t[1], t[3]) > sy1) continue;
      assert.ok(!segmentsIntersect(s[0], s[1], s[2], s[3], t[0], t[1], t[2], t[3]), `rings ${s[4]} and ${t[4]} touch`);
    }
  }
}

test('random disks, annuli, nested rings, holed rectangles and disjoint pairs: well formed, on the boundary, right inside and out', () => {
  fc.assert(
    fc.property(shape, options, fc.integer(), (sh, opts, seed) => {
      const mp = outlineRegion(sh.contains, sh.bbox, opts);
      assertWellFormed(mp);
      const { dx, dy } = outlineGrid(sh.bbox, opts);
      const cell = Math.max(dx, dy);

      // Every vertex is on a grid line within the bisection's last interval of the boundary.
      const near = (cell / 2 ** opts.refine) * 1.0001;
      for (const poly of mp)
        for (const ring of poly)
          for (const [x, y] of ring) {
            assert.ok(sh.dist(x, y) <= near, `${sh.name}: vertex (${x}, ${y}) is ${sh.dist(x, y) / cell} cells off the boundary`);
          }

      // Points two cells or more from the boundary are classified as the shape does.
      const rnd = lcg(seed);
      const [x0, y0, x1, y1] = sh.bbox;
      const mx = (x1 - x0) * 0.1,
        my = (y1 - y0) * 0.1;
      for (let k = 0; k < 400; k++) {
        const x = x0 - mx + rnd() * (x1 - x0 + 2 * mx),
          y = y0 - my + rnd() * (y1 - y0 + 2 * my);
        if (sh.dist(x, y) <= 2 * cell) continue;
        assert.equal(geojsonContains(mp, x, y), sh.contains(x, y), `${sh.name}: (${x}, ${y}) misclassified`);
      }

      // Parts and holes are all there when they are a few cells wide.
      if (sh.feature >= 4 * cell) {
        const got = mp.map((p) => p.length - 1).sort();
        assert.deepEqual(got, [...sh.structure].sort(), `${sh.name}: polygons and holes`);
      }
    }),
    { numRuns: 300 },
  );
});

test('islands in holes in islands: each hole under the ring directly around it', () => {
  // Disk 0–0.1 inside, annulus 0.2–0.3 out, 0.3–0.4 in... around (35, 33).
  const radii = [0.5, 0.4, 0.3, 0.2, 0.1];
  const contains = (x: number, y: number) => radii.filter((q) => Math.hypot(x - 35, y - 33) <= q).length % 2 === 1;
  const mp = outlineRegion(contains, [34.5, 32.5, 35.5, 33.5], { maxCells: 200 });
  assertWellFormed(mp);
  assert.deepEqual(
    mp.map((p) => p.length - 1),
    [1, 1, 0],
    'largest first: 0.5 less 0.4, 0.3 less 0.2, disk 0.1',
  );
  for (const [k, poly] of mp.entries()) {
    const r = Math.hypot(poly[0][0][0] - 35, poly[0][0][1] - 33);
    assert.ok(Math.abs(r - radii[2 * k]) < 0.01, `polygon ${k} has outer radius ${r}`);
  }
  for (let k = 0; k < 200; k++) {
    const d = 0.005 + (k / 200) * 0.6,
      x = 35 + d * Math.cos(k),
      y = 33 + d * Math.sin(k);
    if (radii.every((q) => Math.abs(d - q) > 0.01)) assert.equal(geojsonContains(mp, x, y), contains(x, y), `at distance ${d}`);
  }
});

test('tracing alone (no refinement, no simplification) classifies every sample exactly, even for noise', () => {
  // Random cells at about the grid's own scale: saddles, one-sample islands and holes everywhere.
  fc.assert(
    fc.property(
      fc.integer(),
      fc.integer({ min: 8, max: 48 }),
      fc.double({ min: 0.5, max: 3, noNaN: true }),
      fc.double({ min: 0.2, max: 0.8, noNaN: true }),
      (seed, maxCells, q, density) => {
        const bbox: BBox = [10, 40, 11, 40.8];
        const { nx, ny, dx, dy } = outlineGrid(bbox, { maxCells });
        const hash = (i: number, j: number) => {
          let h = Math.imul(i, 73856093) ^ Math.imul(j, 19349663) ^ seed;
          h = Math.imul(h ^ (h >>> 13), 1274126177);
          return ((h ^ (h >>> 16)) >>> 0) / 4294967296;
        };
        const contains = (x: number, y: number) => hash(Math.floor((x - 10) / (dx * q)), Math.floor((y - 40) / (dy * q))) < density;
        const opts: OutlineOptions = { maxCells, refine: 0, tolerance: 0 };
        const mp = outlineRegion(contains, bbox, opts);
        assertWellFormed(mp);
        for (let j = 0; j < ny; j++)
          for (let i = 0; i < nx; i++) {
            const x = 10 + (i + 0.5) * dx,
              y = 40 + (j + 0.5) * dy;
            assert.equal(geojsonContains(mp, x, y), contains(x, y), `sample (${i}, ${j})`);
          }
        // Simplified and refined, the same noise still gives well-formed rings.
        assertWellFormed(outlineRegion(contains, bbox, { maxCells }));
        assertWellFormed(outlineRegion(contains, bbox, { maxCells, tolerance: 0.45, refine: 3 }));
      },
    ),
    { numRuns: 60 },
  );
});

test('corners touching diagonally (saddles) come out as simple rings either way', () => {
  // Two squares meeting at one point, the meeting point at a cell centre or not.
  for (const off of [0, 0.013]) {
    const contains = (x: number, y: number) => {
      const a = x >= 0 && x <= 1 + off && y >= 0 && y <= 1 + off;
      const b = x >= 1 + off && x <= 2 && y >= 1 + off && y <= 2;
      return a || b;
    };
    for (const maxCells of [8, 9, 16, 33]) {
      const mp = outlineRegion(contains, [0, 0, 2, 2], { maxCells, refine: 6 });
      assertWellFormed(mp);
      assert.ok(mp.length === 1 || mp.length === 2);
    }
  }
});

test('nothing inside gives no polygons; everything inside gives the box', () => {
  assert.deepEqual(
    outlineRegion(() => false, [0, 0, 1, 1]),
    [],
  );
  assert.deepEqual(
    outlineRegion(() => true, [0, 0, 0, 1]),
    [],
  );
  assert.deepEqual(
    outlineRegion(() => true, [0, 0, Number.NaN, 1]),
    [],
  );
  const mp = outlineRegion((x, y) => x >= 0 && x <= 1 && y >= 0 && y <= 1, [0, 0, 1, 1], { maxCells: 32 });
  assertWellFormed(mp);
  assert.equal(mp.length, 1);
  assert.equal(mp[0].length, 1);
  const a = signedArea(mp[0][0]);
  assert.ok(a > 0.99 && a <= 1, `area ${a}`);
});

test('straight runs collapse: an axis-aligned rectangle keeps only its corners', () => {
  const contains = (x: number, y: number) => x >= 35.1 && x <= 35.7 && y >= 33.05 && y <= 33.3;
  for (const refine of [0, 8]) {
    const mp = outlineRegion(contains, [35, 33, 36, 33.5], { refine });
    assertWellFormed(mp);
    assert.equal(mp.length, 1);
    assert.ok(mp[0][0].length <= 9, `${mp[0][0].length} positions`);
  }
});

test('a band along a 100 km line: a few hundred vertices, all near its edges', () => {
  const line: Position[] = [
    [35.87, 33.41],
    [35.9, 33.1],
    [35.8, 32.75],
    [35.83, 32.6],
  ];
  const band = bandRegion([line], 0, 10, 'east');
  const mp = outlineRegion((x, y) => band.contains(x, y), band.bbox);
  assertWellFormed(mp);
  assert.equal(mp.length, 1);
  const vertices = mp[0].reduce((n, r) => n + r.length - 1, 0);
  const { nx, ny } = outlineGrid(band.bbox);
  assert.ok(vertices < 500, `${vertices} vertices`);
  assert.ok(vertices < (nx + ny) / 2, `${vertices} vertices on a ${nx} × ${ny} grid`);
  // Its far edge is 10 km out: a vertex well inside the band must not exist.
  for (const [x, y] of mp[0][0]) {
    const out = destination(x, y, 90, 0.5),
      back = destination(x, y, 270, 0.5);
    assert.ok(
      !(band.contains(out[0], out[1]) && band.contains(back[0], back[1]) && band.contains(x, y + 0.005) && band.contains(x, y - 0.005)),
      `vertex (${x}, ${y}) is deep inside`,
    );
  }
});
