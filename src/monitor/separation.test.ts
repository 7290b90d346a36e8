import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { conflictInterval, type Mover } from '../geo/cpa.ts';
import type { SeparationRule } from '../arrangement/types.ts';
import type { UnitReport } from './reports.ts';
import { SeparationWatch, type SeparationChange } from './separation.ts';

// The pruned, event-driven watch against the plainest possible one: after every
// update, every pair's state recomputed from its conflict interval. Units fall
// silent for long stretches (their tracks extrapolated far), so pairs must be
// picked up by the periodic sweep, not only when one of the two reports.
const RULE: SeparationRule = { id: 's', kind: 'separation', between: ['a', 'b'], km: 9.26, m: 300, lookaheadMs: 300_000 };

function report(unit: string, actor: string, t: number, lon: number, lat: number, ve: number, vn: number, alt: number | null): UnitReport {
  return {
    type: 'track',
    id: `${unit}@${t}`,
    time: t,
    unit,
    actor,
    category: 'army',
    withdrawn: false,
    lon,
    lat,
    alt,
    holdings: {},
    attrs: null,
    velocity: { ve, vn, vu: 0 },
  };
}

function naive(fixes: Map<string, UnitReport>, now: number): Map<string, string> {
  const state = new Map<string, string>();
  const L = RULE.lookaheadMs / 1000;
  const mover = (r: UnitReport): Mover => ({ lon: r.lon, lat: r.lat, alt: r.alt, ve: r.velocity!.ve, vn: r.velocity!.vn, vu: 0, t: r.time / 1000 });
  for (const a of fixes.values()) {
    if (a.actor !== 'a') continue;
    for (const b of fixes.values()) {
      if (b.actor !== 'b') continue;
      const iv = conflictInterval(mover(a), mover(b), RULE.km, RULE.m);
      const t = now / 1000;
      if (!iv) continue;
      if (t >= iv.from && t <= iv.to) state.set(`${a.unit}|${b.unit}`, 'loss');
      else if (t < iv.from && t >= iv.from - L) state.set(`${a.unit}|${b.unit}`, 'separation');
    }
  }
  return state;
}

test('the pruned separation watch agrees with recomputing every pair at every step', () => {
  const step = fc.record({
    unit: fc.integer({ min: 0, max: 29 }),
    dt: fc.oneof(fc.integer({ min: 1, max: 60 }), fc.integer({ min: 60, max: 900 })),
    lon: fc.double({ min: 35.8, max: 36.1, noNaN: true }),
    lat: fc.double({ min: 33.2, max: 33.45, noNaN: true }),
    ve: fc.integer({ min: -300, max: 300 }),
    vn: fc.integer({ min: -300, max: 300 }),
    alt: fc.option(fc.integer({ min: 5000, max: 6000 }), { nil: null }),
  });
  fc.assert(
    fc.property(fc.array(step, { minLength: 1, maxLength: 150 }), (steps) => {
      const watch = new SeparationWatch(RULE);
      const fixes = new Map<string, UnitReport>();
      const open = new Map<string, string>();
      let t = Date.UTC(2025, 11, 27);
      const out: SeparationChange[] = [];
      for (const s of steps) {
        t += s.dt * 1000;
        const unit = `u${s.unit}`;
        const r = report(unit, s.unit % 2 ? 'b' : 'a', t, s.lon, s.lat, s.ve, s.vn, s.alt);
        fixes.set(unit, r);
        watch.update(unit, r, t, out);
        watch.advance(t, out);
        for (const c of out) {
          const k = c.units.join('|');
          if (c.state === 'open') open.set(k, c.finding);
          else {
            assert.equal(open.get(k), c.finding, `closing ${c.finding} ${k} that was not open`);
            open.delete(k);
          }
        }
        out.length = 0;
        const want = naive(fixes, t);
        // Pairs within a hair of a boundary may legitimately differ by rounding; there are none at these scales.
        assert.deepEqual([...open].sort(), [...want].sort(), `at ${new Date(t).toISOString()}`);
      }
    }),
    { numRuns: 150 },
  );
});
