// What the replay browser test reads from the page (window.__detente.replay): the moment
// shown and whether its history has arrived, and what the map's sources hold now, read
// back from maplibre itself so that the test sees what is drawn, not what was meant.
import type { FeatureCollection } from 'geojson';
import type { GeoJSONSource, Map as MapLibre } from 'maplibre-gl';
import type { App } from '../app.ts';
import { historyOf, type HistoryStatus } from './history.ts';

export interface DrawnFeature {
  properties: Record<string, unknown>;
  coordinates: unknown;
}

export interface ReplayHooks {
  /** the moment shown, ms (null: live) */
  viewTime(): number | null;
  /** whether that moment's history has arrived */
  status(): HistoryStatus;
  /** requests made to the history routes so far */
  requests(): number;
  /** the earliest moment this tab kept positions of itself (ms), or null */
  keptFrom(): number | null;
  /** the features a map source holds now (units, alerts, trails) */
  drawn(source: string): Promise<DrawnFeature[]>;
}

/** What the hooks read of the map view (structural: tests that import these types stay clear of the map's bundle-only imports). */
interface DrawnView {
  map: MapLibre;
  units: { features: FeatureCollection };
}

export function replayHooks(app: App, view: DrawnView | undefined): ReplayHooks {
  const map = view?.map;
  const history = historyOf(app);
  return {
    viewTime: () => app.viewTime,
    status: () => history.status,
    requests: () => history.requests,
    keptFrom: () => app.posture.snapshots[0]?.time ?? null,
    async drawn(source) {
      // Units are drawn by the units layer (map/units-layer*.ts), not a GeoJSON source: what it was given last.
      if (source === 'units' && view)
        return view.units.features.features.map((f) => ({
          properties: f.properties ?? {},
          coordinates: (f.geometry as { coordinates?: unknown }).coordinates,
        }));
      const s = map?.getSource(source) as GeoJSONSource | undefined;
      if (!s) return [];
      const data = (await s.getData()) as { features?: { properties: Record<string, unknown> | null; geometry: { coordinates?: unknown } | null }[] };
      return (data.features ?? []).map((f) => ({ properties: f.properties ?? {}, coordinates: f.geometry?.coordinates }));
    },
  };
}
