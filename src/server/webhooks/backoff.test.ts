import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { retryDelayMs } from './backoff.ts';

test('delays double from the base, are stretched by at most a quarter, and stop at the cap', () => {
  const p = { baseMs: 1000, capMs: 60_000 };
  assert.deepEqual(
    [1, 2, 3, 4].map((n) => retryDelayMs(n, p, () => 0)),
    [1000, 2000, 4000, 8000],
  );
  assert.equal(
    retryDelayMs(20, p, () => 0),
    60_000,
  );
  fc.assert(
    fc.property(fc.integer({ min: 1, max: 40 }), fc.double({ min: 0, max: 0.999, noNaN: true }), fc.double({ min: 0, max: 0.999, noNaN: true }), (n, a, b) => {
      const d = retryDelayMs(n, p, () => a);
      assert.ok(d >= Math.min(60_000, 1000 * 2 ** (n - 1)) && d <= 1.25 * Math.min(60_000, 1000 * 2 ** (n - 1)) + 1);
      // Jitter never makes a later wait shorter than an earlier one, below the cap.
      if (1000 * 2 ** n <= 60_000) assert.ok(retryDelayMs(n + 1, p, () => b) > d);
    }),
  );
});
