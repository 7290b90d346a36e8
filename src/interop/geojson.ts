// Zones and lines as one RFC 7946 FeatureCollection, for QGIS and any GIS: the
// zones' outlines (holes kept, exterior rings counter-clockwise) with their
// names, descriptions and computed areas, then the lines.
import type { Feature, FeatureCollection, Geometry } from 'geojson';
import type { ArrangementFeatures } from './zone-features.ts';

export interface ZoneGeoProps {
  layer: 'zone';
  id: string;
  name: string;
  description: string;
  kind: 'polygon' | 'band';
  approximate: boolean;
  area_km2: number;
  /** false: the outline is traced from the exact containment test */
  outline_exact: boolean;
  altitude_m?: [number, number];
}

export interface LineGeoProps {
  layer: 'line';
  id: string;
  name: string;
  description: string;
  approximate: boolean;
}

export function featuresToGeoJson(f: ArrangementFeatures): FeatureCollection<Geometry, ZoneGeoProps | LineGeoProps> {
  const zones = f.zones.map(
    (z): Feature<Geometry, ZoneGeoProps> => ({
      type: 'Feature',
      id: z.id,
      properties: {
        layer: 'zone',
        id: z.id,
        name: z.name,
        description: z.description,
        kind: z.kind,
        approximate: z.approximate,
        area_km2: Math.round(z.areaKm2 * 1000) / 1000,
        outline_exact: z.exact,
        ...(z.altitude ? { altitude_m: z.altitude } : {}),
      },
      geometry: z.polygons.length === 1 ? { type: 'Polygon', coordinates: z.polygons[0] } : { type: 'MultiPolygon', coordinates: z.polygons },
    }),
  );
  const lines = f.lines.map(
    (l): Feature<Geometry, LineGeoProps> => ({
      type: 'Feature',
      id: l.id,
      properties: { layer: 'line', id: l.id, name: l.name, description: l.description, approximate: l.approximate },
      geometry: l.paths.length === 1 ? { type: 'LineString', coordinates: l.paths[0] } : { type: 'MultiLineString', coordinates: l.paths },
    }),
  );
  return { type: 'FeatureCollection', features: [...zones, ...lines] };
}
