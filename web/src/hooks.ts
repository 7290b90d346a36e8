// What the browser tests read from the page: frames per second over the last second
// (counted with requestAnimationFrame), how many units the map draws, whether the
// page has finished loading, and how many findings the list shows.
export interface DetenteHooks {
  fps(): number;
  unitCount(): number;
  ready: boolean;
  findingsShown(): number;
  /** false when the map could not be drawn (no WebGL 2) */
  webgl: boolean;
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
  const hooks: DetenteHooks = { fps: frameCounter(), unitCount: parts.unitCount, findingsShown: parts.findingsShown, ready: false, webgl: true };
  window.__detente = hooks;
  return hooks;
}
