// Shared shape of benchmark results. Each suite returns rows; bench/run.ts prints
// them as one table and writes bench/results.json. A row compares our figure
// with an anchor measured in the same run (or a published figure, marked so).

export interface BenchRow {
  suite: string;
  /** what was measured, e.g. "zone lookups, southern-Syria zones" */
  case: string;
  /** our figure */
  value: number;
  unit: string;
  /** the anchor beside it: measured in the same run unless `published` */
  anchor?: { name: string; value: number; published?: boolean };
  /** value / anchor.value, or anchor.value / value for "lower is better" units; > 1 means we are faster */
  ratio?: number;
  /** the target, in words, and whether this run met it */
  target?: string;
  met?: boolean;
  /** anything a reader needs to interpret the row (sizes, agreement checks) */
  note?: string;
}

export type Suite = () => Promise<BenchRow[]>;

/** Runs fn repeatedly for at least minMs and returns operations per second. */
export function opsPerSecond(fn: () => number, minMs = 1000): number {
  let ops = 0;
  const t0 = performance.now();
  let t = t0;
  while (t - t0 < minMs) {
    ops += fn();
    t = performance.now();
  }
  return (ops * 1000) / (t - t0);
}
