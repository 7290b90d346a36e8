// Names on the map for the units drawn by the units layer, and the time to closest
// approach on each separation alert's line. Names appear only from a zoom where a
// handful fit, at most MAX_LABELS at a time, placed greedily (units in breach and in an
// alert first) where they overlap neither a placed label nor each other; they are
// placed again when the view settles or the units move, not on every frame.
import { Marker, type Map as MapLibre } from 'maplibre-gl';
import type { FeatureCollection } from 'geojson';
import { formatDuration, t } from '../i18n/i18n.ts';
import './units-layer-labels.css';

export const LABEL_ZOOM = 10;
const MAX_LABELS = 30;
const CHAR_PX = 6.5;
const HEIGHT = 14;

type Box = [number, number, number, number];
const overlaps = (a: Box, b: Box) => a[0] < b[2] && b[0] < a[2] && a[1] < b[3] && b[1] < a[3];

export interface LabelCandidate {
  id: string;
  x: number;
  y: number;
  lngLat: [number, number];
  /** lower first */
  rank: number;
  breach: boolean;
}

/**
 * Which candidates get a label: in rank order, each label a box beside its symbol
 * (inline end, as the page's direction reads), kept if it overlaps no box kept before.
 */
export function placeLabels(cands: LabelCandidate[], symbol: number, width: number, height: number, rtl: boolean, max = MAX_LABELS): LabelCandidate[] {
  const kept: LabelCandidate[] = [];
  const boxes: Box[] = [];
  for (const c of [...cands].sort((a, b) => a.rank - b.rank || a.id.localeCompare(b.id))) {
    if (kept.length >= max) break;
    const w = c.id.length * CHAR_PX + 6;
    const x0 = rtl ? c.x - symbol / 2 - 2 - w : c.x + symbol / 2 + 2;
    const box: Box = [x0, c.y - HEIGHT / 2, x0 + w, c.y + HEIGHT / 2];
    if (box[0] < 0 || box[2] > width || box[1] < 0 || box[3] > height) continue;
    if (boxes.some((b) => overlaps(b, box))) continue;
    boxes.push(box);
    kept.push(c);
  }
  return kept;
}

export class UnitLabels {
  private readonly units = new Map<string, Marker>();
  private readonly alerts: Marker[] = [];

  constructor(private readonly map: MapLibre) {}

  /** Shows these labels (ids placed by placeLabels), reusing the markers of labels that stay. */
  show(placed: LabelCandidate[], symbol: number, rtl: boolean): void {
    const keep = new Set(placed.map((p) => p.id));
    for (const [id, m] of this.units)
      if (!keep.has(id)) {
        m.remove();
        this.units.delete(id);
      }
    const offset: [number, number] = [(rtl ? -1 : 1) * (symbol / 2 + 2), 0];
    for (const p of placed) {
      let m = this.units.get(p.id);
      if (!m) {
        const el = document.createElement('div');
        el.className = 'unit-label';
        el.dataset.unit = p.id;
        el.textContent = p.id;
        m = new Marker({ element: el, anchor: rtl ? 'right' : 'left' });
        this.units.set(p.id, m);
        m.setLngLat(p.lngLat).addTo(this.map);
      } else m.setLngLat(p.lngLat);
      m.setOffset(offset);
      m.getElement().classList.toggle('breach', p.breach);
    }
  }

  clear(): void {
    this.show([], 0, false);
  }

  /** One label per alert line, at its middle: the time to closest approach, or that separation is lost. */
  showAlerts(alerts: FeatureCollection): void {
    for (const m of this.alerts.splice(0)) m.remove();
    for (const f of alerts.features) {
      if (f.geometry.type !== 'LineString') continue;
      const [a, b] = f.geometry.coordinates;
      const p = f.properties ?? {};
      const el = document.createElement('div');
      el.className = `alert-label${p.finding === 'loss' ? ' loss' : ''}`;
      el.dataset.test = 'alert-label';
      el.textContent =
        p.finding === 'loss' ? t('units.lost') : typeof p.cpa_s === 'number' ? t('units.cpaIn', { time: formatDuration(p.cpa_s * 1000) }) : t('units.alert');
      this.alerts.push(new Marker({ element: el, anchor: 'bottom', offset: [0, -6] }).setLngLat([(a[0] + b[0]) / 2, (a[1] + b[1]) / 2]).addTo(this.map));
    }
  }
}
