// Zones and lines as CoT drawing shapes, as ATAK draws them: type u-d-f with one
// <link point="lat,lon"/> per vertex, a closed shape repeating its first vertex.
// A CoT shape has no holes, so a zone is one shape per polygon part, and each hole
// is a shape of its own, unfilled and named as a hole of its zone.
import type { ArrangementFeatures, ZoneKind } from '../zone-features.ts';
import { type CotEvent, UNKNOWN, type XmlElement } from './event.ts';
import { decimal, el } from './write.ts';

export interface ShapeOptions {
  /** when the shapes are sent (ms since the epoch) */
  time: number;
  /** how long a TAK client keeps them (default 30 days: an arrangement changes rarely) */
  staleMs?: number;
}

/** ATAK colours are signed 32-bit ARGB integers. */
function argb(a: number, r: number, g: number, b: number): string {
  return String((a << 24) | (r << 16) | (g << 8) | b | 0);
}

const STYLE: Record<ZoneKind | 'hole' | 'line', { stroke: string; fill: string | null }> = {
  polygon: { stroke: argb(255, 230, 120, 0), fill: argb(64, 230, 120, 0) },
  band: { stroke: argb(255, 200, 180, 0), fill: argb(48, 200, 180, 0) },
  hole: { stroke: argb(255, 255, 255, 255), fill: null },
  line: { stroke: argb(255, 30, 100, 220), fill: null },
};

function shape(uid: string, name: string, remarks: string, ring: number[][], style: keyof typeof STYLE, o: ShapeOptions): CotEvent {
  let x0 = Infinity;
  let y0 = Infinity;
  let x1 = -Infinity;
  let y1 = -Infinity;
  for (const [x, y] of ring) {
    if (x < x0) x0 = x;
    if (x > x1) x1 = x;
    if (y < y0) y0 = y;
    if (y > y1) y1 = y;
  }
  const s = STYLE[style];
  const detail: XmlElement[] = [
    el('contact', { callsign: name }),
    ...ring.map(([lon, lat]) => el('link', { point: `${decimal(lat)},${decimal(lon)}` })),
    el('strokeColor', { value: s.stroke }),
    el('strokeWeight', { value: '3.0' }),
    ...(s.fill !== null ? [el('fillColor', { value: s.fill })] : []),
    el('labels_on', { value: 'true' }),
    el('remarks', {}, [], remarks),
  ];
  return {
    version: '2.0',
    uid,
    type: 'u-d-f',
    how: 'h-e',
    time: o.time,
    start: o.time,
    stale: o.time + (o.staleMs ?? 30 * 86_400_000),
    point: { lat: (y0 + y1) / 2, lon: (x0 + x1) / 2, hae: UNKNOWN, ce: UNKNOWN, le: UNKNOWN },
    detail,
  };
}

/** Every zone (its parts and holes) and every line as u-d-f shapes, uids `detente.ARRANGEMENT.zone.ID.PART[.hole.H]` and `…line.ID.PATH`. */
export function zonesToCot(f: ArrangementFeatures, o: ShapeOptions): CotEvent[] {
  const out: CotEvent[] = [];
  for (const z of f.zones) {
    const multi = z.polygons.length > 1;
    z.polygons.forEach((poly, k) => {
      const base = `detente.${f.id}.zone.${z.id}.${k}`;
      const name = multi ? `${z.name} (${k + 1}/${z.polygons.length})` : z.name;
      out.push(shape(base, name, z.description, poly[0], z.kind, o));
      for (let h = 1; h < poly.length; h++) out.push(shape(`${base}.hole.${h}`, `${z.name}: hole ${h}`, `Not part of ${z.name}.`, poly[h], 'hole', o));
    });
  }
  for (const l of f.lines)
    l.paths.forEach((path, k) =>
      out.push(shape(`detente.${f.id}.line.${l.id}.${k}`, l.paths.length > 1 ? `${l.name} (${k + 1})` : l.name, l.description, path, 'line', o)),
    );
  return out;
}
