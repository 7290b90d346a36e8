import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Line, Zone } from '../arrangement/types.ts';
import type { MultiPolygonCoords } from '../geo/types.ts';
import { ZoneSet } from '../arrangement/zones.ts';
import { pendingZoneGeometries, traceZoneGeometries, zoneGeometries, zoneGeometriesNow } from './zone-geometry.ts';

// A band from a line, and a drawn square with the band cut out of it: both traced, neither closed-form.
const lines: Line[] = [
  {
    id: 'l',
    paths: [
      [
        [35.8, 33.0],
        [35.85, 33.1],
        [35.8, 33.2],
      ],
    ],
  },
];
const square = (x0: number, y0: number, x1: number, y1: number): MultiPolygonCoords => [
  [
    [
      [x0, y0],
      [x1, y0],
      [x1, y1],
      [x0, y1],
      [x0, y0],
    ],
  ],
];
const zones = (km: number): Zone[] => [
  { id: 'band', shape: { kind: 'band', of: 'l', ofKind: 'line', km: [0, km], side: 'east' }, minus: [] },
  { id: 'rest', shape: { kind: 'polygon', coordinates: square(35.75, 32.95, 35.95, 33.25) }, minus: ['band'] },
];

test('zone geometries: the worker traces what this thread traces, outlines and areas alike', async () => {
  const z = { zones: zones(3), lines };
  assert.equal(pendingZoneGeometries(z), undefined, 'nothing is traced before a start asks');
  const asked = zoneGeometries(z);
  assert.equal(pendingZoneGeometries(z), asked, 'the route awaits the tracing the start began');
  const worker = await asked;
  const here = traceZoneGeometries(z);
  assert.deepEqual([...worker.keys()], ['band', 'rest']);
  assert.deepEqual(worker, here);
  const band = worker.get('band')!;
  const rest = worker.get('rest')!;
  assert.equal(band.exact, false);
  assert.equal(rest.exact, false, 'a polygon with a zone cut out is traced');
  // A 3 km band along a 24 km line: 72 km², and some more where it rounds the line's bend and ends.
  assert.ok(band.area_km2 > 70 && band.area_km2 < 100, `band area ${band.area_km2}`);
  const squareKm2 = new ZoneSet([{ id: 's', shape: { kind: 'polygon', coordinates: square(35.75, 32.95, 35.95, 33.25) }, minus: [] }], []).areaKm2(0);
  assert.ok(Math.abs(rest.area_km2 + band.area_km2 - squareKm2) < 1, 'the square less the band, and the band, make the square');
  // Asked again for the same zones, written anew: the answer kept, not a second tracing.
  assert.equal(zoneGeometries({ zones: zones(3), lines: structuredClone(lines) }), asked);
  assert.equal(zoneGeometriesNow({ zones: zones(3), lines }), worker);
});

test('zone geometries: other zones are traced afresh, and on this thread when nobody started a worker', () => {
  const wide = { zones: zones(5), lines };
  assert.equal(pendingZoneGeometries(wide), undefined);
  const now = zoneGeometriesNow(wide);
  assert.deepEqual(now, traceZoneGeometries(wide));
  assert.ok(now.get('band')!.area_km2 > 100, 'a 5 km band is wider than a 3 km one');
  assert.equal(zoneGeometriesNow(wide), now, 'kept once traced');
});
