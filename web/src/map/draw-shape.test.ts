// The preview of a drafted zone: a band of a line, and a band along a drawn zone's edge
// (from an inline polygon, or one kept in a GeoJSON file), traced as the server traces them.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Position } from 'geojson';
import { drawnZones, shapeBox, zoneGeometry } from './draw-shape.ts';

// A square of about 11 km a side near the Golan.
const SQUARE: Position[][] = [
  [
    [35.8, 33.0],
    [35.9, 33.0],
    [35.9, 33.1],
    [35.8, 33.1],
    [35.8, 33.0],
  ],
];
const KM_LAT = 1 / 111.2;

test('a band along a drawn zone’s edge is previewed, its width on the side asked', () => {
  const polygons = drawnZones([{ id: 'sq', geometry: { type: 'Polygon', coordinates: SQUARE } }], {});
  const both = zoneGeometry({ id: 'ring', band: { of: 'sq', km: [0, 3], side: 'both' } }, [], new Map(), polygons);
  assert.ok(both, 'a band of a zone is drawn');
  const [w, s, e, n] = shapeBox(both);
  // 3 km beyond every edge, within the tracer's grid.
  assert.ok(Math.abs(33.0 - s - 3 * KM_LAT) < 0.6 * KM_LAT, `south edge ${s}`);
  assert.ok(Math.abs(n - 33.1 - 3 * KM_LAT) < 0.6 * KM_LAT, `north edge ${n}`);
  assert.ok(w < 35.8 && e > 35.9);
  // East only: nothing west of the square's western edge.
  const east = zoneGeometry({ id: 'strip', band: { of: 'sq', km: [0, 2], side: 'east' } }, [], new Map(), polygons);
  assert.ok(east);
  const [we, , ee] = shapeBox(east);
  assert.ok(we > 35.8 - 0.01, `the east band reaches west to ${we}`);
  assert.ok(ee > 35.9 + 0.01, `the east band reaches east to ${ee}`);
});

test('the zone a band follows may be kept in a GeoJSON file; a band of itself or of nothing is not drawn', () => {
  const files = {
    'zones.geojson': {
      type: 'FeatureCollection',
      features: [{ type: 'Feature', properties: { id: 'aos' }, geometry: { type: 'Polygon', coordinates: SQUARE } }],
    },
  };
  const polygons = drawnZones(
    [
      { id: 'aos', geometry: { file: 'zones.geojson', feature: 'aos' } },
      { id: 'b', band: { of: 'aos', km: [0, 1], side: 'both' } },
    ],
    files,
  );
  assert.deepEqual([...polygons.keys()], ['aos'], 'bands are not edges a band may follow');
  assert.ok(zoneGeometry({ id: 'x', band: { of: 'aos', km: [0, 1], side: 'both' } }, [], new Map(), polygons));
  assert.equal(zoneGeometry({ id: 'aos', band: { of: 'aos', km: [0, 1], side: 'both' } }, [], new Map(), polygons), null);
  assert.equal(zoneGeometry({ id: 'x', band: { of: 'nowhere', km: [0, 1], side: 'both' } }, [], new Map(), polygons), null);
});

test('a band of a line, drafted or in force, as before', () => {
  const line = [
    [35.9, 33.0],
    [35.9, 33.2],
  ];
  const drafted = zoneGeometry(
    { id: 'z', band: { of: 'l', km: [0, 2], side: 'east' } },
    [{ id: 'l', geometry: { type: 'LineString', coordinates: line } }],
    new Map(),
  );
  const inForce = zoneGeometry({ id: 'z', band: { of: 'l', km: [0, 2], side: 'east' } }, [], new Map([['l', [line]]]));
  assert.ok(drafted && inForce);
  assert.deepEqual(shapeBox(drafted), shapeBox(inForce));
  assert.ok(shapeBox(drafted)[0] > 35.9 - 1e-4, "east of the line only, within the tracer's grid");
});
