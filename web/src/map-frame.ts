// What the map draws at the moment shown: every unit as a point (live from the posture;
// at a past time from the server's history, or while that loads from the snapshot
// nearest before it) and a line between the two units of every separation alert or loss
// open at that moment.
import type { Feature, FeatureCollection, Point } from 'geojson';
import type { App } from './app.ts';
import { isOpen, openAt } from './state/findings.ts';
import { historyOf } from './state/history.ts';

type Position = [number, number];

function point(unit: string, actor: string, lon: number, lat: number, air: boolean): Feature<Point> {
  // `alt` is only present for aircraft: the style's ring tests for the key.
  return { type: 'Feature', properties: air ? { unit, actor, alt: 1 } : { unit, actor }, geometry: { type: 'Point', coordinates: [lon, lat] } };
}

/** Where each unit stands at the moment shown. */
export function positionsAt(app: App): (unit: string) => Position | undefined {
  const t = app.viewTime;
  if (t === null) {
    return (unit) => {
      const u = app.posture.units.get(unit);
      return u ? [u.lon, u.lat] : undefined;
    };
  }
  const past = historyOf(app).frameAt(t)?.unitsAt(t);
  if (past)
    return (unit) => {
      const u = past.get(unit);
      return u ? [u.lon, u.lat] : undefined;
    };
  const snap = app.posture.snapshotAt(t);
  return (unit) => (snap ? app.posture.positionIn(snap, unit) : undefined);
}

export function unitFeatures(app: App): FeatureCollection {
  const t = app.viewTime;
  const features: Feature<Point>[] = [];
  if (t === null) {
    for (const u of app.posture.units.values()) features.push(point(u.unit, u.actor, u.lon, u.lat, u.altitude_m !== undefined));
  } else if (historyOf(app).frameAt(t)) {
    for (const u of historyOf(app).frameAt(t)!.unitsAt(t).values()) features.push(point(u.unit, u.actor, u.lon, u.lat, u.altitude_m !== undefined));
  } else {
    const snap = app.posture.snapshotAt(t);
    if (snap) {
      const slots = app.posture.slots;
      const n = Math.min(slots.length, snap.coords.length / 2);
      for (let s = 0; s < n; s++) {
        const lon = snap.coords[s * 2];
        if (Number.isNaN(lon)) continue;
        const id = slots[s];
        features.push(point(id, app.posture.actorOfSlotIndex(s), lon, snap.coords[s * 2 + 1], app.posture.units.get(id)?.altitude_m !== undefined));
      }
    }
  }
  return { type: 'FeatureCollection', features };
}

/** The findings open at the moment shown: at a past time those the history says were open then, else those this tab received. */
function openShown(app: App) {
  const t = app.viewTime;
  const fetched = t === null ? undefined : historyOf(app).frameAt(t)?.findingsAt(t);
  return fetched ?? app.findings.occurrences.filter((o) => (t === null ? isOpen(o) : openAt(o, t))).map((o) => o.last);
}

export function alertFeatures(app: App): FeatureCollection {
  const where = positionsAt(app);
  const alerts: Feature[] = [];
  for (const last of openShown(app)) {
    const f = last.finding;
    if (f !== 'separation' && f !== 'loss') continue;
    const [a, b] = last.units ?? [];
    const pa = a ? where(a) : undefined;
    const pb = b ? where(b) : undefined;
    if (pa && pb)
      alerts.push({
        type: 'Feature',
        // a and b name the two units for the units layer (drawn larger), cpa_s the time to closest approach it labels
        properties: { finding: f, units: `${a} ↔ ${b}`, a, b, ...(last.cpa_s !== undefined ? { cpa_s: last.cpa_s } : {}) },
        geometry: { type: 'LineString', coordinates: [pa, pb] },
      });
  }
  return { type: 'FeatureCollection', features: alerts };
}

/** The units named by a finding open at the moment shown (a violation, a separation alert or loss…): drawn with a halo. */
export function unitsInBreach(app: App): Set<string> {
  const named = new Set<string>();
  for (const last of openShown(app)) for (const u of last.units ?? []) named.add(u);
  return named;
}
