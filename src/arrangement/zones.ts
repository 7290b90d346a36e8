// The arrangement's zones compiled for lookups: one region per zone (a drawn
// polygon, or a band along a line or a zone's edge) in a single index, then
// altitude ranges and `minus` applied in dependency order.
import { areaKm2 } from '../geo/area.ts';
import { bandRegion } from '../geo/band-region.ts';
import { polygonRegion } from '../geo/polygon-region.ts';
import type { BBox, Position, Region } from '../geo/types.ts';
import { EARTH_RADIUS_KM } from '../geo/sphere.ts';
import { RegionIndex } from '../geo/zone-index.ts';
import type { Line, Zone } from './types.ts';

export class ZoneSet {
  readonly zones: readonly Zone[];
  readonly byId: ReadonlyMap<string, number>;
  readonly regions: readonly Region[];
  private readonly index: RegionIndex;
  /** zone indexes such that every zone comes after the zones it subtracts */
  private readonly order: Int32Array;
  private readonly minus: Int32Array[];
  private readonly altLo: Float64Array;
  private readonly altHi: Float64Array;
  private readonly hits: Int32Array;
  private readonly base: Uint8Array;
  private areas?: number[];

  constructor(zones: readonly Zone[], lines: readonly Line[]) {
    this.zones = zones;
    this.byId = new Map(zones.map((z, i) => [z.id, i]));
    const lineById = new Map(lines.map((l) => [l.id, l]));
    this.regions = zones.map((z) => {
      if (z.shape.kind === 'polygon') return polygonRegion(z.shape.coordinates);
      const s = z.shape;
      let paths: Position[][];
      if (s.ofKind === 'line') paths = lineById.get(s.of)!.paths;
      else {
        const target = zones[this.byId.get(s.of)!].shape;
        // Validation guarantees a band follows a drawn zone; its edge is every ring.
        paths = target.kind === 'polygon' ? target.coordinates.flat() : [];
      }
      return bandRegion(paths, s.km[0], s.km[1], s.side);
    });
    this.index = new RegionIndex(this.regions as Region[]);
    this.minus = zones.map((z) => Int32Array.from(z.minus.map((m) => this.byId.get(m)!)));
    this.altLo = Float64Array.from(zones.map((z) => (z.altitude ? z.altitude[0] : -Infinity)));
    this.altHi = Float64Array.from(zones.map((z) => (z.altitude ? z.altitude[1] : Infinity)));
    const order: number[] = [];
    const seen = new Uint8Array(zones.length);
    const visit = (i: number) => {
      if (seen[i]) return;
      seen[i] = 1;
      for (const m of this.minus[i]) visit(m);
      order.push(i);
    };
    zones.forEach((_, i) => visit(i));
    this.order = Int32Array.from(order);
    this.hits = new Int32Array(zones.length);
    this.base = new Uint8Array(zones.length);
  }

  get size(): number {
    return this.zones.length;
  }

  /**
   * Sets inside[z] to 1 for every zone containing the point, 0 otherwise. A zone
   * with an altitude range contains only points that carry an altitude in it.
   */
  locate(lon: number, lat: number, alt: number | null, inside: Uint8Array): void {
    const base = this.base;
    base.fill(0);
    const n = this.index.query(lon, lat, this.hits);
    for (let k = 0; k < n; k++) base[this.hits[k]] = 1;
    const order = this.order;
    for (let k = 0; k < order.length; k++) {
      const z = order[k];
      let v = base[z];
      if (v && this.altLo[z] !== -Infinity) v = alt !== null && alt >= this.altLo[z] && alt <= this.altHi[z] ? 1 : 0;
      if (v) {
        const m = this.minus[z];
        for (let j = 0; j < m.length; j++) if (inside[m[j]]) v = 0;
      }
      inside[z] = v;
    }
  }

  /** The zone's area in km², computed, never stored in the arrangement. */
  areaKm2(z: number): number {
    this.areas ??= this.zones.map((_, i) => this.computeArea(i));
    return this.areas[z];
  }

  private computeArea(z: number): number {
    const zone = this.zones[z];
    if (zone.shape.kind === 'polygon' && zone.minus.length === 0) return areaKm2(zone.shape.coordinates);
    // Bands and zones with holes cut by others have no closed form here: integrate
    // over a fine grid of the bounding box (cell areas shrink with cos(latitude)).
    const region = this.regions[z];
    const [x0, y0, x1, y1]: BBox = region.bbox;
    const N = 600;
    const dx = (x1 - x0) / N;
    const dy = (y1 - y0) / N;
    const inside = new Uint8Array(this.zones.length);
    const kmPerDeg = (Math.PI / 180) * EARTH_RADIUS_KM;
    const rowCell = (j: number) => dx * kmPerDeg * Math.cos(((y0 + (j + 0.5) * dy) * Math.PI) / 180) * dy * kmPerDeg;
    const alt = Number.isFinite(this.altLo[z]) ? this.altLo[z] : null;
    const minus = this.minus[z];
    // The grid is walked in blocks. Where the regions say of a whole block that the zone
    // has no point in it, or every point and none of the zones it subtracts has one, every
    // sample in it would say so too: the block is counted without sampling. That is the
    // same sum the point-by-point walk makes, at a fraction of the cost (most of a band's
    // box is wholly in or out), which matters because the first page asks for the areas.
    const B = 20;
    let area = 0;
    for (let bj = 0; bj < N; bj += B) {
      const j1 = Math.min(N, bj + B);
      for (let bi = 0; bi < N; bi += B) {
        const i1 = Math.min(N, bi + B);
        const box: [number, number, number, number] = [x0 + bi * dx, y0 + bj * dy, x0 + i1 * dx, y0 + j1 * dy];
        const own = region.classify?.(...box) ?? 2;
        if (own === 0) continue;
        if (own === 1 && minus.every((m) => this.regions[m].classify?.(...box) === 0)) {
          for (let j = bj; j < j1; j++) area += rowCell(j) * (i1 - bi);
          continue;
        }
        for (let j = bj; j < j1; j++) {
          const lat = y0 + (j + 0.5) * dy;
          const cell = rowCell(j);
          for (let i = bi; i < i1; i++) {
            // Altitude does not change an area: take the zone's own range.
            this.locate(x0 + (i + 0.5) * dx, lat, alt, inside);
            if (inside[z]) area += cell;
          }
        }
      }
    }
    return area;
  }
}
