// The outline of a zone written in a draft (its `sections.zones` entry): a polygon as
// drawn, or a band traced from its line, or from a drawn zone's edge, by the
// arrangement's own ZoneSet and outline tracer, the very code that draws the bands in
// force, so the band previewed is the band the server would monitor.
import type { Line, Zone } from '../../../src/arrangement/types.ts';
import { zoneOutlines } from '../../../src/arrangement/outline.ts';
import { ZoneSet } from '../../../src/arrangement/zones.ts';
import type { Side } from '../../../src/geo/types.ts';
import type { Geometry, Position } from 'geojson';

type Written = Record<string, unknown>;

function pathsOf(g: unknown): Position[][] | undefined {
  const x = g as { type?: string; coordinates?: unknown } | undefined;
  if (x?.type === 'LineString' && Array.isArray(x.coordinates)) return [x.coordinates as Position[]];
  if (x?.type === 'MultiLineString' && Array.isArray(x.coordinates)) return x.coordinates as Position[][];
  return undefined;
}

/** A polygon's or multipolygon's coordinates as a multipolygon's; undefined for anything else. */
function multiPolygonOf(g: unknown): Position[][][] | undefined {
  const x = g as { type?: string; coordinates?: unknown } | undefined;
  if (x?.type === 'Polygon' && Array.isArray(x.coordinates)) return [x.coordinates as Position[][]];
  if (x?.type === 'MultiPolygon' && Array.isArray(x.coordinates)) return x.coordinates as Position[][][];
  return undefined;
}

/**
 * The drawn zones (not bands) among zones as written, by id, their polygons read inline or
 * from the GeoJSON files named (`{ file, feature }`, the feature by id or properties.id):
 * the zones a band may follow the edge of.
 */
export function drawnZones(zones: unknown[], geoFiles: Record<string, unknown>): Map<string, Position[][][]> {
  const out = new Map<string, Position[][][]>();
  for (const z of zones) {
    const w = (z ?? {}) as Written;
    const g = w.geometry as { file?: unknown; feature?: unknown } | undefined;
    if (typeof w.id !== 'string' || !g) continue;
    let polygon = multiPolygonOf(g);
    if (!polygon && typeof g.file === 'string' && typeof g.feature === 'string') {
      const fc = geoFiles[g.file] as { type?: string; features?: Written[] } | undefined;
      const features = fc?.type === 'FeatureCollection' && Array.isArray(fc.features) ? fc.features : fc?.type === 'Feature' ? [fc as Written] : [];
      const f = features.find((x) => x?.id === g.feature || (x?.properties as Written | undefined)?.id === g.feature);
      polygon = multiPolygonOf(f?.geometry);
    }
    if (polygon) out.set(w.id, polygon);
  }
  return out;
}

// Tracing a band along a long zone edge takes a while: the last one traced is kept, so
// typing a zone's name or id does not trace it again.
let last: { key: string; target: unknown; geometry: Geometry | null } | undefined;

/**
 * The zone's geometry, or null when it cannot be drawn here (a polygon kept in a GeoJSON
 * file, a line or zone not found). `lines` are the draft's lines as written; `known` the
 * lines in force, by id, as the map has them; `polygons` the drawn zones a band may
 * follow the edge of (see drawnZones), by id.
 */
export function zoneGeometry(
  zone: Written,
  lines: unknown[],
  known: Map<string, Position[][]>,
  polygons: Map<string, Position[][][]> = new Map(),
): Geometry | null {
  const g = zone.geometry as { type?: string } | undefined;
  if (g && (g.type === 'Polygon' || g.type === 'MultiPolygon')) return g as Geometry;
  const band = zone.band as { of?: string; km?: [number, number]; side?: Side } | undefined;
  if (!band?.of || !Array.isArray(band.km) || !band.side) return null;
  const id = String(zone.id ?? 'draft');
  const written = lines.find((l) => (l as Written)?.id === band.of) as Written | undefined;
  const paths = written ? pathsOf(written.geometry) : known.get(band.of);
  if (paths) {
    if (paths.some((p) => p.length < 2)) return null;
    const line: Line = { id: band.of, paths: paths.map((p) => p.map((q) => [q[0], q[1]])) };
    const z: Zone = { id, shape: { kind: 'band', of: band.of, ofKind: 'line', km: band.km, side: band.side }, minus: [] };
    return traced([z], [line], 0);
  }
  const target = polygons.get(band.of);
  // A band cannot follow its own edge; the check says so, the map shows nothing.
  if (!target || band.of === id) return null;
  const key = JSON.stringify([band.of, band.km, band.side]);
  if (last?.key === key && last.target === target) return last.geometry;
  const edge: Zone = {
    id: band.of,
    shape: { kind: 'polygon', coordinates: target.map((poly) => poly.map((ring) => ring.map((q) => [q[0], q[1]]))) },
    minus: [],
  };
  const z: Zone = { id, shape: { kind: 'band', of: band.of, ofKind: 'zone', km: band.km, side: band.side }, minus: [] };
  const geometry = traced([edge, z], [], 1);
  last = { key, target, geometry };
  return geometry;
}

/** The outline of zones[i] among these zones and lines, as the map draws zones in force. */
function traced(zones: Zone[], lines: Line[], i: number): Geometry | null {
  try {
    const g = zoneOutlines(new ZoneSet(zones, lines))[i].geometry as Geometry;
    return (g as { coordinates?: unknown[] }).coordinates?.length ? g : null;
  } catch {
    return null;
  }
}

/** The [west, south, east, north] box of a polygon or multipolygon. */
export function shapeBox(g: Geometry): [number, number, number, number] {
  const pts: number[][] = [];
  const walk = (v: unknown): void => {
    if (!Array.isArray(v)) return;
    if (typeof v[0] === 'number') pts.push(v as number[]);
    else for (const x of v) walk(x);
  };
  walk((g as { coordinates?: unknown }).coordinates);
  const xs = pts.map((p) => p[0]);
  const ys = pts.map((p) => p[1]);
  return [Math.min(...xs), Math.min(...ys), Math.max(...xs), Math.max(...ys)];
}
