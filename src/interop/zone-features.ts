// The arrangement's zones and lines as the field formats draw them (GeoJSON, KML,
// CoT): each zone's outline (a drawn polygon as written, a band or a zone with
// `minus` traced from the exact containment test, holes kept, the same outlines
// the server shows), its computed area, and the words people read.
import type { Arrangement } from '../arrangement/compile.ts';
import { zoneOutlines } from '../arrangement/outline.ts';
import type { OutlineOptions } from '../geo/outline.ts';
import type { Position } from '../geo/types.ts';

/**
 * Outlines finer than the server's map view: a file is measured in GIS tools, so
 * a traced outline must keep the computed area (within 0.1 %), which the map's
 * default simplification (a quarter cell) does not quite do for bands.
 */
export const EXPORT_OUTLINE: OutlineOptions = { maxCells: 1024, cellKm: 0.075, tolerance: 0.05 };

/** What a zone is, for styling: drawn as a polygon, or measured as a band from a line or a zone. */
export type ZoneKind = 'polygon' | 'band';

export interface ZoneOut {
  id: string;
  name: string;
  /** the zone's note, with how it is defined and its area: what a map pop-up shows */
  description: string;
  kind: ZoneKind;
  approximate: boolean;
  /** computed as `detente validate` computes it */
  areaKm2: number;
  /** true: the drawing itself; false: traced from the containment test */
  exact: boolean;
  /** polygons, each an exterior ring (counter-clockwise) then its holes (clockwise), [lon, lat] */
  polygons: number[][][][];
  altitude?: [number, number];
}

export interface LineOut {
  id: string;
  name: string;
  description: string;
  approximate: boolean;
  paths: Position[][];
}

export interface ArrangementFeatures {
  id: string;
  title: string;
  zones: ZoneOut[];
  lines: LineOut[];
}

function areaText(km2: number): string {
  return km2 < 10 ? `${km2.toFixed(2)} km²` : `${Math.round(km2).toLocaleString('en')} km²`;
}

export function arrangementFeatures(arr: Arrangement, outline: OutlineOptions = EXPORT_OUTLINE): ArrangementFeatures {
  const outlines = zoneOutlines(arr.zoneSet, outline);
  const zones = arr.zones.map((z, i): ZoneOut => {
    const s = z.shape;
    const g = outlines[i].geometry;
    const area = arr.zoneSet.areaKm2(i);
    const how =
      (s.kind === 'polygon' ? 'drawn polygon' : `band ${s.km[0]}–${s.km[1]} km ${s.side} of ${s.of}`) +
      (z.minus.length ? `, minus ${z.minus.join(', ')}` : '') +
      (z.altitude ? `, altitude ${z.altitude[0]}–${z.altitude[1]} m` : '');
    const description = [z.note, `${how}; area ${areaText(area)}${outlines[i].exact ? '' : ' (outline traced for display)'}`].filter(Boolean).join('. ');
    return {
      id: z.id,
      name: z.name ?? z.id,
      description,
      kind: s.kind,
      approximate: z.approximate ?? false,
      areaKm2: area,
      exact: outlines[i].exact,
      polygons: g.type === 'Polygon' ? [g.coordinates] : g.coordinates,
      ...(z.altitude ? { altitude: z.altitude } : {}),
    };
  });
  const lines = arr.lines.map(
    (l): LineOut => ({ id: l.id, name: l.name ?? l.id, description: l.note ?? '', approximate: l.approximate ?? false, paths: l.paths }),
  );
  return { id: arr.id, title: arr.title, zones, lines };
}
