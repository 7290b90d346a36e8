// Shared geometry types. Coordinates are WGS84 [lon, lat] in degrees (GeoJSON order).

export type Position = [number, number]; // [lon, lat]
/** A closed ring: the first position equals the last. */
export type Ring = Position[];
/** Outer ring followed by its holes. */
export type PolygonCoords = Ring[];
export type MultiPolygonCoords = PolygonCoords[];
/** minLon, minLat, maxLon, maxLat */
export type BBox = [number, number, number, number];
export type Side = 'east' | 'west' | 'north' | 'south' | 'left' | 'right' | 'both';

/** A set of points on the globe that can answer "is this point in you?". */
export interface Region {
  /** Every point the region contains lies inside this box. */
  readonly bbox: BBox;
  contains(lon: number, lat: number): boolean;
  /**
   * Optional, for indexes: 0 if no point of the box [minLon, maxLon] × [minLat, maxLat]
   * is in the region, 1 if every point is, 2 if unknown. Must never guess.
   */
  classify?(minLon: number, minLat: number, maxLon: number, maxLat: number): 0 | 1 | 2;
}
