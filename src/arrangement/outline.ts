// Zone outlines as GeoJSON geometries, for maps. A drawn polygon that nothing
// is subtracted from is its own outline. Every other zone (bands, zones with
// `minus`) has no closed form here, so its outline is traced from ZoneSet.locate,
// the same exact test the monitor uses, over the zone's box (see geo/outline.ts).

import { outlineGrid, outlineSamples, type OutlineOptions } from '../geo/outline.ts';
import type { MultiPolygonCoords } from '../geo/types.ts';
import type { ZoneSet } from './zones.ts';

export type OutlineGeometry = { type: 'MultiPolygon'; coordinates: number[][][][] } | { type: 'Polygon'; coordinates: number[][][] };

export interface ZoneOutline {
  id: string;
  geometry: OutlineGeometry;
  /** true when the geometry is the zone's own drawing, false when traced */
  exact: boolean;
}

const cache = new WeakMap<ZoneSet, ZoneOutline[]>();

/**
 * One outline per zone, in zone order: exterior rings counter-clockwise, holes
 * clockwise (RFC 7946). A zone with an altitude range is outlined by its
 * horizontal extent. Computed once per ZoneSet; the result is shared, so
 * callers must not modify it.
 */
export function zoneOutlines(zoneSet: ZoneSet, opts?: OutlineOptions): ZoneOutline[] {
  if (opts) return compute(zoneSet, opts);
  let out = cache.get(zoneSet);
  if (!out) {
    out = compute(zoneSet, {});
    cache.set(zoneSet, out);
  }
  return out;
}

function compute(zoneSet: ZoneSet, opts: OutlineOptions): ZoneOutline[] {
  const out: ZoneOutline[] = zoneSet.zones.map((zone) => ({ id: zone.id, geometry: { type: 'MultiPolygon', coordinates: [] }, exact: false }));
  // Zones traced over the same box at the same altitude (bands of one line at
  // different depths often are) share their samples: one locate answers all.
  const groups = new Map<string, number[]>();
  zoneSet.zones.forEach((zone, z) => {
    if (zone.shape.kind === 'polygon' && zone.minus.length === 0) {
      out[z] = { id: zone.id, geometry: geometry(rewound(zone.shape.coordinates)), exact: true };
      return;
    }
    const key = `${zoneSet.regions[z].bbox.join(',')}|${altitudeOf(zoneSet, z)}`;
    const g = groups.get(key);
    if (g) g.push(z);
    else groups.set(key, [z]);
  });
  const inside = new Uint8Array(zoneSet.size);
  for (const zs of groups.values()) {
    const bbox = zoneSet.regions[zs[0]].bbox;
    const alt = altitudeOf(zoneSet, zs[0]);
    const [bx0, by0, bx1, by1] = bbox;
    if (!(Number.isFinite(bx0) && Number.isFinite(by0) && bx1 > bx0 && by1 > by0)) continue;
    const grid = outlineGrid(bbox, opts);
    const { nx, ny, x0, y0, dx, dy } = grid;
    const samples = zs.map(() => new Uint8Array(nx * ny));
    for (let j = 0; j < ny; j++) {
      const y = y0 + (j + 0.5) * dy;
      for (let i = 0; i < nx; i++) {
        zoneSet.locate(x0 + (i + 0.5) * dx, y, alt, inside);
        for (let k = 0; k < zs.length; k++) samples[k][j * nx + i] = inside[zs[k]];
      }
    }
    zs.forEach((z, k) => {
      const contains = (lon: number, lat: number): boolean => {
        zoneSet.locate(lon, lat, alt, inside);
        return inside[z] === 1;
      };
      out[z] = { id: out[z].id, geometry: geometry(outlineSamples(samples[k], grid, contains, opts)), exact: false };
    });
  }
  return out;
}

/** The altitude a zone is traced at: its own lower limit, so a range does not empty it (as ZoneSet.areaKm2 does). */
function altitudeOf(zoneSet: ZoneSet, z: number): number | null {
  const range = zoneSet.zones[z].altitude;
  return range ? range[0] : null;
}

function geometry(polygons: number[][][][]): OutlineGeometry {
  return polygons.length === 1 ? { type: 'Polygon', coordinates: polygons[0] } : { type: 'MultiPolygon', coordinates: polygons };
}

/**
 * A copy with the same positions, each polygon's first ring counter-clockwise
 * and the others clockwise (planar lon/lat). The point set is unchanged: the
 * even-odd rule ignores orientation.
 */
function rewound(mp: MultiPolygonCoords): number[][][][] {
  return mp.map((poly) =>
    poly.map((ring, k) => {
      const copy = ring.map(([lon, lat]) => [lon, lat]);
      const ccw = signedArea(copy) > 0;
      if (ccw !== (k === 0)) copy.reverse();
      return copy;
    }),
  );
}

function signedArea(ring: number[][]): number {
  let a = 0;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) a += ring[j][0] * ring[i][1] - ring[i][0] * ring[j][1];
  return a;
}
