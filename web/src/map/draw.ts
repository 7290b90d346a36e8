// Drawing on the map while a zone is drafted: clicks become points (the map's own popups
// stay quiet meanwhile), shown with the line or ring they make and any preview shape the
// caller gives, in one temporary source of their own. Also shows, for a reader, a zone of
// a draft that is not in force yet (so not among the map's zones).
import type { Feature, FeatureCollection, Geometry, Position } from 'geojson';
import type { GeoJSONSource } from 'maplibre-gl';
import type { MapView } from './map-view.ts';

const SOURCE = 'draft-draw';
const EMPTY: FeatureCollection = { type: 'FeatureCollection', features: [] };

export type DrawMode = 'polygon' | 'line';

export class MapDraw {
  private points: Position[] = [];
  private mode: DrawMode | null = null;
  private preview: Geometry | null = null;
  private onChange: ((points: Position[]) => void) | undefined;

  constructor(readonly view: MapView) {
    void view.loaded.then(() => {
      const map = view.map;
      map.addSource(SOURCE, { type: 'geojson', data: EMPTY });
      map.addLayer({
        id: 'draft-draw-fill',
        type: 'fill',
        source: SOURCE,
        filter: ['==', ['get', 'part'], 'shape'],
        paint: { 'fill-color': '#f39c12', 'fill-opacity': 0.3 },
      });
      map.addLayer({
        id: 'draft-draw-edge',
        type: 'line',
        source: SOURCE,
        filter: ['==', ['get', 'part'], 'shape'],
        paint: { 'line-color': '#d35400', 'line-width': 2.5 },
      });
      map.addLayer({
        id: 'draft-draw-line',
        type: 'line',
        source: SOURCE,
        filter: ['==', ['get', 'part'], 'drawn'],
        paint: { 'line-color': '#2c3e50', 'line-width': 2, 'line-dasharray': [2, 1] },
      });
      map.addLayer({
        id: 'draft-draw-points',
        type: 'circle',
        source: SOURCE,
        filter: ['==', ['get', 'part'], 'point'],
        paint: { 'circle-radius': 4, 'circle-color': '#2c3e50', 'circle-stroke-color': '#ffffff', 'circle-stroke-width': 1.5 },
      });
      this.render();
    });
  }

  /** whether a shape (a zone drawn, or a draft's zone highlighted) is on the map now */
  get shapeShown(): boolean {
    return this.preview !== null;
  }

  get drawing(): DrawMode | null {
    return this.mode;
  }

  /** Starts taking clicks as points; `onChange` hears each. */
  start(mode: DrawMode, onChange: (points: Position[]) => void): void {
    this.mode = mode;
    this.points = [];
    this.onChange = onChange;
    this.view.clickHandler = (at) => {
      this.points.push(at);
      this.render();
      this.onChange?.([...this.points]);
      return true;
    };
    this.view.map.getCanvas().style.cursor = 'crosshair';
    this.render();
  }

  /** Stops taking clicks; the points stay shown until cleared. */
  finish(): Position[] {
    this.mode = null;
    this.view.clickHandler = null;
    this.view.map.getCanvas().style.cursor = '';
    return [...this.points];
  }

  /** The shape the points make (a polygon, a band), drawn filled; null: none. */
  show(shape: Geometry | null, points?: Position[]): void {
    this.preview = shape;
    if (points) this.points = points;
    this.render();
  }

  clear(): void {
    if (this.mode) this.finish();
    this.points = [];
    this.preview = null;
    this.render();
  }

  private render(): void {
    const src = this.view.map.getSource(SOURCE) as GeoJSONSource | undefined;
    if (!src) return;
    const features: Feature[] = [];
    if (this.preview) features.push({ type: 'Feature', properties: { part: 'shape' }, geometry: this.preview });
    if (this.points.length > 1) {
      const ring = this.mode === 'polygon' && this.points.length > 2 ? [...this.points, this.points[0]] : this.points;
      features.push({ type: 'Feature', properties: { part: 'drawn' }, geometry: { type: 'LineString', coordinates: ring } });
    }
    for (const p of this.points) features.push({ type: 'Feature', properties: { part: 'point' }, geometry: { type: 'Point', coordinates: p } });
    void src.setData({ type: 'FeatureCollection', features });
  }
}
