import { test } from 'node:test';
import assert from 'node:assert/strict';
import { weightedMean, weightedMedian } from './weighted.ts';

test('weighted median: the lowest position where the cumulative weight reaches half', () => {
  // Weights 1, 1, 3 at 10, 20, 30: cumulative 1, 2, 5 of 5; half is 2.5, reached at 30.
  assert.equal(
    weightedMedian([
      { position: 20, weight: 1 },
      { position: 30, weight: 3 },
      { position: 10, weight: 1 },
    ]),
    30,
  );
  // Equal weights at 10, 20, 30, 40: cumulative 1, 2 of 4 reaches half exactly at 20 (the lower median).
  assert.equal(weightedMedian([10, 40, 30, 20].map((position) => ({ position, weight: 1 }))), 20);
  // A tie in position: two voters at 20 together carry it (1 + 2 + 2 of 6: 3 reached at 20).
  assert.equal(
    weightedMedian([
      { position: 10, weight: 1 },
      { position: 20, weight: 2 },
      { position: 20, weight: 2 },
      { position: 90, weight: 1 },
    ]),
    20,
  );
  // A single stakeholder is its own median, whatever its weight.
  assert.equal(weightedMedian([{ position: 42, weight: 0.01 }]), 42);
  // Weight that does not reach half by the first position moves the median on.
  assert.equal(
    weightedMedian([
      { position: 0, weight: 0.49 },
      { position: 100, weight: 0.51 },
    ]),
    100,
  );
  assert.equal(weightedMedian([{ position: 5, weight: 0 }]), undefined);
});

test('weighted mean on hand-computed cases', () => {
  // (10·1 + 20·1 + 30·3) / 5 = 24
  assert.equal(
    weightedMean([
      { position: 10, weight: 1 },
      { position: 20, weight: 1 },
      { position: 30, weight: 3 },
    ]),
    24,
  );
  // Equal weights: the plain mean.
  assert.ok(Math.abs(weightedMean([10, 20, 60].map((position) => ({ position, weight: 0.7 })))! - 30) < 1e-12);
  assert.equal(weightedMean([{ position: 42, weight: 2 }]), 42);
  // Zero weight does not pull: (0·0 + 100·1) / 1.
  assert.equal(
    weightedMean([
      { position: 0, weight: 0 },
      { position: 100, weight: 1 },
    ]),
    100,
  );
});
