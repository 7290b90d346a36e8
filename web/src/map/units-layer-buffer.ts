// The units layer's vertex data on the CPU side: one fixed slot per unit (kept for the
// page's life, so a unit's vertex never moves in the buffer), four floats per slot:
// position relative to an origin (Web Mercator, 0…1 world units), symbol cell, flags.
// Each update writes only what changed and remembers the span of slots it touched,
// so the GPU copy is refreshed with one bufferSubData of that span, not the whole set.

export const STRIDE = 4;
/** flag bits, read by the shaders too (units-layer.ts) */
export const HIDDEN = 1;
export const BREACH = 2;
export const ALERT = 4;
export const SELECTED = 8;

/** Web Mercator of a longitude/latitude, in world units (0…1, y down), as maplibre's MercatorCoordinate. */
export function mercator(lon: number, lat: number): [number, number] {
  const x = (180 + lon) / 360;
  const phi = (Math.max(-85.05112878, Math.min(85.05112878, lat)) * Math.PI) / 180;
  const y = (180 - (180 / Math.PI) * Math.log(Math.tan(Math.PI / 4 + phi / 2))) / 360;
  return [x, y];
}

export class UnitsBuffer {
  data = new Float32Array(STRIDE * 256);
  readonly ids: string[] = [];
  private readonly slotOf = new Map<string, number>();
  private seen = new Uint8Array(256);
  /** slots written since the last takeDirty(), as [from, to) */
  private dirtyFrom = Infinity;
  private dirtyTo = 0;
  /** the array was reallocated: the GPU buffer must be recreated */
  grew = true;
  /** units drawn (not hidden) after the last end() */
  visible = 0;

  /** Positions are stored relative to this origin (world units) so float32 keeps metre precision at street zoom. */
  constructor(readonly origin: [number, number] = [0.5, 0.5]) {}

  get size(): number {
    return this.ids.length;
  }

  slot(id: string): number | undefined {
    return this.slotOf.get(id);
  }

  /** Starts an update: any unit not put() before end() is hidden. */
  begin(): void {
    this.seen.fill(0, 0, this.ids.length);
  }

  put(id: string, lon: number, lat: number, cell: number, flags: number): void {
    let s = this.slotOf.get(id);
    if (s === undefined) {
      s = this.ids.length;
      this.ids.push(id);
      this.slotOf.set(id, s);
      if ((s + 1) * STRIDE > this.data.length) this.grow();
    }
    this.seen[s] = 1;
    const [x, y] = mercator(lon, lat);
    this.write(s, x - this.origin[0], y - this.origin[1], cell, flags & ~HIDDEN);
  }

  /** Ends an update: hides the units not seen; returns the number shown. */
  end(): number {
    let visible = 0;
    for (let s = 0; s < this.ids.length; s++) {
      if (this.seen[s]) visible++;
      else {
        const o = s * STRIDE;
        if (!(this.data[o + 3] & HIDDEN)) this.write(s, this.data[o], this.data[o + 1], this.data[o + 2], this.data[o + 3] | HIDDEN);
      }
    }
    this.visible = visible;
    return visible;
  }

  /** The span of floats to upload, or undefined when nothing changed; resets it. */
  takeDirty(): { from: number; to: number } | undefined {
    if (this.dirtyFrom >= this.dirtyTo) return undefined;
    const span = { from: this.dirtyFrom * STRIDE, to: this.dirtyTo * STRIDE };
    this.dirtyFrom = Infinity;
    this.dirtyTo = 0;
    return span;
  }

  /** World position of a slot (absolute, not relative to the origin). */
  world(s: number): [number, number] {
    return [this.data[s * STRIDE] + this.origin[0], this.data[s * STRIDE + 1] + this.origin[1]];
  }

  flags(s: number): number {
    return this.data[s * STRIDE + 3];
  }

  private write(s: number, x: number, y: number, cell: number, flags: number): void {
    const o = s * STRIDE;
    const d = this.data;
    // Compared as float32, as stored: an unchanged unit costs no upload.
    if (d[o] === Math.fround(x) && d[o + 1] === Math.fround(y) && d[o + 2] === cell && d[o + 3] === flags) return;
    d[o] = x;
    d[o + 1] = y;
    d[o + 2] = cell;
    d[o + 3] = flags;
    if (s < this.dirtyFrom) this.dirtyFrom = s;
    if (s + 1 > this.dirtyTo) this.dirtyTo = s + 1;
  }

  private grow(): void {
    const bigger = new Float32Array(this.data.length * 2);
    bigger.set(this.data);
    this.data = bigger;
    const seen = new Uint8Array(bigger.length / STRIDE);
    seen.set(this.seen);
    this.seen = seen;
    this.grew = true;
  }
}
