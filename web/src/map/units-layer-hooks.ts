// What the browser tests and the benchmark ask of the units layer through
// window.__detente.units: switch to the GeoJSON baseline and back, count what it drew, and find
// where a unit is drawn, so a test can look at the screenshot's pixels there.
import type { MapView } from './map-view.ts';
import type { UnitsRenderer } from './units-layer-view.ts';

export interface FrameCount {
  frames: number;
  ms: number;
  /** the longest gap between two frames, ms */
  longest: number;
  /** frames maplibre painted meanwhile, and redraws of the units' own canvas */
  mapFrames: number;
  unitPaints: number;
}

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
  countFrames(ms: number): Promise<FrameCount>;
  /** moves the view (the labels test zooms in; the canvas test turns and tilts it) */
  jump(center: [number, number], zoom: number, bearing?: number, pitch?: number): void;
  /** frames maplibre has painted since the page opened, and redraws of the units' canvas: a unit update must add to the second only */
  mapFrames(): number;
  unitPaints(): number;
}

export function unitsTestHooks(map: MapView): UnitsTestHooks {
  const u = map.units;
  let mapFrames = 0;
  map.map.on('render', () => mapFrames++);
  return {
    renderer: (r) => map.setUnitsRenderer(r),
    drawn: () => u.layer.drawn,
    screenOf: (id) => u.screenOf(id),
    symbolPx: () => u.symbolPx(),
    countFrames: (ms) =>
      new Promise((done) => {
        let mapFrames = 0;
        const onMapFrame = () => mapFrames++;
        map.map.on('render', onMapFrame);
        const paints0 = u.layer.paints;
        let frames = 0;
        const t0 = performance.now();
        let last = t0;
        let longest = 0;
        const frame = (now: number) => {
          frames++;
          longest = Math.max(longest, now - last);
          last = now;
          if (now - t0 < ms) requestAnimationFrame(frame);
          else {
            map.map.off('render', onMapFrame);
            done({ frames, ms: now - t0, longest, mapFrames, unitPaints: u.layer.paints - paints0 });
          }
        };
        requestAnimationFrame(frame);
      }),
    jump: (center, zoom, bearing = 0, pitch = 0) => map.map.jumpTo({ center, zoom, bearing, pitch }),
    mapFrames: () => mapFrames,
    unitPaints: () => u.layer.paints,
  };
}
