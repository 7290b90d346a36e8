// Trails on the map at a past moment: each unit's path over the few minutes before it, as
// the server's history has it (one GeoJSON line per unit, so a handful of features),
// drawn under the units in the unit's actor colour. Live, there are none.
import type { GeoJSONSource, Map as MapLibre } from 'maplibre-gl';
import type { FeatureCollection, LineString } from 'geojson';
import type { App } from '../app.ts';
import { historyOf } from '../state/history.ts';

export const TRAILS = 'trails';

/** The trails to draw at the moment shown (none live, or while its history loads). */
export function trailFeatures(app: App): FeatureCollection<LineString> {
  const t = app.viewTime;
  const frame = t === null ? undefined : historyOf(app).frameAt(t);
  const trails = t === null || !frame ? [] : frame.trailsAt(t);
  return {
    type: 'FeatureCollection',
    features: trails.map((tr) => ({
      type: 'Feature',
      properties: { unit: tr.unit, actor: tr.actor, color: app.colors.actors.get(tr.actor) ?? '#555555' },
      geometry: { type: 'LineString', coordinates: tr.line },
    })),
  };
}

/** Adds the trails layer once the map has loaded, and redraws it whenever the moment shown changes. */
export function installTrails(map: MapLibre, loaded: Promise<void>, app: App): void {
  let pending = false;
  const draw = () => {
    if (pending) return;
    pending = true;
    requestAnimationFrame(() => {
      pending = false;
      (map.getSource(TRAILS) as GeoJSONSource | undefined)?.setData(trailFeatures(app));
    });
  };
  loaded.then(
    () => {
      map.addSource(TRAILS, { type: 'geojson', data: { type: 'FeatureCollection', features: [] } });
      map.addLayer(
        {
          id: TRAILS,
          type: 'line',
          source: TRAILS,
          layout: { 'line-cap': 'round', 'line-join': 'round' },
          paint: { 'line-color': ['get', 'color'], 'line-width': 2, 'line-opacity': 0.75, 'line-dasharray': [2, 1] },
        },
        map.getLayer('alerts') ? 'alerts' : undefined,
      );
      app.on('time', draw);
      draw();
    },
    () => undefined,
  ); // no map drawn, no trails: the page says why elsewhere
}
