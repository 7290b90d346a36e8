// The outline of a zone written in a draft (its `sections.zones` entry): a polygon as
// drawn, or a band traced from its line by the arrangement's own ZoneSet and outline
// tracer, the very code that draws the bands in force, so the band previewed is the band
// the server would monitor.
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

/**
 * The zone's geometry, or null when it cannot be drawn here (a band of a zone, a polygon
 * kept in a GeoJSON file, a line not found). `lines` are the draft's lines as written;
 * `known` the lines in force, by id, as the map has them.
 */
export function zoneGeometry(zone: Written, lines: unknown[], known: Map<string, Position[][]>): Geometry | null {
  const g = zone.geometry as { type?: string } | undefined;
  if (g && (g.type === 'Polygon' || g.type === 'MultiPolygon')) return g as Geometry;
  const band = zone.band as { of?: string; km?: [number, number]; side?: Side } | undefined;
  if (!band?.of || !Array.isArray(band.km) || !band.side) return null;
  const written = lines.find((l) => (l as Written)?.id === band.of) as Written | undefined;
  const paths = written ? pathsOf(written.geometry) : known.get(band.of);
  if (!paths || paths.some((p) => p.length < 2)) return null;
  const line: Line = { id: band.of, paths: paths.map((p) => p.map((q) => [q[0], q[1]])) };
  const z: Zone = { id: String(zone.id ?? 'draft'), shape: { kind: 'band', of: band.of, ofKind: 'line', km: band.km, side: band.side }, minus: [] };
  try {
    return zoneOutlines(new ZoneSet([z], [line]))[0].geometry as Geometry;
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
