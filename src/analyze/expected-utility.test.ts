import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { type Actor, probabilities } from './expected-utility.ts';

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
