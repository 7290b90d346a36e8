// What the browser tests read from the page: frames per second over the last second
// (counted with requestAnimationFrame), how many units the map draws, whether the
// page has finished loading (with the map's land drawn), and how many findings the list shows.
import type { ReplayHooks } from './state/history-hooks.ts';

export interface DetenteHooks {
  fps(): number;
  unitCount(): number;
  ready: boolean;
  findingsShown(): number;
  /** false when the map could not be drawn (no WebGL 2) */
  webgl: boolean;
  /** the labels the map shows now (map/labels.ts), once it is drawn */
  labels?: () => { id: string; text: string }[];
  /** the layer switcher's groups (map/layer-switcher.ts): switch one, or ask whether it is hidden */
  layers?: { set(group: string, on: boolean): void; hidden(group: string): boolean };
  /** countries whose land the map had drawn when the page became ready (0: none, or no map) */
  land: number;
  /** the timeline's replay from history (test/browser-replay.test.ts) */
  replay?: ReplayHooks;
  /** where a longitude/latitude is on the page, in client pixels (a test clicks the map there), once the map is drawn */
  project?: (lon: number, lat: number) => [number, number];
  /** whether a zone drawn or highlighted from a draft is on the map */
  draftShape?: () => boolean;
  /** performance.now() when the findings list, loaded at boot, was painted with findings in it (before the map starts) */
  findingsPaintedAt?: number;
  /** the units layer's measuring and probing hooks (web/src/map/units-layer-hooks.ts), once the map exists */
  units?: import('./map/units-layer-hooks.ts').UnitsTestHooks;
}

declare global {
  interface Window {
    __detente: DetenteHooks;
  }
}

/** Starts counting frames; returns the frames seen in the last second. */
function frameCounter(): () => number {
  const stamps: number[] = [];
  const tick = (now: number) => {
    stamps.push(now);
    while (stamps.length > 0 && stamps[0] <= now - 1000) stamps.shift();
    requestAnimationFrame(tick);
  };
  requestAnimationFrame(tick);
  return () => {
    const now = performance.now();
    return stamps.filter((t) => t > now - 1000).length;
  };
}

export function installHooks(parts: { unitCount(): number; findingsShown(): number }): DetenteHooks {
  const hooks: DetenteHooks = { fps: frameCounter(), unitCount: parts.unitCount, findingsShown: parts.findingsShown, ready: false, webgl: true, land: 0 };
  window.__detente = hooks;
  return hooks;
}
