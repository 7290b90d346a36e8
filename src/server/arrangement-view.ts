// The arrangement in force as clients read it: what the file says (rules as written,
// durations and times unparsed), lines and zones as GeoJSON with each zone's derived
// outline and computed area, and the rules an announced text brought into force.
import type { DisclosurePolicy } from '../policy/disclosure.ts';
import type { Feature, FeatureCollection, LineString, MultiLineString, MultiPolygon, Point, Polygon } from 'geojson';
import type { Arrangement } from '../arrangement/compile.ts';
import type { ArrangementSource } from '../arrangement/load.ts';
import { formatTime } from '../arrangement/time.ts';
import { asWritten, type LocalizedText } from '../arrangement/localized-text.ts';
import type { PlaceKind } from '../arrangement/places.ts';
import type { Actor, Asset, Witnesses } from '../arrangement/types.ts';
import type { Side } from '../geo/types.ts';
import { zoneGeometriesNow } from './zone-geometry.ts';

export interface ZoneProps {
  id: string;
  /** a string, or { en, ar, … } when the file gives the name in several languages */
  name: LocalizedText;
  note?: LocalizedText;
  approximate: boolean;
  /** 'band': measured at a distance from a line or zone; 'polygon': drawn */
  shape: 'band' | 'polygon';
  band?: { of: string; km: [number, number]; side: Side };
  minus: string[];
  altitude_m?: [number, number];
  area_km2: number;
  /** false: the outline is traced from the exact containment test, for drawing only */
  outline_exact: boolean;
}

export interface LineProps {
  id: string;
  name: LocalizedText;
  note?: LocalizedText;
  approximate: boolean;
}

/** A rule as written in the arrangement file, with `from_text` when an announced clause brought it in. */
export interface RuleView {
  id: string;
  kind: string;
  text?: string;
  cite?: string;
  from_text?: { clause: string; draft: number };
  [field: string]: unknown;
}

export type ZoneFeature = Feature<Polygon | MultiPolygon, ZoneProps>;

export interface PlaceProps {
  id: string;
  name: LocalizedText;
  kind: PlaceKind;
}

/** GET /api/arrangements/{id} */
export interface ArrangementView {
  id: string;
  title: LocalizedText;
  venue?: LocalizedText;
  announce_by?: string;
  /** the witnesses whose cosignatures a client demands, and how many (spec/witness.md) */
  witnesses?: Witnesses;
  /** who reads which monitoring content, in full (defaults filled in): a client knows what it will not be shown */
  disclosure: DisclosurePolicy;
  /** guarantors who may read the mediator's bench beside the mediator, when the arrangement names any (the names only; the bench is at …/talks/bench) */
  bench?: string[];
  /** each with `name` (plain) and, when the file gives several languages, `names` */
  actors: Actor[];
  assets: Asset[];
  lines: FeatureCollection<LineString | MultiLineString, LineProps>;
  zones: FeatureCollection<Polygon | MultiPolygon, ZoneProps>;
  rules: RuleView[];
  /** the places the map names (towns, peaks, landmarks), when the arrangement gives any */
  places?: FeatureCollection<Point, PlaceProps>;
}

const cache = new WeakMap<Arrangement, ArrangementView>();

/**
 * The zones' outlines and areas are those zone-geometry.ts traced for these zones (a start
 * has them traced on a worker; the route awaits that), else they are traced here, on this thread.
 */
export function arrangementView(inForce: Arrangement, source: ArrangementSource, added: { clause: string; draft: number; rule: unknown }[]): ArrangementView {
  const hit = cache.get(inForce);
  if (hit) return hit;
  const outlines = zoneGeometriesNow(inForce, inForce.zoneSet);
  const written = (source.value as { rules?: unknown[] }).rules ?? [];
  const view: ArrangementView = {
    id: inForce.id,
    title: asWritten(inForce.title, inForce.titles),
    ...(inForce.venue ? { venue: asWritten(inForce.venue, inForce.venues) } : {}),
    ...(inForce.announceBy !== undefined ? { announce_by: formatTime(inForce.announceBy) } : {}),
    ...(inForce.witnesses ? { witnesses: inForce.witnesses } : {}),
    disclosure: inForce.policy,
    ...(inForce.bench ? { bench: inForce.bench } : {}),
    actors: inForce.actors,
    assets: inForce.assets,
    lines: {
      type: 'FeatureCollection',
      features: inForce.lines.map((l) => ({
        type: 'Feature',
        id: l.id,
        properties: {
          id: l.id,
          name: asWritten(l.name ?? l.id, l.names),
          ...(l.note ? { note: asWritten(l.note, l.notes) } : {}),
          approximate: l.approximate ?? false,
        },
        geometry: l.paths.length === 1 ? { type: 'LineString', coordinates: l.paths[0] } : { type: 'MultiLineString', coordinates: l.paths },
      })),
    },
    zones: {
      type: 'FeatureCollection',
      features: inForce.zones.map((z) => {
        const o = outlines.get(z.id)!;
        const s = z.shape;
        return {
          type: 'Feature',
          id: z.id,
          properties: {
            id: z.id,
            name: asWritten(z.name ?? z.id, z.names),
            ...(z.note ? { note: asWritten(z.note, z.notes) } : {}),
            approximate: z.approximate ?? false,
            shape: s.kind,
            ...(s.kind === 'band' ? { band: { of: s.of, km: s.km, side: s.side } } : {}),
            minus: z.minus,
            ...(z.altitude ? { altitude_m: z.altitude } : {}),
            area_km2: o.area_km2,
            // false: the outline is traced from the exact containment test, for drawing only
            outline_exact: o.exact,
          },
          geometry: o.geometry,
        };
      }),
    },
    // Rules were checked by the loader (or the talks' rule check) before they got here.
    rules: [...(written as RuleView[]), ...added.map((a) => ({ ...(a.rule as RuleView), from_text: { clause: a.clause, draft: a.draft } }))],
    ...(inForce.places
      ? {
          places: {
            type: 'FeatureCollection' as const,
            features: inForce.places.map((p) => ({
              type: 'Feature' as const,
              id: p.id,
              properties: { id: p.id, name: asWritten(p.name, p.names), kind: p.kind },
              geometry: { type: 'Point' as const, coordinates: p.at },
            })),
          },
        }
      : {}),
  };
  cache.set(inForce, view);
  return view;
}
