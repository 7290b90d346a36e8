// The units, drawn by our own WebGL code instead of a GeoJSON source: handing maplibre
// 10,000 features every second makes it re-tile them in its worker and re-upload every
// bucket, which held the page near 1 frame a second. Each unit is one point sprite in a
// vertex buffer that keeps a slot per unit; an update rewrites only the slots that
// changed (one bufferSubData of their span). The sprites go to the units' own canvas
// over the map (units-canvas.ts), so an update redraws that canvas alone and never
// asks maplibre for a repaint.
//
// This class is still a maplibre custom layer, but one that draws nothing into the
// map: maplibre calls its render() in every frame the map paints (the camera moved,
// the window resized), with the matrix of that frame, and the units are redrawn there,
// in the same task, so they never lag the map by a frame. Pitch and bearing come with
// that matrix.
import type { CustomLayerInterface, CustomRenderMethodInput, Map as MapLibre } from 'maplibre-gl';
import type { SymbolAtlas } from './symbols.ts';
import { UnitsCanvas } from './units-canvas.ts';
import { UnitsProgram } from './units-canvas-program.ts';
import { BREACH, HIDDEN, UnitsBuffer } from './units-layer-buffer.ts';

/** A unit's symbol size on screen, in CSS pixels, at a zoom: as the circles it replaces, a little larger to carry a frame. */
export function symbolSize(zoom: number): number {
  return Math.max(9, Math.min(30, 9 + (zoom - 5) * 2.2));
}

const sameMatrix = (a: Float64Array | undefined, b: ArrayLike<number>) => {
  if (!a) return false;
  for (let i = 0; i < 16; i++) if (a[i] !== b[i]) return false;
  return true;
};

export class UnitsLayer implements CustomLayerInterface {
  readonly id = 'units-gl';
  readonly type = 'custom' as const;
  readonly renderingMode = '2d' as const;
  readonly buffer: UnitsBuffer;
  /** units submitted to the last draw call and not hidden: what the tests check against the posture */
  drawn = 0;
  /** the units' canvas redraws so far (the measurement reports them beside the map's) */
  paints = 0;
  private map?: MapLibre;
  private overlay?: UnitsCanvas;
  private program?: UnitsProgram;
  /** the last map frame's world → clip matrix (float64, absolute world units) */
  private matrix?: Float64Array;
  /** the buffer or the halos changed since the last paint */
  private dirty = true;
  private shown = true;
  private frame = 0;
  private pulseTimer: ReturnType<typeof setInterval> | undefined;

  constructor(
    private readonly atlas: SymbolAtlas,
    origin: [number, number],
  ) {
    this.buffer = new UnitsBuffer(origin);
  }

  onAdd(map: MapLibre): void {
    this.map = map;
    this.overlay = new UnitsCanvas(map);
    if (this.overlay.gl) this.program = new UnitsProgram(this.overlay.gl, this.atlas);
    this.buffer.grew = true;
    this.dirty = true;
  }

  onRemove(): void {
    this.pulse(false);
    cancelAnimationFrame(this.frame);
    this.frame = 0;
    this.program?.dispose();
    this.overlay?.remove();
    this.program = undefined;
    this.overlay = undefined;
    this.map = undefined;
  }

  /** The buffer changed (after buffer.begin/put/end): redraw the units' canvas in the next frame. */
  changed(): void {
    let halos = false;
    for (let s = 0; s < this.buffer.size && !halos; s++) halos = (this.buffer.flags(s) & (BREACH | HIDDEN)) === BREACH;
    this.pulse(halos);
    this.dirty = true;
    this.paintSoon();
  }

  /** Shows or hides the units' canvas (hidden while the GeoJSON baseline draws the units). */
  show(on: boolean): void {
    this.shown = on;
    if (this.overlay) this.overlay.visible = on;
    if (on) {
      this.dirty = true;
      this.paintSoon();
    }
  }

  /** Breach halos pulse: the units' canvas alone redrawn eight times a second while any is shown, never otherwise. */
  private pulse(on: boolean): void {
    if (on && this.pulseTimer === undefined)
      this.pulseTimer = setInterval(() => {
        this.dirty = true;
        this.paintSoon();
      }, 125);
    if (!on && this.pulseTimer !== undefined) {
      clearInterval(this.pulseTimer);
      this.pulseTimer = undefined;
    }
  }

  private paintSoon(): void {
    if (this.frame) return;
    this.frame = requestAnimationFrame(() => {
      this.frame = 0;
      this.paint();
    });
  }

  /** maplibre painted a frame: the camera may have moved, so redraw with its matrix (skipped when neither it nor the units changed). */
  render(_gl: WebGL2RenderingContext | WebGLRenderingContext, options: CustomRenderMethodInput): void {
    const m = options.defaultProjectionData.mainMatrix as ArrayLike<number>;
    if (sameMatrix(this.matrix, m) && !this.dirty) return;
    this.matrix = Float64Array.from(m);
    this.dirty = true;
    cancelAnimationFrame(this.frame);
    this.frame = 0;
    this.paint();
  }

  private paint(): void {
    const m = this.matrix;
    if (!this.program || !this.overlay || !this.map || !m || !this.shown || !this.dirty) return;
    this.dirty = false;
    this.overlay.fit();
    const b = this.buffer;
    this.program.upload(b);
    // Positions are relative to the buffer's origin: fold the origin into the matrix in
    // float64, so the GPU multiplies small numbers and keeps its precision at street zoom.
    const [ox, oy] = b.origin;
    const rel = new Float32Array(m);
    for (let r = 0; r < 4; r++) rel[12 + r] = m[r] * ox + m[4 + r] * oy + m[12 + r];
    // Between half and full strength: at its faintest a halo still reads red on pale land.
    const pulse = 0.75 + 0.25 * Math.sin((performance.now() / 1000) * Math.PI * 2);
    this.program.draw(rel, symbolSize(this.map.getZoom()) * this.map.getPixelRatio(), pulse, b.size);
    this.drawn = b.visible;
    this.paints++;
  }

  /** Screen position (CSS pixels) of every slot, from the last frame's matrix; NaN for hidden units. */
  screen(): { xs: Float32Array; ys: Float32Array; n: number } {
    const n = this.buffer.size;
    const xs = new Float32Array(n).fill(Number.NaN);
    const ys = new Float32Array(n).fill(Number.NaN);
    const m = this.matrix;
    const canvas = this.map?.getCanvas();
    if (!m || !canvas) return { xs, ys, n };
    const w = canvas.clientWidth;
    const h = canvas.clientHeight;
    for (let s = 0; s < n; s++) {
      if (this.buffer.flags(s) & HIDDEN) continue;
      const [x, y] = this.buffer.world(s);
      const cw = m[3] * x + m[7] * y + m[15];
      xs[s] = ((m[0] * x + m[4] * y + m[12]) / cw + 1) * 0.5 * w;
      ys[s] = (1 - (m[1] * x + m[5] * y + m[13]) / cw) * 0.5 * h;
    }
    return { xs, ys, n };
  }
}
