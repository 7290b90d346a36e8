// Country outlines from Natural Earth (the world-atlas package), cut per country at build
// time (web/build/land.ts) and served with the page: no tiles, nothing fetched from
// elsewhere. Only countries near the arrangement are loaded, at 10m detail where the
// arrangement is and 50m in the ring around it, so the page fetches a few kilobytes of
// land, not the world, and the map's worker tiles a few shapes.
import type { Feature, FeatureCollection, Geometry, MultiLineString, Position } from 'geojson';
import { feature } from 'topojson-client';
import { type CountryPart, countries as index } from 'virtual:detente-land';

export type BBox = [west: number, south: number, east: number, north: number];

export interface Countries {
  land: FeatureCollection;
  borders: FeatureCollection;
  /** where to put each nearby country's name (an HTML label, not map text: no fonts are fetched) */
  labels: { name: string; id?: string; at: [number, number] }[];
}

function positionsOf(g: Geometry): Position[] {
  switch (g.type) {
    case 'Point':
      return [g.coordinates];
    case 'MultiPoint':
    case 'LineString':
      return g.coordinates;
    case 'MultiLineString':
    case 'Polygon':
      return g.coordinates.flat();
    case 'MultiPolygon':
      return g.coordinates.flat(2);
    case 'GeometryCollection':
      return g.geometries.flatMap(positionsOf);
  }
}

export function bboxOf(positions: Iterable<Position>): BBox {
  let w = Infinity,
    s = Infinity,
    e = -Infinity,
    n = -Infinity;
  for (const [x, y] of positions) {
    if (x < w) w = x;
    if (x > e) e = x;
    if (y < s) s = y;
    if (y > n) n = y;
  }
  return [w, s, e, n];
}

export function geometryBBox(g: Geometry): BBox {
  return bboxOf(positionsOf(g));
}

const intersects = (a: BBox, b: BBox) => a[0] <= b[2] && b[0] <= a[2] && a[1] <= b[3] && b[1] <= a[3];
const grow = (b: BBox, d: number): BBox => [b[0] - d, b[1] - d, b[2] + d, b[3] + d];

/** Planar area and centroid of a ring (enough to place a label). */
function ringCentroid(ring: Position[]): { area: number; at: [number, number] } {
  let a = 0,
    cx = 0,
    cy = 0;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const f = ring[j][0] * ring[i][1] - ring[i][0] * ring[j][1];
    a += f;
    cx += (ring[j][0] + ring[i][0]) * f;
    cy += (ring[j][1] + ring[i][1]) * f;
  }
  if (a === 0) return { area: 0, at: [ring[0][0], ring[0][1]] };
  return { area: Math.abs(a / 2), at: [cx / (3 * a), cy / (3 * a)] };
}

function labelPoint(g: Geometry): [number, number] | undefined {
  const polys = g.type === 'Polygon' ? [g.coordinates] : g.type === 'MultiPolygon' ? g.coordinates : [];
  let best: { area: number; at: [number, number] } | undefined;
  for (const p of polys) {
    const c = ringCentroid(p[0]);
    if (!best || c.area > best.area) best = c;
  }
  return best?.at;
}

function decode(topo: CountryPart): { outline: Geometry; borders: Position[][] } {
  const outline = (feature(topo, topo.objects.outline) as Feature<Geometry>).geometry;
  const borders = (feature(topo, topo.objects.borders) as Feature<MultiLineString>).geometry.coordinates;
  return { outline, borders };
}

/**
 * Countries within `margin` degrees of `around` (10m detail within `detailMargin`, 50m
 * beyond); names labelled when within `labelMargin`.
 */
export async function loadCountries(around: BBox, margin = 12, labelMargin = 1.5, detailMargin = 2): Promise<Countries> {
  const region = grow(around, margin);
  const detailRegion = grow(around, detailMargin);
  const picked = index.flatMap((c) => {
    if (!intersects(c.bbox, region)) return [];
    const load = (intersects(c.bbox, detailRegion) ? (c.load['10m'] ?? c.load['50m']) : (c.load['50m'] ?? c.load['10m']))!;
    return [{ c, part: load() }];
  });
  const parts = await Promise.all(picked.map(async ({ c, part }) => ({ c, part: decode(await part) })));
  const near: Feature<Geometry, { name: string }>[] = parts.map(({ c, part }) => ({
    type: 'Feature',
    ...(c.id !== undefined ? { id: c.id } : {}),
    properties: { name: c.name },
    geometry: part.outline,
  }));
  const labelRegion = grow(around, labelMargin);
  const labels = near.flatMap((f) => {
    const at = labelPoint(f.geometry);
    return at && intersects([at[0], at[1], at[0], at[1]], labelRegion)
      ? [{ name: f.properties.name, ...(f.id !== undefined ? { id: String(f.id) } : {}), at }]
      : [];
  });
  // Borders between two countries, from each side (drawn twice where both sides are
  // loaded, which looks the same); coasts show as the land's edge.
  const lines = parts.flatMap(({ part }) => part.borders).filter((l) => intersects(bboxOf(l), region));
  return {
    land: { type: 'FeatureCollection', features: near },
    borders: { type: 'FeatureCollection', features: [{ type: 'Feature', properties: {}, geometry: { type: 'MultiLineString', coordinates: lines } }] },
    labels,
  };
}
