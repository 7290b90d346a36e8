// Which unit is under the pointer, without asking maplibre: the units are drawn by our
// own WebGL layer, so their screen positions are projected here and bucketed into a
// grid of square cells. A query looks only at the cells within its radius, so a click
// among 10,000 units reads a handful of them.

export class HitGrid {
  private cols = 0;
  private rows = 0;
  /** per cell, where its entries start in `items` (cols × rows + 1 offsets) */
  private starts = new Int32Array(1);
  private items = new Int32Array(0);
  private xs: Float32Array = new Float32Array(0);
  private ys: Float32Array = new Float32Array(0);

  constructor(readonly cell = 32) {}

  /**
   * Indexes points on a screen of `width` × `height`; `xs`/`ys` are screen pixels, and a
   * point off screen or with `skip(i)` true is left out.
   */
  build(xs: Float32Array, ys: Float32Array, n: number, width: number, height: number, skip: (i: number) => boolean = () => false): void {
    this.cols = Math.max(1, Math.ceil(width / this.cell));
    this.rows = Math.max(1, Math.ceil(height / this.cell));
    this.xs = xs;
    this.ys = ys;
    const cells = this.cols * this.rows;
    const cellOf = new Int32Array(n).fill(-1);
    const counts = new Int32Array(cells + 1);
    for (let i = 0; i < n; i++) {
      const x = xs[i];
      const y = ys[i];
      if (!(x >= 0 && y >= 0 && x < width && y < height) || skip(i)) continue;
      const c = Math.floor(y / this.cell) * this.cols + Math.floor(x / this.cell);
      cellOf[i] = c;
      counts[c + 1]++;
    }
    // Counting sort: offsets, then each point in its cell's run.
    for (let c = 0; c < cells; c++) counts[c + 1] += counts[c];
    this.starts = counts.slice();
    const fill = counts;
    this.items = new Int32Array(this.starts[cells]);
    for (let i = 0; i < n; i++) if (cellOf[i] >= 0) this.items[fill[cellOf[i]]++] = i;
  }

  /** Indexes of the points within `r` pixels of (x, y), nearest first. */
  near(x: number, y: number, r: number): number[] {
    const found: { i: number; d: number }[] = [];
    const c0 = Math.max(0, Math.floor((x - r) / this.cell));
    const c1 = Math.min(this.cols - 1, Math.floor((x + r) / this.cell));
    const r0 = Math.max(0, Math.floor((y - r) / this.cell));
    const r1 = Math.min(this.rows - 1, Math.floor((y + r) / this.cell));
    for (let row = r0; row <= r1; row++)
      for (let col = c0; col <= c1; col++) {
        const c = row * this.cols + col;
        for (let k = this.starts[c]; k < this.starts[c + 1]; k++) {
          const i = this.items[k];
          const d = Math.hypot(this.xs[i] - x, this.ys[i] - y);
          if (d <= r) found.push({ i, d });
        }
      }
    return found.sort((a, b) => a.d - b.d || a.i - b.i).map((f) => f.i);
  }

  /** The nearest point within `r` pixels, or -1. */
  nearest(x: number, y: number, r: number): number {
    return this.near(x, y, r)[0] ?? -1;
  }
}
