import assert from 'node:assert/strict';
import { test } from 'node:test';
import { areaKm2 } from '../geo/area.ts';
import { outlineGrid } from '../geo/outline.ts';
import { evenOddContains } from '../geo/polygon-region.ts';
import type { MultiPolygonCoords } from '../geo/types.ts';
import { loadArrangement, parseArrangement } from './load.ts';
import { zoneOutlines, type ZoneOutline } from './outline.ts';
import type { ZoneSet } from './zones.ts';

const EXAMPLE = new URL('../../examples/southern-syria/arrangement.yaml', import.meta.url).pathname;
let example: ZoneSet | undefined;
const exampleZones = (): ZoneSet => (example ??= loadArrangement(EXAMPLE).zoneSet);

function polygons(o: ZoneOutline): MultiPolygonCoords {
  return (o.geometry.type === 'Polygon' ? [o.geometry.coordinates] : o.geometry.coordinates) as MultiPolygonCoords;
}

const signedArea = (ring: number[][]) => {
  let a = 0;
  for (let i = 1; i < ring.length; i++) a += ring[i - 1][0] * ring[i][1] - ring[i][0] * ring[i - 1][1];
  return a;
};

function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 4294967296;
}

/** Distance in cells (dx, dy of the grid) from a point to the nearest edge of the outline. */
function cellsToEdge(mp: MultiPolygonCoords, x: number, y: number, dx: number, dy: number): number {
  let best = Infinity;
  for (const poly of mp)
    for (const ring of poly) {
      for (let i = 0; i + 1 < ring.length; i++) {
        const ax = (ring[i][0] - x) / dx,
          ay = (ring[i][1] - y) / dy;
        const bx = (ring[i + 1][0] - x) / dx,
          by = (ring[i + 1][1] - y) / dy;
        const ux = bx - ax,
          uy = by - ay;
        const len2 = ux * ux + uy * uy;
        const t = len2 > 0 ? Math.max(0, Math.min(1, -(ax * ux + ay * uy) / len2)) : 0;
        best = Math.min(best, Math.hypot(ax + t * ux, ay + t * uy));
      }
    }
  return best;
}

interface Agreement {
  points: number;
  wrong: number;
  wrongAway: number;
}

/** Outline (even-odd) against ZoneSet.locate at random points of the zone's box. */
function agreement(zoneSet: ZoneSet, z: number, mp: MultiPolygonCoords, n: number, seed: number): Agreement {
  const bbox = zoneSet.regions[z].bbox;
  const { dx, dy } = outlineGrid(bbox);
  const zone = zoneSet.zones[z];
  const alt = zone.altitude ? zone.altitude[0] : null;
  const inside = new Uint8Array(zoneSet.size);
  const rnd = lcg(seed);
  const r: Agreement = { points: n, wrong: 0, wrongAway: 0 };
  for (let k = 0; k < n; k++) {
    const x = bbox[0] + rnd() * (bbox[2] - bbox[0]);
    const y = bbox[1] + rnd() * (bbox[3] - bbox[1]);
    zoneSet.locate(x, y, alt, inside);
    if ((inside[z] === 1) === evenOddContains(mp, x, y)) continue;
    r.wrong++;
    if (cellsToEdge(mp, x, y, dx, dy) > 2) r.wrongAway++;
  }
  return r;
}

test('southern Syria: every zone outlined, well formed, matching the zone inside and out, with its area', () => {
  const zoneSet = exampleZones();
  const outlines = zoneOutlines(zoneSet);
  assert.deepEqual(
    outlines.map((o) => o.id),
    zoneSet.zones.map((z) => z.id),
  );
  let points = 0,
    wrong = 0,
    wrongAway = 0,
    traced = 0;
  outlines.forEach((o, z) => {
    const zone = zoneSet.zones[z];
    const mp = polygons(o);
    assert.ok(mp.length > 0, `${o.id}: empty outline`);
    assert.equal(o.exact, zone.shape.kind === 'polygon' && zone.minus.length === 0, `${o.id}: exact`);
    for (const poly of mp) {
      poly.forEach((ring, k) => {
        assert.ok(ring.length >= 4, `${o.id}: short ring`);
        assert.deepEqual(ring[0], ring[ring.length - 1], `${o.id}: ring not closed`);
        assert.ok(k === 0 ? signedArea(ring) > 0 : signedArea(ring) < 0, `${o.id}: ring ${k} wound the wrong way`);
      });
    }
    if (o.exact) {
      // The drawing itself: the same positions, at most reversed.
      assert.equal(zone.shape.kind, 'polygon');
      if (zone.shape.kind !== 'polygon') return;
      const drawn = zone.shape.coordinates;
      assert.equal(mp.length, drawn.length);
      mp.forEach((poly, p) =>
        poly.forEach((ring, k) => {
          const want = drawn[p][k].map(([x, y]) => [x, y]);
          assert.ok(
            JSON.stringify(ring) === JSON.stringify(want) || JSON.stringify(ring) === JSON.stringify([...want].reverse()),
            `${o.id}: not its own coordinates`,
          );
        }),
      );
      return;
    }
    traced++;
    const area = areaKm2(mp),
      want = zoneSet.areaKm2(z);
    assert.ok(Math.abs(area - want) < 0.01 * want, `${o.id}: outline ${area.toFixed(1)} km² vs zone ${want.toFixed(1)} km²`);
    const a = agreement(zoneSet, z, mp, 2000, z + 1);
    assert.ok(a.wrong < 0.02 * a.points, `${o.id}: ${a.wrong} of ${a.points} points disagree`);
    points += a.points;
    wrong += a.wrong;
    wrongAway += a.wrongAway;
  });
  assert.ok(traced >= 10, 'the example has bands and zones with minus to trace');
  // Disagreement is confined to the outline's edges: none two cells or more away from them.
  assert.equal(wrongAway, 0, `${wrongAway} of ${points} points away from the edges disagree`);
  assert.ok(wrong < 0.005 * points, `${wrong} of ${points} points disagree`);
});

test('outlines are computed once per zone set, and stay compact', () => {
  const zoneSet = exampleZones();
  const first = zoneOutlines(zoneSet);
  assert.equal(zoneOutlines(zoneSet), first);
  for (const o of first) {
    if (o.exact) continue;
    const vertices = polygons(o).reduce((n, poly) => n + poly.reduce((m, ring) => m + ring.length - 1, 0), 0);
    assert.ok(vertices < 1000, `${o.id}: ${vertices} vertices`);
  }
});

test('a drawn zone with a hole cut by another and an altitude range is traced at its own altitude, hole and all', () => {
  const text = `
detente: 1
id: t
title: Test
actors: [{ id: a, name: A, role: party }]
assets: [{ id: tanks }]
zones:
  - id: inner
    geometry: { type: Polygon, coordinates: [[[35.9, 33.05], [36.0, 33.05], [36.0, 33.15], [35.9, 33.15], [35.9, 33.05]]] }
  - id: air
    geometry: { type: Polygon, coordinates: [[[35.8, 33.0], [36.2, 33.0], [36.2, 33.3], [35.8, 33.3], [35.8, 33.0]]] }
    altitude_m: [1000, 5000]
    minus: [inner]
rules:
  - { id: r1, kind: presence, zone: air, only: [a] }
`;
  const { zoneSet } = parseArrangement(text, { file: 't.yaml', baseDir: '.' });
  const outlines = zoneOutlines(zoneSet);
  const air = outlines.find((o) => o.id === 'air')!;
  assert.equal(air.exact, false);
  assert.equal(air.geometry.type, 'Polygon');
  const mp = polygons(air);
  assert.equal(mp.length, 1);
  assert.equal(mp[0].length, 2, 'outer ring and one hole');
  const z = zoneSet.byId.get('air')!;
  assert.ok(Math.abs(areaKm2(mp) - zoneSet.areaKm2(z)) < 0.01 * zoneSet.areaKm2(z));
  assert.equal(agreement(zoneSet, z, mp, 2000, 7).wrongAway, 0);
  const inner = outlines.find((o) => o.id === 'inner')!;
  assert.equal(inner.exact, true);
  assert.deepEqual(inner.geometry, {
    type: 'Polygon',
    coordinates: [
      [
        [35.9, 33.05],
        [36.0, 33.05],
        [36.0, 33.15],
        [35.9, 33.15],
        [35.9, 33.05],
      ],
    ],
  });
});
