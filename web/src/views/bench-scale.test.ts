import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { domainOf, linear, num, ticks } from './bench-scale.ts';

test('linear maps the domain onto the range, ends to ends, and the middle to the middle', () => {
  fc.assert(
    fc.property(fc.integer({ min: -1e6, max: 1e6 }), fc.integer({ min: 1, max: 1e6 }), (lo, span) => {
      const s = linear([lo, lo + span], [40, 520]);
      assert.ok(Math.abs(s(lo) - 40) < 1e-6);
      assert.ok(Math.abs(s(lo + span) - 520) < 1e-6);
      assert.ok(Math.abs(s(lo + span / 2) - 280) < 1e-6);
    }),
  );
});

test('domainOf covers every value with a margin, and keeps the 0–100 floor when the values fit it', () => {
  fc.assert(
    fc.property(fc.array(fc.integer({ min: -1e6, max: 1e6 }), { minLength: 1, maxLength: 20 }), (hundredths) => {
      const vs = hundredths.map((v) => v / 100);
      const [lo, hi] = domainOf(vs);
      for (const v of vs) assert.ok(lo < v && v < hi, `${v} in (${lo}, ${hi})`);
    }),
  );
  assert.deepEqual(domainOf([10, 85], [0, 100]), [0, 100]);
  const wide = domainOf([-20, 85], [0, 100]);
  assert.ok(wide[0] < -20 && wide[1] > 100);
});

test('ticks are round, evenly spaced and inside the domain', () => {
  assert.deepEqual(ticks([0, 100]), [0, 20, 40, 60, 80, 100]);
  assert.deepEqual(ticks([1.6, 2.9]), [1.6, 1.8, 2, 2.2, 2.4, 2.6, 2.8]);
  assert.deepEqual(ticks([0, 1], 4), [0, 0.2, 0.4, 0.6, 0.8, 1]);
  const t = ticks([236, 1264]);
  assert.ok(t.every((v) => v >= 236 && v <= 1264 && v % 200 === 0));
  assert.equal(num(0.6707650273), '0.67');
  assert.equal(num(2.5), '2.5');
});
