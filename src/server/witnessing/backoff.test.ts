import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { backoffMs, DEFAULT_MAX_BACKOFF_MS } from './backoff.ts';

test('backoff doubles from the first delay and never passes the cap', () => {
  assert.equal(backoffMs(0), 0);
  assert.equal(backoffMs(1, 100, 10_000), 100);
  assert.equal(backoffMs(2, 100, 10_000), 200);
  assert.equal(backoffMs(8, 100, 10_000), 10_000);
  fc.assert(
    fc.property(fc.integer({ min: 1, max: 10_000 }), (n) => {
      const d = backoffMs(n);
      return d > 0 && d <= DEFAULT_MAX_BACKOFF_MS && backoffMs(n + 1) >= d;
    }),
  );
});
