// The zones under a click, smallest first: the smallest is the one the reader most
// likely aimed at, and the large ones (the Golan, southern Syria) contain everything.
import type { ArrangementView } from '../api/types.ts';

export function smallestFirst(a: ArrangementView, ids: readonly string[]): string[] {
  const area = new Map(a.zones.features.map((f) => [f.properties.id, f.properties.area_km2]));
  return [...ids].sort((x, y) => (area.get(x) ?? Number.POSITIVE_INFINITY) - (area.get(y) ?? Number.POSITIVE_INFINITY) || (x < y ? -1 : 1));
}
