import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { type Actor, expectedUtility, playRound, probabilities, riskExponents } from './expected-utility.ts';

/** The vote count as the model states it: n³, one voter at a time. */
function direct(actors: Actor[]): number[][] {
  return actors.map((ai) =>
    actors.map((aj) => {
      if (ai.x === aj.x) return 0;
      let forI = 0;
      let all = 0;
      for (const k of actors) {
        const v = k.c * k.s * (Math.abs(k.x - aj.x) - Math.abs(k.x - ai.x));
        if (v > 0) forI += v;
        all += Math.abs(v);
      }
      return all === 0 ? 0 : forI / all;
    }),
  );
}

test('the prefix-sum vote shares equal the voter-by-voter count (ties in position, voters at midpoints, zero salience)', () => {
  // Positions on a coarse grid, so that shared positions and voters exactly at a midpoint are common.
  const actor = fc.record({ x: fc.integer({ min: 0, max: 20 }).map((n) => n * 5), c: fc.integer({ min: 1, max: 100 }), s: fc.constantFrom(0, 0.25, 0.5, 1) });
  fc.assert(
    fc.property(fc.array(actor, { minLength: 2, maxLength: 15 }), (actors) => {
      const fast = probabilities(actors);
      const slow = direct(actors);
      for (let i = 0; i < actors.length; i++) {
        for (let j = 0; j < actors.length; j++) assert.ok(Math.abs(fast[i][j] - slow[i][j]) < 1e-9, `P[${i}][${j}]: ${fast[i][j]} vs ${slow[i][j]}`);
      }
    }),
    { numRuns: 300 },
  );
});

test('the round’s unrolled expected utilities equal the model’s formula', () => {
  const actor = fc.record({ x: fc.integer({ min: 0, max: 100 }), c: fc.integer({ min: 1, max: 100 }), s: fc.double({ min: 0, max: 1, noNaN: true }) });
  fc.assert(
    fc.property(fc.array(actor, { minLength: 2, maxLength: 12 }), (actors) => {
      const xs = actors.map((a) => a.x);
      const range = Math.max(...xs) - Math.min(...xs);
      if (range === 0) return;
      const P = probabilities(actors);
      const r = riskExponents(actors, P, range);
      const { expected } = playRound(actors, range);
      for (let i = 0; i < actors.length; i++) {
        for (let j = 0; j < actors.length; j++) {
          if (i === j || actors[i].x === actors[j].x) continue;
          const want = expectedUtility(actors, P, range, i, j, r[i]);
          assert.ok(Math.abs(expected[i][j] - want) < 1e-9, `EU[${i}][${j}]: ${expected[i][j]} vs ${want}`);
        }
      }
    }),
    { numRuns: 200 },
  );
});

test('risk exponents follow the danger sums, from 0.5 (most endangered) to 2 (safest)', () => {
  const actors: Actor[] = [
    { x: 0, c: 10, s: 0.9 },
    { x: 40, c: 5, s: 0.3 },
    { x: 100, c: 30, s: 0.6 },
  ];
  const P = probabilities(actors);
  const r = riskExponents(actors, P, 100);
  // The closed form used for the danger sums agrees with the general formula at r = 1.
  const danger = actors.map((_, i) => actors.reduce((sum, __, j) => (j === i ? sum : sum + expectedUtility(actors, P, 100, j, i, 1)), 0));
  const [lo, hi] = [Math.min(...danger), Math.max(...danger)];
  danger.forEach((d, i) => {
    const R = (2 * d - hi - lo) / (hi - lo);
    assert.ok(Math.abs(r[i] - (1 - R / 3) / (1 + R / 3)) < 1e-12);
  });
  assert.ok(Math.abs(Math.min(...r) - 0.5) < 1e-12 && Math.abs(Math.max(...r) - 2) < 1e-12);
});
