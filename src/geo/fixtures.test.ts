// Turf-style fixtures: testdata/in/*.geojson → testdata/out/*.geojson.
//
// An input is a FeatureCollection of
//   role "region"  a Polygon / MultiPolygon (or `source: file#index` of another file) → polygonRegion
//   role "band"    lines (LineString, MultiLineString, or a Polygon's rings) with `km: [min, max]`
//                  and `side` → bandRegion
//   role "point"   `expected: { <region or band id>: boolean }`
//   role "ring"    a Polygon whose outer ring goes to ringSelfIntersection, with `expected`
// The output is the same collection with each point's `result` (and its distance
// to each band's lines), each ring's `result`, and simplestyle colours, so it
// can be viewed on any GeoJSON map. Regenerate with UPDATE_FIXTURES=1.
import assert from 'node:assert/strict';
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { test } from 'node:test';
import { bandContainsReference, bandRegion } from './band-region.ts';
import { nearestOnPolylines } from './polyline.ts';
import { evenOddContains, polygonRegion } from './polygon-region.ts';
import { ringSelfIntersection } from './ring-check.ts';
import type { MultiPolygonCoords, Position, Region, Side } from './types.ts';

const dir = new URL('./testdata/', import.meta.url);
const update = process.env.UPDATE_FIXTURES === '1';

// Coordinates are read as the fixture's geometry type says; the type is checked at run time.
// biome-ignore lint/suspicious/noExplicitAny: GeoJSON coordinates nest by geometry type
type Geometry = { type: string; coordinates: any };

interface Feature {
  type: 'Feature';
  properties: Record<string, unknown>;
  geometry: Geometry | null;
}

function multiPolygon(g: Geometry): MultiPolygonCoords {
  if (g.type === 'Polygon') return [g.coordinates];
  if (g.type === 'MultiPolygon') return g.coordinates;
  throw new Error(`not a polygon: ${g.type}`);
}

function lines(g: Geometry): Position[][] {
  if (g.type === 'LineString') return [g.coordinates];
  if (g.type === 'MultiLineString' || g.type === 'Polygon') return g.coordinates;
  if (g.type === 'MultiPolygon') return g.coordinates.flat();
  throw new Error(`not lines: ${g.type}`);
}

const round = (x: number, d: number) => Math.round(x * 10 ** d) / 10 ** d;

/** JSON with one feature property per line and coordinate arrays kept on one line. */
function pretty(v: unknown): string {
  let s = JSON.stringify(v, null, 1);
  for (let k = 0; k < 4; k++)
    s = s.replace(/\[\s*((?:-?[\d.e+-]+|\[[^[\]]*\])(?:,\s*(?:-?[\d.e+-]+|\[[^[\]]*\]))*)\s*\]/g, (_m, inner: string) => '[' + inner.replace(/\s+/g, '') + ']');
  return s + '\n';
}

for (const name of readdirSync(new URL('in/', dir))
  .filter((f) => f.endsWith('.geojson'))
  .sort()) {
  test(`fixture ${name}`, () => {
    const input = JSON.parse(readFileSync(new URL(`in/${name}`, dir), 'utf8'));
    const feats: Feature[] = input.features;
    const regions = new Map<string, { region: Region; ref: (x: number, y: number) => boolean; lines?: Position[][] }>();
    for (const f of feats) {
      const p = f.properties;
      if (p.role === 'region') {
        let geom = f.geometry;
        if (p.source) {
          const [file, idx] = String(p.source).split('#');
          geom = JSON.parse(readFileSync(new URL(file, new URL(`in/${name}`, dir)), 'utf8')).features[Number(idx)].geometry;
        }
        const mp = multiPolygon(geom!);
        regions.set(p.id as string, { region: polygonRegion(mp), ref: (x, y) => evenOddContains(mp, x, y) });
      } else if (p.role === 'band') {
        const ls = lines(f.geometry!);
        const [lo, hi] = p.km as [number, number];
        const side = p.side as Side;
        regions.set(p.id as string, { region: bandRegion(ls, lo, hi, side), ref: (x, y) => bandContainsReference(ls, lo, hi, side, x, y), lines: ls });
      }
    }
    const out: Feature[] = [];
    for (const f of feats) {
      const p = { ...f.properties };
      if (p.role === 'point') {
        const [x, y] = f.geometry!.coordinates as Position;
        const result: Record<string, boolean> = {};
        const km: Record<string, number> = {};
        for (const [id, r] of regions) {
          result[id] = r.region.contains(x, y);
          assert.equal(result[id], r.ref(x, y), `${name}: "${p.name}" in ${id}: grid and plain reference disagree`);
          if (r.lines) km[id] = round(nearestOnPolylines(r.lines, x, y).km, 6);
        }
        for (const [id, want] of Object.entries(p.expected ?? {})) assert.equal(result[id], want, `${name}: "${p.name}" in ${id}`);
        p.result = result;
        if (Object.keys(km).length) p.km = km;
        p['marker-color'] = Object.values(result).some(Boolean) ? '#2a9d4b' : '#9a9a9a';
      } else if (p.role === 'ring') {
        p.result = ringSelfIntersection(f.geometry!.coordinates[0]);
        assert.deepEqual(p.result, p.expected, `${name}: ring "${p.name}"`);
        p.stroke = p.result === null ? '#2a9d4b' : '#d62828';
      }
      out.push({ type: 'Feature', properties: p, geometry: f.geometry });
    }
    const text = pretty({ type: 'FeatureCollection', description: input.description, features: out });
    const file = new URL(`out/${name}`, dir);
    if (update) writeFileSync(file, text);
    assert.deepEqual(JSON.parse(text), JSON.parse(readFileSync(file, 'utf8')), `${name}: output differs from testdata/out (UPDATE_FIXTURES=1 rewrites it)`);
  });
}
