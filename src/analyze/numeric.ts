// One-dimensional search used on curve frontiers: a dense grid to find the right
// neighbourhood (curves need not be concave), then golden section or bisection inside
// it to well past the spec's 1e-6.

export const GRID = 4096;

/** The grid lo, …, hi with n intervals. */
export function grid(lo: number, hi: number, n = GRID): number[] {
  return Array.from({ length: n + 1 }, (_, i) => (i === n ? hi : lo + ((hi - lo) * i) / n));
}

/** Maximises h on [a, b], assuming it is unimodal there (golden-section search). */
export function goldenMax(h: (x: number) => number, a: number, b: number, tol = 1e-13): number {
  const g = (Math.sqrt(5) - 1) / 2;
  let c = b - g * (b - a);
  let d = a + g * (b - a);
  let hc = h(c);
  let hd = h(d);
  while (b - a > tol) {
    if (hc >= hd) {
      b = d;
      d = c;
      hd = hc;
      c = b - g * (b - a);
      hc = h(c);
    } else {
      a = c;
      c = d;
      hc = hd;
      d = a + g * (b - a);
      hd = h(d);
    }
  }
  return (a + b) / 2;
}

/** The argmax of h over [lo, hi]: the best grid point, refined between its neighbours. */
export function maximise(h: (x: number) => number, lo: number, hi: number): number {
  const xs = grid(lo, hi);
  let best = 0;
  let hb = Number.NEGATIVE_INFINITY;
  xs.forEach((x, i) => {
    const v = h(x);
    if (v > hb) {
      hb = v;
      best = i;
    }
  });
  const a = xs[Math.max(0, best - 1)];
  const b = xs[Math.min(xs.length - 1, best + 1)];
  const x = goldenMax(
    (t) => {
      const v = h(t);
      return Number.isNaN(v) ? Number.NEGATIVE_INFINITY : v;
    },
    a,
    b,
  );
  return h(x) >= hb ? x : xs[best];
}

/** With ok(a) true and ok(b) false, the boundary between them to within tol. */
export function bisect(ok: (x: number) => boolean, a: number, b: number, tol = 1e-14): number {
  while (Math.abs(b - a) > tol) {
    const m = (a + b) / 2;
    if (m === a || m === b) break;
    if (ok(m)) a = m;
    else b = m;
  }
  return a;
}

/** The largest x in [lo, hi] with ok(x), found on the grid and refined; undefined if none. */
export function lastTrue(ok: (x: number) => boolean, lo: number, hi: number): number | undefined {
  const xs = grid(lo, hi);
  for (let i = xs.length - 1; i >= 0; i--) {
    if (ok(xs[i])) return i === xs.length - 1 ? xs[i] : bisect(ok, xs[i], xs[i + 1]);
  }
  return undefined;
}
