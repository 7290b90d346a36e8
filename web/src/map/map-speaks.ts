// What makes the map speak, put on a drawn map: the labels over it, the layer switcher,
// and the test hooks that read them (window.__detente.labels / .layers).
import type { ArrangementView } from '../api/types.ts';
import type { DetenteHooks } from '../hooks.ts';
import { MapLabels } from './labels.ts';
import { type LayerGroup, LayerSwitcher } from './layer-switcher.ts';
import type { MapView } from './map-view.ts';

export function makeMapSpeak(view: MapView, arrangement: ArrangementView, hooks: DetenteHooks): void {
  const labels = new MapLabels(view.map, arrangement);
  const switcher = new LayerSwitcher(view.map, labels);
  view.map.addControl(switcher, 'top-left');
  hooks.labels = () => labels.shown();
  hooks.layers = { set: (g, on) => switcher.set(g as LayerGroup, on), hidden: (g) => switcher.isHidden(g as LayerGroup) };
}
