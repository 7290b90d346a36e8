// The units on the map, as MapView sees them: fed the features of the moment shown
// (map-frame.ts), drawn by the WebGL units layer on their own canvas with their symbols,
// halos for units in breach and the two aircraft of an alert enlarged, named when zoomed
// in, and hit-tested on our own grid for popups. The old way, a GeoJSON circle layer given the whole
// collection by setData, stays selectable as the `geojson` renderer: it is the baseline
// the browser test and `npm run bench` measure the layer against, in the same run.
import type { GeoJSONSource, Map as MapLibre } from 'maplibre-gl';
import type { FeatureCollection, Point } from 'geojson';
import { HitGrid } from './hit-grid.ts';
import { type Affiliation, type SymbolAtlas, symbolAtlas } from './symbols.ts';
import { ALERT, BREACH, HIDDEN, SELECTED, mercator } from './units-layer-buffer.ts';
import { LABEL_ZOOM, type LabelCandidate, UnitLabels, placeLabels } from './units-layer-labels.ts';
import { UnitsLayer, symbolSize } from './units-layer.ts';

export type UnitsRenderer = 'gl' | 'geojson';

export interface UnitsStyle {
  /** how the viewer's side reads a unit of this actor */
  affiliation(actor: string): Affiliation;
  /** the actors' colours, in the arrangement's order (the symbol's inner mark) */
  actorColors: Map<string, string>;
}

const EMPTY: FeatureCollection = { type: 'FeatureCollection', features: [] };

export class UnitsOnMap {
  renderer: UnitsRenderer = 'gl';
  readonly layer: UnitsLayer;
  private readonly atlas: SymbolAtlas;
  private readonly actorSlot: Map<string, number>;
  private readonly labels: UnitLabels;
  private readonly grid = new HitGrid(32);
  private gridStale = true;
  private units: FeatureCollection = EMPTY;
  private alerts: FeatureCollection = EMPTY;
  private breaches = new Set<string>();
  private selected = new Set<string>();
  private geojsonCount = 0;
  private alertsKey = '';
  private labelTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly map: MapLibre,
    private readonly style: UnitsStyle,
    center: [number, number],
  ) {
    const actors = [...style.actorColors.keys()];
    this.actorSlot = new Map(actors.map((a, i) => [a, i]));
    this.atlas = symbolAtlas(actors.map((a) => style.actorColors.get(a)!));
    this.layer = new UnitsLayer(this.atlas, mercator(center[0], center[1]));
    this.labels = new UnitLabels(map);
    map.on('move', () => (this.gridStale = true));
    map.on('moveend', () => this.scheduleLabels(0));
  }

  /** Adds the layer on top of the style (once the style has loaded). */
  attach(): void {
    this.map.addLayer(this.layer);
  }

  /** Units drawn now: counted from what the renderer in use was last given to draw. */
  get count(): number {
    return this.renderer === 'gl' ? this.layer.drawn : this.geojsonCount;
  }

  /** The units the layer was last given to draw, as features (the replay test reads them back). */
  get features(): FeatureCollection {
    return this.units;
  }

  /**
   * The alert lines if they differ from those last drawn, undefined otherwise: handing
   * maplibre the same lines again would repaint the whole map every second, which the
   * units' own canvas is there to avoid.
   */
  freshAlerts(alerts: FeatureCollection): FeatureCollection | undefined {
    const key = JSON.stringify(alerts.features);
    if (key === this.alertsKey) return undefined;
    this.alertsKey = key;
    return alerts;
  }

  /** The units of the moment shown, the alert lines, the units named by open findings. */
  draw(units: FeatureCollection | undefined, alerts: FeatureCollection | undefined, breaches: Set<string>): void {
    if (units) this.units = units;
    if (alerts) {
      this.alerts = alerts;
      this.labels.showAlerts(alerts);
    }
    this.breaches = breaches;
    if (this.renderer === 'geojson') {
      // The baseline, exactly as the map drew units before: the whole collection, every time.
      if (units) {
        this.geojsonCount = units.features.length;
        void (this.map.getSource('units') as GeoJSONSource).setData(units);
      }
      return;
    }
    this.fill();
  }

  private fill(): void {
    const inAlert = new Set<string>();
    for (const f of this.alerts.features) for (const k of ['a', 'b']) if (typeof f.properties?.[k] === 'string') inAlert.add(f.properties[k]);
    const b = this.layer.buffer;
    b.begin();
    for (const f of this.units.features) {
      const p = f.properties;
      if (!p || f.geometry.type !== 'Point') continue;
      const [lon, lat] = (f.geometry as Point).coordinates;
      const id = String(p.unit);
      const actor = String(p.actor);
      const air = 'alt' in p;
      const cell = this.atlas.cellOf(this.style.affiliation(actor), air, this.actorSlot.get(actor) ?? -1);
      const flags = (this.breaches.has(id) ? BREACH : 0) | (inAlert.has(id) ? ALERT : 0) | (this.selected.has(id) ? SELECTED : 0);
      b.put(id, lon, lat, cell, flags);
    }
    b.end();
    this.layer.changed();
    this.gridStale = true;
    this.scheduleLabels(500);
  }

  select(ids: string[]): void {
    this.selected = new Set(ids);
    if (this.renderer === 'gl') this.fill();
  }

  /** Switches how units are drawn (the measurement's baseline, or the layer); redraws with the last data. */
  setRenderer(r: UnitsRenderer): void {
    if (r === this.renderer) return;
    this.renderer = r;
    this.map.setLayoutProperty(this.layer.id, 'visibility', r === 'gl' ? 'visible' : 'none');
    this.layer.show(r === 'gl');
    const source = this.map.getSource('units') as GeoJSONSource;
    if (r === 'gl') {
      void source.setData(EMPTY);
      this.geojsonCount = 0;
      this.fill();
    } else {
      this.labels.clear();
      this.geojsonCount = this.units.features.length;
      void source.setData(this.units);
    }
  }

  /** The unit under a point of the map (CSS pixels), if any. */
  hit(x: number, y: number): string | undefined {
    if (this.renderer !== 'gl') {
      const hits = this.map.queryRenderedFeatures([x, y], { layers: ['units'] });
      return hits.length ? String(hits[0].properties.unit) : undefined;
    }
    if (this.gridStale) {
      const { xs, ys, n } = this.layer.screen();
      const canvas = this.map.getCanvas();
      this.grid.build(xs, ys, n, canvas.clientWidth, canvas.clientHeight);
      this.gridStale = false;
    }
    const i = this.grid.nearest(x, y, symbolSize(this.map.getZoom()) / 2 + 3);
    return i < 0 ? undefined : this.layer.buffer.ids[i];
  }

  /** A symbol's side at the current zoom, in device pixels, as the layer draws it. */
  symbolPx(): number {
    return symbolSize(this.map.getZoom()) * (window.devicePixelRatio || 1);
  }

  /** Where a unit is drawn (CSS pixels), for the tests' probes. */
  screenOf(id: string): [number, number] | undefined {
    const s = this.layer.buffer.slot(id);
    if (s === undefined || this.layer.buffer.flags(s) & HIDDEN) return undefined;
    const { xs, ys } = this.layer.screen();
    return [xs[s], ys[s]];
  }

  private scheduleLabels(ms: number): void {
    if (this.labelTimer !== undefined) return;
    this.labelTimer = setTimeout(() => {
      this.labelTimer = undefined;
      this.placeLabels();
    }, ms);
  }

  private placeLabels(): void {
    if (this.renderer !== 'gl' || this.map.getZoom() < LABEL_ZOOM) {
      this.labels.clear();
      return;
    }
    const { xs, ys, n } = this.layer.screen();
    const canvas = this.map.getCanvas();
    const w = canvas.clientWidth;
    const h = canvas.clientHeight;
    const b = this.layer.buffer;
    const cands: LabelCandidate[] = [];
    for (let s = 0; s < n; s++) {
      if (!(xs[s] >= 0 && xs[s] < w && ys[s] >= 0 && ys[s] < h)) continue;
      const f = b.flags(s);
      const [mx, my] = b.world(s);
      cands.push({
        id: b.ids[s],
        x: xs[s],
        y: ys[s],
        lngLat: [mx * 360 - 180, (360 / Math.PI) * Math.atan(Math.exp(((1 - my * 2) * Math.PI) as number)) - 90],
        rank: f & ALERT ? 0 : f & BREACH ? 1 : f & SELECTED ? 2 : 3,
        breach: (f & BREACH) !== 0,
      });
    }
    const rtl = document.documentElement.dir === 'rtl';
    const size = symbolSize(this.map.getZoom());
    this.labels.show(placeLabels(cands, size, w, h, rtl), size, rtl);
  }
}
