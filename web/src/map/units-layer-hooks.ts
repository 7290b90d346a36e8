// What the browser tests and the benchmark ask of the units layer through
// window.__detente.units: switch to the GeoJSON baseline and back, count what it drew, and find
// where a unit is drawn, so a test can look at the screenshot's pixels there.
import type { MapView } from './map-view.ts';
import type { UnitsRenderer } from './units-layer-view.ts';

export interface UnitsTestHooks {
  renderer(r: UnitsRenderer): void;
  /** units in the layer's last draw call (not hidden) */
  drawn(): number;
  /** where a unit is on the map's canvas, CSS pixels */
  screenOf(unit: string): [number, number] | undefined;
  /** the symbol's size at the current zoom, in device pixels */
  symbolPx(): number;
  /**
   * requestAnimationFrame callbacks over `ms`, and the longest gap between two. Counted
   * while the caller waits: headless Chromium paces frames by demand, and a page nobody
   * waits on idles at a frame or two a second whatever it draws.
   */
  countFrames(ms: number): Promise<{ frames: number; ms: number; longest: number }>;
  /** moves the view (the labels test zooms in) */
  jump(center: [number, number], zoom: number): void;
}

export function unitsTestHooks(map: MapView): UnitsTestHooks {
  const u = map.units;
  return {
    renderer: (r) => map.setUnitsRenderer(r),
    drawn: () => u.layer.drawn,
    screenOf: (id) => u.screenOf(id),
    symbolPx: () => u.symbolPx(),
    countFrames: (ms) =>
      new Promise((done) => {
        let frames = 0;
        const t0 = performance.now();
        let last = t0;
        let longest = 0;
        const frame = (now: number) => {
          frames++;
          longest = Math.max(longest, now - last);
          last = now;
          if (now - t0 < ms) requestAnimationFrame(frame);
          else done({ frames, ms: now - t0, longest });
        };
        requestAnimationFrame(frame);
      }),
    jump: (center, zoom) => map.map.jumpTo({ center, zoom }),
  };
}
