// Zone membership for the reference: polygons, bands of a line or of a zone's
// edge, `minus`, `altitude_m`, straight from arrangement.md "Meaning".

import { geometryEdges, pointInBand, pointInGeometry, type Note, type Pos } from './geometry.ts';
import type { RefArrangement, RefZone } from './types.ts';

export class Zones {
  private readonly zones = new Map<string, RefZone>();
  private readonly lines = new Map<string, Pos[][]>();

  constructor(doc: RefArrangement) {
    for (const z of doc.zones) this.zones.set(z.id, z);
    for (const l of doc.lines ?? []) {
      this.lines.set(l.id, l.geometry.type === 'LineString' ? [l.geometry.coordinates] : l.geometry.coordinates);
    }
  }

  private zone(id: string): RefZone {
    const z = this.zones.get(id);
    if (!z) throw new Error(`reference: unknown zone ${id}`);
    return z;
  }

  /** The polylines a band is measured from: a line, or every ring of a polygon zone. */
  private bandBase(of: string): Pos[][] {
    const line = this.lines.get(of);
    if (line) return line;
    const z = this.zones.get(of);
    if (z?.geometry) return geometryEdges(z.geometry);
    throw new Error(`reference: band of ${of}, which is neither a line nor a polygon zone`);
  }

  /**
   * Whether a reported position (with its altitude, if any) is in the zone. A zone
   * with `altitude_m` holds only reports carrying an altitude within it, bounds
   * included. `minus` zones are subtracted with the same test, altitude included.
   */
  contains(zoneId: string, pos: Pos | undefined, altitude: number | undefined, note?: Note): boolean {
    const z = this.zone(zoneId);
    if (!pos) return false;
    if (z.altitude_m) {
      if (altitude === undefined || altitude < z.altitude_m[0] || altitude > z.altitude_m[1]) return false;
    }
    let inside: boolean;
    if (z.geometry) inside = pointInGeometry(pos, z.geometry, note);
    else if (z.band) inside = pointInBand(pos, this.bandBase(z.band.of), z.band.km, z.band.side, note);
    else throw new Error(`reference: zone ${zoneId} has neither geometry nor band`);
    if (!inside) return false;
    for (const m of z.minus ?? []) if (this.contains(m, pos, altitude, note)) return false;
    return true;
  }
}
