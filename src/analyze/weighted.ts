// The two simplest forecasts: where the weight of the stakeholders lies. Weights are
// salience × capability (docs/spec/analytics.md).

export interface Voter {
  position: number;
  weight: number;
}

/**
 * The median voter: the lowest position at which the cumulative weight, in order of
 * position, reaches at least half of the total. Undefined when the total weight is 0.
 */
export function weightedMedian(voters: Voter[]): number | undefined {
  const total = voters.reduce((s, v) => s + v.weight, 0);
  if (!(total > 0)) return undefined;
  const sorted = [...voters].sort((a, b) => a.position - b.position);
  let cumulative = 0;
  for (const v of sorted) {
    cumulative += v.weight;
    // Compared as 2·cumulative ≥ total so that an exact half is not lost to rounding.
    if (2 * cumulative >= total * (1 - 1e-12)) return v.position;
  }
  return sorted[sorted.length - 1].position;
}

export function weightedMean(voters: Voter[]): number | undefined {
  const total = voters.reduce((s, v) => s + v.weight, 0);
  if (!(total > 0)) return undefined;
  return voters.reduce((s, v) => s + v.weight * v.position, 0) / total;
}
