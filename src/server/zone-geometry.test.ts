import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import type { Line, Zone } from '../arrangement/types.ts';
import type { MultiPolygonCoords } from '../geo/types.ts';
import { ZoneSet } from '../arrangement/zones.ts';
import { readZoneCache, writeZoneCache } from './zone-geometry-cache.ts';
import { pendingZoneGeometries, traceZoneGeometries, zoneGeometries, zoneGeometriesNow, zoneKey } from './zone-geometry.ts';

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

test('zone geometries on disk: kept once traced, read back at the next start, and ignored when they are not for these zones', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'detente-zone-cache-'));
  try {
    const z = { zones: zones(4), lines };
    const traced = await zoneGeometries(z, dir);
    assert.deepEqual(readdirSync(dir), [`zone-geometry-${zoneKey(z)}.json`], 'one file for one set of zones and lines');
    assert.deepEqual(readZoneCache(dir, zoneKey(z), ['band', 'rest']), traced, 'what was traced is what is read back');
    // A start of other zones finds a file kept under their key: it reads it and traces
    // nothing (the marked area shows where the answer came from).
    const other = { zones: zones(6), lines };
    writeZoneCache(dir, zoneKey(other), new Map([...traced].map(([id, g]) => [id, { ...g, area_km2: -1 }])));
    assert.equal(pendingZoneGeometries(other), undefined);
    assert.equal((await zoneGeometries(other, dir)).get('band')!.area_km2, -1, 'read from the disk, not traced');
    assert.equal(zoneGeometriesNow(other).get('rest')!.area_km2, -1, 'and kept as traced');
    // A file that names other zones, or does not parse, is no answer.
    assert.equal(readZoneCache(dir, zoneKey(z), ['band']), undefined);
    writeFileSync(join(dir, `zone-geometry-${zoneKey(z)}.json`), '{"key":');
    assert.equal(readZoneCache(dir, zoneKey(z), ['band', 'rest']), undefined);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
