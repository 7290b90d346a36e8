// The layer switcher: zones by kind, lines, places, units and alerts, each switched on
// or off from a box on the map, the choice kept in this browser (localStorage).
import './layer-switcher.css';
import type { ControlPosition, IControl, Map as MapLibre } from 'maplibre-gl';
import { t } from '../i18n/i18n.ts';
import type { MessageKey } from '../i18n/messages.ts';
import type { MapLabels } from './labels.ts';
import { ZONE_KINDS, ZONE_LAYERS, type ZoneKind, zoneFilter } from './style.ts';

export const LAYER_GROUPS = ['zones-area', 'zones-band', 'zones-airspace', 'lines', 'places', 'units', 'alerts'] as const;
export type LayerGroup = (typeof LAYER_GROUPS)[number];

const STORE = 'detente.map.hidden-layers';

export function loadHidden(storage: Pick<Storage, 'getItem'> | undefined = globalThis.localStorage): Set<LayerGroup> {
  try {
    const v = JSON.parse(storage?.getItem(STORE) ?? '[]') as unknown;
    return new Set(Array.isArray(v) ? v.filter((g): g is LayerGroup => (LAYER_GROUPS as readonly unknown[]).includes(g)) : []);
  } catch {
    return new Set();
  }
}

function saveHidden(hidden: Set<LayerGroup>): void {
  try {
    localStorage.setItem(STORE, JSON.stringify([...hidden]));
  } catch {
    // A browser that keeps nothing (private mode, storage full) still switches, for this page.
  }
}

/** The map's own layers a group switches, by id (other parts may add units-… and alerts-… layers). */
function layersOf(map: MapLibre, group: 'lines' | 'units' | 'alerts'): string[] {
  return (map.getStyle()?.layers ?? []).map((l) => l.id).filter((id) => id === group || id.startsWith(`${group}-`));
}

export class LayerSwitcher implements IControl {
  private readonly hidden = loadHidden();
  private box: HTMLElement | undefined;

  constructor(
    private readonly map: MapLibre,
    private readonly labels: MapLabels | undefined,
  ) {}

  getDefaultPosition(): ControlPosition {
    return 'top-left';
  }

  onAdd(): HTMLElement {
    const items = LAYER_GROUPS.map((g) => {
      const input = document.createElement('input');
      input.type = 'checkbox';
      input.checked = !this.hidden.has(g);
      input.dataset.layer = g;
      input.addEventListener('change', () => this.set(g, input.checked));
      const label = document.createElement('label');
      label.append(input, ` ${t(`map.layer.${g}` as MessageKey)}`);
      return label;
    });
    const summary = document.createElement('summary');
    summary.textContent = t('map.layers');
    const details = document.createElement('details');
    details.className = 'layer-switcher maplibregl-ctrl maplibregl-ctrl-group';
    details.dataset.test = 'layer-switcher';
    details.append(summary, ...items);
    this.box = details;
    if (this.map.isStyleLoaded()) this.apply();
    else this.map.once('load', () => this.apply());
    return details;
  }

  onRemove(): void {
    this.box?.remove();
  }

  isHidden(g: LayerGroup): boolean {
    return this.hidden.has(g);
  }

  set(g: LayerGroup, on: boolean): void {
    if (on) this.hidden.delete(g);
    else this.hidden.add(g);
    saveHidden(this.hidden);
    const input = this.box?.querySelector<HTMLInputElement>(`input[data-layer="${g}"]`);
    if (input) input.checked = on;
    this.apply();
  }

  /** Puts the map and the labels in line with the switches. */
  private apply(): void {
    const hiddenKinds = ZONE_KINDS.filter((k) => this.hidden.has(`zones-${k}`));
    for (const [id, kind] of Object.entries(ZONE_LAYERS)) if (this.map.getLayer(id)) this.map.setFilter(id, zoneFilter(kind, hiddenKinds));
    for (const g of ['lines', 'units', 'alerts'] as const)
      for (const id of layersOf(this.map, g)) this.map.setLayoutProperty(id, 'visibility', this.hidden.has(g) ? 'none' : 'visible');
    for (const k of ZONE_KINDS) this.labels?.setGroup(`zones-${k}` as `zones-${ZoneKind}`, !this.hidden.has(`zones-${k}`));
    this.labels?.setGroup('lines', !this.hidden.has('lines'));
    this.labels?.setGroup('places', !this.hidden.has('places'));
  }
}
