// The map: Natural Earth outlines, the arrangement's zones and lines, units and
// separation alerts, with popups and a highlight for whatever is selected.
//
// Units change often (thousands, every second), so the map never redraws per event:
// callers only mark it stale, and once per animation frame, if stale, it asks for the
// current features and hands them to the units layer (units-layer-view.ts), which
// uploads only what moved.
import {
  AttributionControl,
  Map as MapLibre,
  Marker,
  NavigationControl,
  Popup,
  ScaleControl,
  setWorkerUrl,
  type GeoJSONSource,
  type MapGeoJSONFeature,
} from 'maplibre-gl';
import 'maplibre-gl/dist/maplibre-gl.css';
import workerUrl from 'maplibre-gl/dist/maplibre-gl-worker.mjs?url';
import type { FeatureCollection } from 'geojson';
import type { ArrangementView } from '../api/types.ts';
import { bboxOf, geometryBBox, loadCountries, type BBox } from './countries.ts';
import { t } from '../i18n/i18n.ts';
import { countryName } from './country-names.ts';
import { mapStyle, type SourceId } from './style.ts';
import type { Affiliation } from './symbols.ts';
import { UnitsOnMap, type UnitsRenderer } from './units-layer-view.ts';

// The worker is a separate module file; bundled, it no longer sits beside the main
// script where maplibre looks for it by default, so its bundled URL is given here.
setWorkerUrl(workerUrl);

export type Layer = 'units' | 'alerts';

export interface MapHooks {
  /** the features to draw now for one source (called at most once per frame, only when stale) */
  features(layer: Layer): FeatureCollection;
  /** popup content for a unit */
  describeUnit(unit: string): Node;
  /** popup content for the zones under a click, by id */
  describeZones(zones: string[]): Node;
  /** how the viewer's side reads a unit of this actor (its symbol's frame) */
  affiliation(actor: string): Affiliation;
  /** the units named by a finding open at the moment shown */
  unitsInBreach(): Set<string>;
}

export class MapView {
  readonly map: MapLibre;
  readonly loaded: Promise<void>;
  private resolveLand!: (countries: number) => void;
  /** the country outlines drawn (set, then the map idle) or given up on: how many; the page's ready waits for it */
  readonly landDrawn = new Promise<number>((r) => (this.resolveLand = r));
  private readonly stale = new Set<Layer>(['units', 'alerts']);
  private frameRequested = false;
  private styleReady = false;
  readonly units: UnitsOnMap;
  private readonly zoneBoxes = new Map<string, BBox>();
  private readonly allBox: BBox;
  /** while set, map clicks go to it (a zone being drawn, map/draw.ts); true: taken, no popup */
  clickHandler: ((at: [number, number]) => boolean) | null = null;

  constructor(
    container: HTMLElement,
    arrangement: ArrangementView,
    colors: { actors: Map<string, string>; zones: Map<string, string>; lines: Map<string, string> },
    private readonly hooks: MapHooks,
  ) {
    for (const f of arrangement.zones.features) this.zoneBoxes.set(f.properties.id, geometryBBox(f.geometry));
    const boxes = [...this.zoneBoxes.values()];
    this.allBox = boxes.length
      ? bboxOf(
          boxes.flatMap((b) => [
            [b[0], b[1]],
            [b[2], b[3]],
          ]),
        )
      : [35, 32, 37, 34];
    this.map = new MapLibre({
      container,
      style: mapStyle(colors.actors),
      bounds: this.allBox,
      fitBoundsOptions: { padding: 30 },
      maxZoom: 15,
      attributionControl: false,
      renderWorldCopies: false,
      // maplibre's own words (its buttons' titles, the scale's units) in the reader's language
      locale: {
        'AttributionControl.ToggleAttribution': t('maplibre.toggleAttribution'),
        'Map.Title': t('maplibre.map'),
        'Marker.Title': t('maplibre.marker'),
        'NavigationControl.ResetBearing': t('maplibre.resetBearing'),
        'NavigationControl.ZoomIn': t('maplibre.zoomIn'),
        'NavigationControl.ZoomOut': t('maplibre.zoomOut'),
        'Popup.Close': t('maplibre.closePopup'),
        'ScaleControl.Meters': t('maplibre.m'),
        'ScaleControl.Kilometers': t('maplibre.km'),
      },
    });
    this.map.addControl(new AttributionControl({ compact: false, customAttribution: t('map.attribution') }), 'bottom-right');
    this.map.addControl(new NavigationControl({ showCompass: false }), 'top-right');
    this.map.addControl(new ScaleControl({ unit: 'metric' }), 'bottom-left');
    this.units = new UnitsOnMap(this.map, { affiliation: (a) => hooks.affiliation(a), actorColors: colors.actors }, [
      (this.allBox[0] + this.allBox[2]) / 2,
      (this.allBox[1] + this.allBox[3]) / 2,
    ]);

    this.loaded = new Promise((resolve, reject) => {
      this.map.once('load', () => resolve());
      this.map.once('error', (e) => reject(e.error ?? new Error('the map failed to load')));
    });
    void this.loaded.then(() => {
      this.styleReady = true;
      this.units.attach();
      this.source('zones').setData({
        type: 'FeatureCollection',
        features: arrangement.zones.features.map((f) => ({ ...f, properties: { ...f.properties, color: colors.zones.get(f.properties.id) ?? '#888888' } })),
      });
      this.source('lines').setData({
        type: 'FeatureCollection',
        features: arrangement.lines.features.map((f) => ({ ...f, properties: { ...f.properties, color: colors.lines.get(f.properties.id) ?? '#333333' } })),
      });
      this.invalidate();
      void this.addCountries();
    });
    this.popups();
  }

  private source(id: SourceId): GeoJSONSource {
    return this.map.getSource(id) as GeoJSONSource;
  }

  private async addCountries(): Promise<void> {
    try {
      const c = await loadCountries(this.allBox);
      this.source('land').setData(c.land);
      this.source('borders').setData(c.borders);
      for (const l of c.labels) {
        const el = document.createElement('div');
        el.className = 'country-label';
        el.textContent = countryName(l.id, l.name);
        new Marker({ element: el }).setLngLat(l.at).addTo(this.map);
      }
      // Drawn once the map is idle after them (a busy map may take long to idle: not past 5 s).
      await Promise.race([this.map.once('idle'), new Promise((r) => setTimeout(r, 5000))]);
      this.resolveLand(c.land.features.length);
    } catch (e) {
      console.warn('country outlines not drawn:', e);
      this.resolveLand(0);
    }
  }

  /**
   * Units or alerts changed: redraw them in the next frame, once however many calls.
   * Findings alone only touch the few alert lines, so they do not resend the units.
   */
  invalidate(...layers: Layer[]): void {
    for (const l of layers.length ? layers : (['units', 'alerts'] as Layer[])) this.stale.add(l);
    if (this.frameRequested) return;
    this.frameRequested = true;
    requestAnimationFrame(() => {
      this.frameRequested = false;
      // Before the style has loaded there is no source to fill; the load handler calls again.
      if (!this.styleReady) return;
      const units = this.stale.has('units') ? this.hooks.features('units') : undefined;
      const alerts = this.stale.has('alerts') ? this.units.freshAlerts(this.hooks.features('alerts')) : undefined;
      if (alerts) void this.source('alerts').setData(alerts);
      this.units.draw(units, alerts, this.hooks.unitsInBreach());
      this.stale.clear();
    });
  }

  get unitCount(): number {
    return this.units.count;
  }

  /** Draws units with the WebGL layer (`gl`) or, for measuring against it, as the GeoJSON circles of old. */
  setUnitsRenderer(r: UnitsRenderer): void {
    if (!this.styleReady) {
      void this.loaded.then(() => this.setUnitsRenderer(r));
      return;
    }
    this.units.setRenderer(r);
  }

  /** Highlights zones and units (empty lists: nothing); fits the view to them when asked. */
  select(zones: string[], units: { id: string; at?: [number, number] }[], fit: boolean): void {
    if (!this.styleReady) {
      void this.loaded.then(() => this.select(zones, units, fit));
      return;
    }
    const zoneFilter = ['in', ['get', 'id'], ['literal', zones]] as const;
    this.map.setFilter('zones-selected-fill', zoneFilter as never);
    this.map.setFilter('zones-selected-edge', zoneFilter as never);
    this.map.setFilter('units-selected', ['in', ['get', 'unit'], ['literal', units.map((u) => u.id)]] as never);
    this.units.select(units.map((u) => u.id));
    if (!fit) return;
    const points: [number, number][] = [];
    for (const z of zones) {
      const b = this.zoneBoxes.get(z);
      if (b) points.push([b[0], b[1]], [b[2], b[3]]);
    }
    for (const u of units) if (u.at) points.push(u.at);
    if (points.length === 0) return;
    const b = bboxOf(points);
    this.map.fitBounds(b, { padding: 80, maxZoom: zones.length ? 11 : 10, duration: 600 });
  }

  fitZone(id: string): void {
    const b = this.zoneBoxes.get(id);
    if (b) this.map.fitBounds(b, { padding: 50, duration: 600 });
  }

  private popups(): void {
    const popup = new Popup({ closeButton: true, maxWidth: '320px' });
    const clickable = ['zones-polygon-fill', 'zones-band-fill'];
    this.map.on('click', (e) => {
      if (this.clickHandler?.([e.lngLat.lng, e.lngLat.lat])) return;
      // Units first, hit on the units layer's own grid; zones under the click otherwise.
      const unit = this.units.hit(e.point.x, e.point.y);
      let content: Node | undefined;
      if (unit) content = this.hooks.describeUnit(unit);
      else {
        const hits = this.map.queryRenderedFeatures(e.point, { layers: clickable.filter((l) => this.map.getLayer(l)) });
        const zones = uniqueZones(hits);
        if (zones.length) content = this.hooks.describeZones(zones);
      }
      if (content) popup.setLngLat(e.lngLat).setDOMContent(content).addTo(this.map);
    });
    for (const layer of clickable) {
      this.map.on('mouseenter', layer, () => (this.map.getCanvas().style.cursor = 'pointer'));
      this.map.on('mouseleave', layer, () => (this.map.getCanvas().style.cursor = ''));
    }
    let overUnit = false;
    this.map.on('mousemove', (e) => {
      const over = this.units.hit(e.point.x, e.point.y) !== undefined;
      if (over !== overUnit) this.map.getCanvas().style.cursor = over ? 'pointer' : '';
      overUnit = over;
    });
  }
}

function uniqueZones(hits: MapGeoJSONFeature[]): string[] {
  return [...new Set(hits.filter((h) => h.layer.id.startsWith('zones')).map((h) => String(h.properties.id)))];
}
