// Places the map names (towns, peaks, landmarks): an optional section of the
// arrangement, `places: { file: places.geojson }` or an inline FeatureCollection of
// Points, each with an id, a name (a string or { en, ar, … }) and a kind. They bind
// nothing: no rule may refer to a place; they only let the map speak.
import { position } from './geojson.ts';
import { IssueList, type PathPart } from './issues.ts';
import { localizedText } from './localized-text.ts';
import { id, list, obj, str, type Obj } from './read.ts';
import type { GeoFileReader } from './geojson.ts';
import type { Position } from '../geo/types.ts';

export const PLACE_KINDS = ['city', 'town', 'village', 'peak', 'water', 'landmark'] as const;
export type PlaceKind = (typeof PLACE_KINDS)[number];

export interface Place {
  id: string;
  /** the plain name (English, else the first language written) */
  name: string;
  /** the name in every language written, when several were */
  names?: Readonly<Record<string, string>>;
  kind: PlaceKind;
  at: Position;
  /** where the position comes from, for people (an OSM node: "node/123") */
  source?: string;
}

function features(fc: unknown, path: PathPart[], out: IssueList): Place[] {
  const o = obj(fc, path, out, ['type', 'features'], ['name', 'attribution']);
  if (!o) return [];
  if (o.type !== 'FeatureCollection') out.add([...path, 'type'], 'expected "FeatureCollection"');
  const l = list(o.features, [...path, 'features'], out) ?? [];
  const seen = new Set<string>();
  const res: Place[] = [];
  l.forEach((f, i) => {
    const p = [...path, 'features', i];
    const before = out.issues.length;
    const fo = obj(f, p, out, ['type', 'properties', 'geometry'], ['id']);
    if (!fo) return;
    // Other properties (an OSM extract's tags) are the file's business: only these are read.
    const raw = fo.properties;
    const props = obj(raw, [...p, 'properties'], out, ['id', 'name', 'kind'], typeof raw === 'object' && raw !== null ? Object.keys(raw) : []);
    const g = obj(fo.geometry, [...p, 'geometry'], out, ['type', 'coordinates']);
    if (!props || !g) return;
    const pid = id(props.id, [...p, 'properties', 'id'], out);
    if (pid !== undefined && seen.has(pid)) out.add([...p, 'properties', 'id'], `place "${pid}" is given twice`);
    if (pid !== undefined) seen.add(pid);
    const name = localizedText(props.name, [...p, 'properties', 'name'], out);
    const kind = str(props.kind, [...p, 'properties', 'kind'], out);
    if (kind !== undefined && !(PLACE_KINDS as readonly string[]).includes(kind))
      out.add([...p, 'properties', 'kind'], `unknown kind "${kind}" (expected one of: ${PLACE_KINDS.join(', ')})`);
    const source = props.source === undefined ? undefined : str(props.source, [...p, 'properties', 'source'], out);
    if (g.type !== 'Point') out.add([...p, 'geometry', 'type'], `a place is a Point, found ${JSON.stringify(g.type)}`);
    const at = g.type === 'Point' ? position(g.coordinates, [...p, 'geometry', 'coordinates'], out) : undefined;
    if (out.issues.length !== before || pid === undefined || !name || !at) return;
    res.push({ id: pid, name: name.text, ...(name.all ? { names: name.all } : {}), kind: kind as PlaceKind, at, ...(source !== undefined ? { source } : {}) });
  });
  return res;
}

/** The `places` section: every problem goes to `out`, with the file and the path inside it. */
export function readPlaces(v: unknown, out: IssueList, readGeoFile: GeoFileReader): Place[] {
  const path: PathPart[] = ['places'];
  if (typeof v === 'object' && v !== null && !Array.isArray(v) && 'file' in v) {
    const ref = obj(v, path, out, ['file']);
    const file = ref && str((ref as Obj).file, [...path, 'file'], out);
    if (file === undefined) return [];
    const r = readGeoFile(file);
    if ('error' in r) {
      out.add([...path, 'file'], r.error);
      return [];
    }
    // Issues inside the file name the file, with paths from its root.
    const inFile = new IssueList(r.name);
    const res = features(r.json, [], inFile);
    out.issues.push(...inFile.issues);
    return res;
  }
  return features(v, path, out);
}
