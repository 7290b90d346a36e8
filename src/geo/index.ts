// Domain-free geometry: regions (polygons, bands), which regions hold a point,
// distances on the sphere, closest approach of movers. See README.md.
export type { BBox, MultiPolygonCoords, PolygonCoords, Position, Region, Ring, Side } from './types.ts';
export { EARTH_RADIUS_KM, bearingDeg, destination, distanceKm } from './sphere.ts';
export { onSegment, orient, segmentsIntersect } from './predicates.ts';
export { LineSet, nearestInSet, nearestOnPolylines, prepareLines, type Nearest } from './polyline.ts';
export { areaKm2, ringAreaKm2 } from './area.ts';
export { ringSelfIntersection } from './ring-check.ts';
export { PolygonRegion, evenOddContains, polygonEdges, polygonRegion, type PolygonRegionOptions } from './polygon-region.ts';
export { BandRegion, bandContainsInSet, bandContainsReference, bandRegion, type BandRegionOptions } from './band-region.ts';
export { RegionIndex, type RegionIndexOptions } from './zone-index.ts';
export { EXTENT, ROUNDING_M, positionAt, reachMargins, sweptExtent, track, type Mover, type Track } from './motion.ts';
export { PairMotion, approachIn, clip, conflict, conflictInterval, pairConflict, type Approach } from './cpa.ts';
export { MoverGrid, type MoverGridOptions, type MoverId } from './separation.ts';
