// The bench's pictures map model numbers to drawing coordinates here, in one place, so
// that what is drawn can be checked against the numbers (bench-scale.test.ts, and the
// browser test reads the same domain and range off the drawn SVG).

export interface Scale {
  /** the model values at the two ends */
  domain: [number, number];
  /** the drawing coordinates of the two ends */
  range: [number, number];
  (v: number): number;
}

export function linear(domain: [number, number], range: [number, number]): Scale {
  const [d0, d1] = domain;
  const [r0, r1] = range;
  const span = d1 - d0 || 1;
  const f = ((v: number) => r0 + ((v - d0) / span) * (r1 - r0)) as Scale;
  f.domain = domain;
  f.range = range;
  return f;
}

/**
 * A domain covering every value with a margin, widened to `floor` when given (the
 * forecast's 0–100 convention), so that a mark never sits on the picture's edge.
 */
export function domainOf(values: number[], floor?: [number, number]): [number, number] {
  let lo = Math.min(...values, ...(floor ? [floor[0]] : []));
  let hi = Math.max(...values, ...(floor ? [floor[1]] : []));
  if (!Number.isFinite(lo) || !Number.isFinite(hi)) return [0, 1];
  if (lo === hi) {
    lo -= 1;
    hi += 1;
  }
  if (floor && lo >= floor[0] && hi <= floor[1]) return [lo, hi];
  const pad = (hi - lo) * 0.08;
  return [lo - pad, hi + pad];
}

/** Round tick values (1, 2 or 5 × a power of ten apart), about `count` of them, inside the domain. */
export function ticks(domain: [number, number], count = 5): number[] {
  const [lo, hi] = domain;
  const raw = (hi - lo) / Math.max(1, count);
  if (!(raw > 0) || !Number.isFinite(raw)) return [lo];
  const mag = 10 ** Math.floor(Math.log10(raw));
  // The step whose tick count comes nearest the count asked for.
  const steps = [1, 2, 5, 10].map((m) => m * mag);
  const step = steps.reduce((best, s) => (Math.abs((hi - lo) / s - count) < Math.abs((hi - lo) / best - count) ? s : best));
  const out: number[] = [];
  for (let v = Math.ceil(lo / step) * step; v <= hi + step * 1e-9; v += step) out.push(Number(v.toPrecision(12)));
  return out;
}

/** A number as the bench shows it: at most `digits` decimals, no trailing zeros. */
export function num(v: number, digits = 2): string {
  return String(Number(v.toFixed(digits)));
}
