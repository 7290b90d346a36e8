// `detente zones` end to end: the files it writes, read back by independent
// readers (GDAL's ogr2ogr for KML and GeoJSON, xmllint and our own parser for
// CoT), keep every zone with its holes, and their areas match the ones
// `detente validate` computes (ZoneSet.areaKm2) to 0.1 %.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import type { Geometry } from 'geojson';
import { loadArrangement } from '../src/arrangement/load.ts';
import { areaKm2 } from '../src/geo/area.ts';
import type { MultiPolygonCoords } from '../src/geo/types.ts';
import { parseCot } from '../src/interop/cot/parse.ts';
import { hasOgr, ogrRead } from './helpers/ogr.ts';
import { hasXmllint, xsdErrors } from './helpers/xmllint.ts';

const ROOT = new URL('..', import.meta.url).pathname;
const HOLES = join(ROOT, 'src/interop/testdata/holes.yaml');
const SYRIA = join(ROOT, 'examples/southern-syria/arrangement.yaml');
const dir = mkdtempSync(join(tmpdir(), 'detente-zones-'));
after(() => rmSync(dir, { recursive: true, force: true }));

function detente(args: string[]): { code: number; out: string; err: string } {
  const r = spawnSync(process.execPath, ['bin/detente.js', ...args], { cwd: ROOT, encoding: 'utf8', maxBuffer: 1 << 28 });
  return { code: r.status ?? -1, out: r.stdout, err: r.stderr };
}

function written(arr: string, format: string): string {
  const out = join(dir, `${arr.split('/').at(-2)}-${format}.${format === 'cot' ? 'xml' : format}`);
  const r = detente(['zones', arr, '--format', format, '--out', out, '--time', '2025-12-27T10:00:00Z']);
  assert.equal(r.code, 0, r.err);
  return out;
}

function polygons(g: Geometry): MultiPolygonCoords {
  if (g.type === 'Polygon') return [g.coordinates as MultiPolygonCoords[number]];
  if (g.type === 'MultiPolygon') return g.coordinates as MultiPolygonCoords;
  throw new Error(`a zone read back as ${g.type}`);
}

/** Every zone read back has the area `detente validate` computes, to 0.1 %. */
function assertAreas(arrFile: string, read: Map<string, Geometry>): void {
  const arr = loadArrangement(arrFile);
  assert.deepEqual([...read.keys()].sort(), arr.zones.map((z) => z.id).sort());
  arr.zones.forEach((z, i) => {
    const ours = arr.zoneSet.areaKm2(i);
    const back = areaKm2(polygons(read.get(z.id)!));
    assert.ok(Math.abs(back / ours - 1) < 0.001, `${z.id}: read back ${back.toFixed(3)} km², computed ${ours.toFixed(3)} km²`);
  });
}

const skipOgr = !hasOgr && "GDAL's ogr2ogr (Debian gdal-bin) is not installed";

test('KML read back by GDAL keeps every zone with its holes, parts, names, styles per kind and computed area', { skip: skipOgr }, () => {
  const file = written(HOLES, 'kml');
  const zones = ogrRead(file, { layer: 'Zones' }).features;
  const byId = new Map(zones.map((f) => [f.properties.id as string, f]));
  assertAreas(HOLES, new Map(zones.map((f) => [f.properties.id as string, f.geometry])));
  assert.equal(byId.get('ring')!.properties.Name, 'Drawn ring');
  assert.match(byId.get('ring')!.properties.description as string, /^a drawn polygon with a hole\. drawn polygon; area 1,256 km²$/);
  // The drawn hole, and the hole another zone cuts (traced), are inner rings.
  assert.equal(polygons(byId.get('ring')!.geometry)[0].length, 2);
  assert.equal(polygons(byId.get('outer')!.geometry)[0].length, 2);
  assert.equal(polygons(byId.get('islands')!.geometry).length, 2);
  const styles = new Map(ogrRead(file, { sql: 'SELECT id, OGR_STYLE FROM Zones' }).features.map((f) => [f.properties.id, f.properties.OGR_STYLE]));
  assert.equal(styles.get('ring'), '@polygon');
  assert.equal(styles.get('ridge-band'), '@band');
  const lines = ogrRead(file, { layer: 'Lines' }).features;
  assert.equal(lines.length, 1);
  assert.equal(lines[0].properties.description, 'a line <with> markup & quotes " to escape');
  assert.deepEqual((lines[0].geometry as { coordinates: number[][] }).coordinates, [
    [35.0, 33.0],
    [35.1, 33.1],
    [35.2, 33.1],
  ]);
});

test('GeoJSON read back by GDAL matches the computed areas, holes kept', { skip: skipOgr }, () => {
  const file = written(HOLES, 'geojson');
  const features = ogrRead(file).features;
  // GDAL reads the feature's id as its id and drops the same-named property.
  const id = (f: (typeof features)[number]) => String(f.id ?? f.properties.id);
  const zones = features.filter((f) => f.properties.layer === 'zone');
  assertAreas(HOLES, new Map(zones.map((f) => [id(f), f.geometry])));
  assert.equal(polygons(zones.find((f) => id(f) === 'outer')!.geometry)[0].length, 2);
  assert.deepEqual(features.filter((f) => f.properties.layer === 'line').map(id), ['ridge']);
  // Our own reading of the file: RFC 7946 orientation, exterior counter-clockwise.
  const mine = JSON.parse(readFileSync(file, 'utf8'));
  const ring = mine.features.find((f: { id: string }) => f.id === 'ring').geometry.coordinates[0] as number[][];
  let s = 0;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) s += ring[j][0] * ring[i][1] - ring[i][0] * ring[j][1];
  assert.ok(s > 0);
});

test('the southern-Syria example as KML: every zone, read by GDAL, has its computed area to 0.1 %', { skip: skipOgr }, () => {
  const file = written(SYRIA, 'kml');
  const zones = ogrRead(file, { layer: 'Zones' }).features;
  assertAreas(SYRIA, new Map(zones.map((f) => [f.properties.id as string, f.geometry])));
  assert.equal(zones.find((f) => f.properties.id === 'aos')!.properties.Name, 'Area of Separation');
  assert.equal(ogrRead(file, { layer: 'Lines' }).features.length, 2);
});

test('CoT: every zone part, hole and line as a u-d-f shape that validates against the CoT schema', () => {
  const text = readFileSync(written(HOLES, 'cot'), 'utf8');
  const items = parseCot(text);
  assert.ok(items.every((i) => i.kind === 'event'));
  const uids = items.map((i) => (i.kind === 'event' ? i.event.uid : ''));
  // ring (1 + hole), core, outer (1 + hole), islands (2 parts), ridge-band, ridge line
  assert.equal(uids.length, 9, uids.join(' '));
  assert.ok(uids.includes('detente.holes.line.ridge.0'));
  assert.ok(items.every((i) => i.kind === 'event' && i.event.time === Date.parse('2025-12-27T10:00:00Z')));
  if (hasXmllint) assert.deepEqual(xsdErrors(text.trim().split('\n')), []);
});

test('bad arguments and a bad arrangement exit 2, saying why', () => {
  const noFormat = detente(['zones', HOLES]);
  assert.equal(noFormat.code, 2);
  assert.match(noFormat.err, /--format must be geojson, kml or cot/);
  const missing = detente(['zones', join(dir, 'nope.yaml'), '--format', 'kml']);
  assert.equal(missing.code, 2);
  assert.match(missing.err, /no such file/);
});
