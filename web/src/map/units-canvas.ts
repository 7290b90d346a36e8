// The units' own canvas: a second WebGL context laid exactly over maplibre's canvas
// (same size, same pixel ratio), transparent, letting the pointer through to the map.
// A unit update redraws this canvas alone. Drawn inside maplibre, every update cost a
// repaint of the whole map (land, zones, lines, labels), and in software WebGL the
// compositor's commit of that repaint took up to ~230 ms; the map now repaints only
// when its camera moves. It sits right after the map's canvas, before every marker
// (unit and country labels) and popup, so those stay above the units.
import type { Map as MapLibre } from 'maplibre-gl';
import './units-canvas.css';

export class UnitsCanvas {
  readonly canvas: HTMLCanvasElement;
  /** null where the browser gives no second WebGL 2 context: the units are then not drawn, and the page says nothing new (the map itself would have failed first) */
  readonly gl: WebGL2RenderingContext | null;

  constructor(private readonly map: MapLibre) {
    this.canvas = document.createElement('canvas');
    this.canvas.className = 'units-canvas';
    map.getCanvas().after(this.canvas);
    this.gl = this.canvas.getContext('webgl2', {
      alpha: true,
      premultipliedAlpha: true,
      antialias: false,
      depth: false,
      stencil: false,
      // nothing reads these pixels back: the browser may swap buffers instead of copying them
      preserveDrawingBuffer: false,
    });
    this.fit();
  }

  /** Matches the map canvas's size in device pixels and on the page; a no-op when it already does (resizing clears the canvas). */
  fit(): void {
    const under = this.map.getCanvas();
    if (this.canvas.width !== under.width) this.canvas.width = under.width;
    if (this.canvas.height !== under.height) this.canvas.height = under.height;
    if (this.canvas.style.width !== under.style.width) this.canvas.style.width = under.style.width;
    if (this.canvas.style.height !== under.style.height) this.canvas.style.height = under.style.height;
  }

  set visible(v: boolean) {
    this.canvas.style.display = v ? '' : 'none';
  }

  remove(): void {
    this.canvas.remove();
  }
}
