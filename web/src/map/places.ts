// The names the map shows, as label candidates: the arrangement's places (towns,
// peaks, water), its lines and its zones, each in the reader's language, with where it
// goes on the map and how much it matters when labels collide.
import type { ArrangementView } from '../api/types.ts';
import { localized } from '../i18n/localized.ts';
import { lineAnchor, zoneAnchor } from './labels-anchor.ts';
import { type ZoneKind, zoneKind } from './style.ts';

/** Which switch of the layer switcher a label follows. */
export type LabelGroup = 'places' | 'lines' | `zones-${ZoneKind}`;

export interface LabelCandidate {
  id: string;
  text: string;
  at: [number, number];
  /** places sit above their point (a dot marks it); zones and lines centre on it */
  style: 'place' | 'zone' | 'line';
  /** a place's kind (city, town, …), else the style */
  kind: string;
  group: LabelGroup;
  priority: number;
}

// Orientation first (cities, the peak, the lines the arrangement is drawn from), then the
// zones, then villages; among zones the larger, which have room, win.
const PLACE_PRIORITY: Record<string, number> = { city: 100, peak: 95, town: 90, landmark: 85, water: 60, village: 50 };
const ZONE_PRIORITY: Record<ZoneKind, number> = { area: 75, airspace: 45, band: 40 };

export function labelCandidates(a: ArrangementView): LabelCandidate[] {
  const out: LabelCandidate[] = [];
  // Among places of one kind, the file's order: those listed first win (the example lists Quneitra first).
  const places = a.places?.features ?? [];
  places.forEach((f, i) => {
    const [lon, lat] = f.geometry.coordinates;
    const p = f.properties;
    const first = 0.5 * (1 - i / places.length);
    out.push({
      id: `place:${p.id}`,
      text: localized(p.name),
      at: [lon, lat],
      style: 'place',
      kind: p.kind,
      group: 'places',
      priority: (PLACE_PRIORITY[p.kind] ?? 50) + first,
    });
  });
  for (const f of a.lines.features) {
    const at = lineAnchor(f.geometry);
    if (at) out.push({ id: `line:${f.properties.id}`, text: localized(f.properties.name), at, style: 'line', kind: 'line', group: 'lines', priority: 80 });
  }
  for (const f of a.zones.features) {
    const at = zoneAnchor(f.geometry);
    const kind = zoneKind(f.properties);
    // Larger zones first within a kind (a tie-break below one priority step).
    const size = Math.min(0.99, Math.log10(1 + f.properties.area_km2) / 6);
    if (at)
      out.push({
        id: `zone:${f.properties.id}`,
        text: localized(f.properties.name),
        at,
        style: 'zone',
        kind,
        group: `zones-${kind}`,
        priority: ZONE_PRIORITY[kind] + size,
      });
  }
  return out;
}
