// Zones and lines as KML 2.2, as Google Earth and QGIS open it: one style per
// zone kind (drawn polygons, bands) and one for lines, each zone a Placemark with
// its name, description, id and computed area, polygons with their holes as
// innerBoundaryIs. The arrangement format gives one name per zone; a zone's name
// and note are written as the arrangement gives them.
import { escapeText } from '../cot/xml.ts';
import { decimal } from '../cot/write.ts';
import type { ArrangementFeatures, ZoneKind } from '../zone-features.ts';

/** KML colours are aabbggrr. */
function abgr(a: number, r: number, g: number, b: number): string {
  return [a, b, g, r].map((x) => x.toString(16).padStart(2, '0')).join('');
}

const STYLES: Record<ZoneKind | 'line', { line: string; width: number; fill?: string; label: string }> = {
  polygon: { line: abgr(255, 230, 120, 0), width: 2, fill: abgr(64, 230, 120, 0), label: 'drawn zone' },
  band: { line: abgr(255, 200, 180, 0), width: 2, fill: abgr(48, 200, 180, 0), label: 'band zone' },
  line: { line: abgr(255, 30, 100, 220), width: 3, label: 'line' },
};

function style(id: keyof typeof STYLES): string {
  const s = STYLES[id];
  const poly = s.fill ? `<PolyStyle><color>${s.fill}</color></PolyStyle>` : '';
  return `<Style id="${id}"><LineStyle><color>${s.line}</color><width>${s.width}</width></LineStyle>${poly}</Style>`;
}

function coords(ring: number[][]): string {
  return `<coordinates>${ring.map(([lon, lat]) => `${decimal(lon)},${decimal(lat)}`).join(' ')}</coordinates>`;
}

function polygon(rings: number[][][]): string {
  const [outer, ...holes] = rings;
  return `<Polygon><outerBoundaryIs><LinearRing>${coords(outer)}</LinearRing></outerBoundaryIs>${holes
    .map((h) => `<innerBoundaryIs><LinearRing>${coords(h)}</LinearRing></innerBoundaryIs>`)
    .join('')}</Polygon>`;
}

function data(fields: Record<string, string>): string {
  return `<ExtendedData>${Object.entries(fields)
    .map(([k, v]) => `<Data name="${k}"><value>${escapeText(v)}</value></Data>`)
    .join('')}</ExtendedData>`;
}

/** An XML id (xs:ID) for a Placemark: arrangement ids may hold any character, so others become _ (the real id is in ExtendedData), made unique by the feature's index when changed. */
function xmlId(prefix: string, id: string, i: number): string {
  const safe = id.replace(/[^A-Za-z0-9_.-]/g, '_');
  return safe === id ? `${prefix}-${id}` : `${prefix}-${i}-${safe}`;
}

function placemark(id: string, name: string, description: string, styleId: string, fields: Record<string, string>, geometry: string): string {
  return `<Placemark id="${escapeText(id)}"><name>${escapeText(name)}</name><description>${escapeText(description)}</description><styleUrl>#${styleId}</styleUrl>${data(fields)}${geometry}</Placemark>\n`;
}

export function featuresToKml(f: ArrangementFeatures): string {
  const zones = f.zones
    .map((z, i) => {
      const g = z.polygons.length === 1 ? polygon(z.polygons[0]) : `<MultiGeometry>${z.polygons.map(polygon).join('')}</MultiGeometry>`;
      const fields = { id: z.id, kind: z.kind, area_km2: z.areaKm2.toFixed(3), approximate: String(z.approximate), outline_exact: String(z.exact) };
      return placemark(xmlId('zone', z.id, i), z.name, z.description, z.kind, fields, g);
    })
    .join('');
  const lines = f.lines
    .map((l, i) => {
      const paths = l.paths.map((p) => `<LineString>${coords(p)}</LineString>`);
      const g = paths.length === 1 ? paths[0] : `<MultiGeometry>${paths.join('')}</MultiGeometry>`;
      return placemark(xmlId('line', l.id, i), l.name, l.description, 'line', { id: l.id, approximate: String(l.approximate) }, g);
    })
    .join('');
  return `<?xml version="1.0" encoding="UTF-8"?>
<kml xmlns="http://www.opengis.net/kml/2.2">
<Document>
<name>${escapeText(f.title)}</name>
<description>${escapeText(`Arrangement ${f.id}: zones (areas computed by Détente) and lines.`)}</description>
${style('polygon')}
${style('band')}
${style('line')}
<Folder><name>Zones</name>
${zones}</Folder>
<Folder><name>Lines</name>
${lines}</Folder>
</Document>
</kml>
`;
}
