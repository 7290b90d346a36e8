// Geometry in an arrangement: inline GeoJSON or a reference `{ file, feature }`
// into a GeoJSON file beside the arrangement. Checked for what would make a
// zone mean something other than what its authors drew: open or short rings,
// self-intersections, coordinates out of range.
import type { MultiPolygonCoords, Position } from '../geo/types.ts';
import { ringSelfIntersection } from '../geo/ring-check.ts';
import type { IssueList, PathPart } from './issues.ts';
import { list, obj, str, type Obj } from './read.ts';

/** Reads a GeoJSON file named in the arrangement; returns its parsed JSON or an error message. */
export type GeoFileReader = (file: string) => { json: unknown; name: string } | { error: string; name: string };

export function position(v: unknown, path: PathPart[], out: IssueList, file?: string): Position | undefined {
  if (!Array.isArray(v) || v.length < 2 || v.length > 3) {
    out.add(path, 'expected a position [longitude, latitude]', file);
    return undefined;
  }
  const [lon, lat] = v;
  if (typeof lon !== 'number' || typeof lat !== 'number' || Number.isNaN(lon) || Number.isNaN(lat)) {
    out.add(path, `coordinates must be numbers, found ${JSON.stringify(v)}${Number.isNaN(lon) || Number.isNaN(lat) ? ' (NaN)' : ''}`, file);
    return undefined;
  }
  if (!(lon >= -180 && lon <= 180)) {
    out.add([...path, 0], `longitude ${lon} is out of range [-180, 180]`, file);
    return undefined;
  }
  if (!(lat >= -90 && lat <= 90)) {
    out.add([...path, 1], `latitude ${lat} is out of range [-90, 90]`, file);
    return undefined;
  }
  return [lon, lat];
}

function positions(v: unknown, path: PathPart[], out: IssueList, file?: string): Position[] | undefined {
  const l = list(v, path, out);
  if (!l) return undefined;
  const res: Position[] = [];
  let ok = true;
  l.forEach((p, i) => {
    const q = position(p, [...path, i], out, file);
    if (q) res.push(q);
    else ok = false;
  });
  return ok ? res : undefined;
}

function ring(v: unknown, path: PathPart[], out: IssueList, file?: string): Position[] | undefined {
  const r = positions(v, path, out, file);
  if (!r) return undefined;
  if (r.length < 4) {
    out.add(path, `a ring needs at least four positions, found ${r.length}`, file);
    return undefined;
  }
  const a = r[0];
  const b = r[r.length - 1];
  if (a[0] !== b[0] || a[1] !== b[1]) {
    out.add(path, `ring is not closed: it starts at [${a}] and ends at [${b}]`, file);
    return undefined;
  }
  const x = ringSelfIntersection(r);
  if (x) {
    out.add(path, `ring intersects itself: segment ${x.i} (from [${r[x.i]}]) crosses segment ${x.j} (from [${r[x.j]}])`, file);
    return undefined;
  }
  return r;
}

function polygon(v: unknown, path: PathPart[], out: IssueList, file?: string): Position[][] | undefined {
  const l = list(v, path, out);
  if (!l) return undefined;
  if (l.length === 0) {
    out.add(path, 'a polygon needs at least one ring', file);
    return undefined;
  }
  const rings = l.map((r, i) => ring(r, [...path, i], out, file));
  return rings.every((r) => r !== undefined) ? (rings as Position[][]) : undefined;
}

/** An inline GeoJSON geometry object of an accepted type. */
function geometryObject(v: unknown, path: PathPart[], out: IssueList, want: 'area' | 'line', file?: string): MultiPolygonCoords | Position[][] | undefined {
  const o = v as Obj;
  const types = want === 'area' ? ['Polygon', 'MultiPolygon'] : ['LineString', 'MultiLineString'];
  if (typeof o.type !== 'string' || !types.includes(o.type)) {
    out.add([...path, 'type'], `expected geometry type ${types.join(' or ')}, found ${JSON.stringify(o.type)}`, file);
    return undefined;
  }
  const c = [...path, 'coordinates'];
  switch (o.type) {
    case 'Polygon': {
      const p = polygon(o.coordinates, c, out, file);
      return p && [p];
    }
    case 'MultiPolygon': {
      const l = list(o.coordinates, c, out);
      if (!l) return undefined;
      if (l.length === 0) out.add(c, 'a MultiPolygon needs at least one polygon', file);
      const ps = l.map((p, i) => polygon(p, [...c, i], out, file));
      return ps.every((p) => p !== undefined) && l.length ? (ps as MultiPolygonCoords) : undefined;
    }
    case 'LineString': {
      const p = positions(o.coordinates, c, out, file);
      if (p && p.length < 2) out.add(c, 'a line needs at least two positions', file);
      return p && p.length >= 2 ? [p] : undefined;
    }
    default: {
      const l = list(o.coordinates, c, out);
      if (!l) return undefined;
      const ps = l.map((p, i) => {
        const q = positions(p, [...c, i], out, file);
        if (q && q.length < 2) out.add([...c, i], 'a line needs at least two positions', file);
        return q && q.length >= 2 ? q : undefined;
      });
      return ps.every((p) => p !== undefined) && l.length ? (ps as Position[][]) : undefined;
    }
  }
}

function findFeature(json: unknown, feature: string): { geometry: unknown; path: PathPart[] } | undefined {
  const fc = json as Obj;
  const features = fc && fc.type === 'FeatureCollection' && Array.isArray(fc.features) ? (fc.features as Obj[]) : fc && fc.type === 'Feature' ? [fc] : [];
  for (let i = 0; i < features.length; i++) {
    const f = features[i];
    if (!f || typeof f !== 'object') continue;
    const props = (f.properties ?? {}) as Obj;
    if (f.id === feature || props.id === feature) return { geometry: f.geometry, path: fc.type === 'Feature' ? ['geometry'] : ['features', i, 'geometry'] };
  }
  return undefined;
}

/**
 * A zone's area (`want: 'area'`) or a line's paths (`want: 'line'`), inline or
 * from a file. Issues in a referenced file name that file and the path inside it.
 */
export function readGeometry(
  v: unknown,
  path: PathPart[],
  out: IssueList,
  want: 'area' | 'line',
  readGeoFile: GeoFileReader,
): MultiPolygonCoords | Position[][] | undefined {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) {
    out.add(path, v === undefined ? 'missing' : 'expected a GeoJSON geometry or { file, feature }');
    return undefined;
  }
  const o = v as Obj;
  if ('file' in o || 'feature' in o) {
    const ref = obj(v, path, out, ['file', 'feature']);
    const file = ref && str(ref.file, [...path, 'file'], out);
    const feature = ref && str(ref.feature, [...path, 'feature'], out);
    if (file === undefined || feature === undefined) return undefined;
    const r = readGeoFile(file);
    if ('error' in r) {
      out.add([...path, 'file'], r.error);
      return undefined;
    }
    const found = findFeature(r.json, feature);
    if (!found) {
      out.add([...path, 'feature'], `no feature with id or properties.id "${feature}" in ${r.name}`);
      return undefined;
    }
    if (typeof found.geometry !== 'object' || found.geometry === null) {
      out.add(found.path, 'feature has no geometry', r.name);
      return undefined;
    }
    return geometryObject(found.geometry, found.path, out, want, r.name);
  }
  const g = obj(v, path, out, ['type', 'coordinates']);
  return g && geometryObject(g, path, out, want);
}
