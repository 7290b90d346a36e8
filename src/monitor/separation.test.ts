import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import type { SeparationRule } from '../arrangement/types.ts';
import { conflictInterval, type Mover } from '../geo/cpa.ts';
import { Monitor } from './engine.ts';
import type { UnitReport } from './reports.ts';
import { SeparationWatch, type SeparationChange } from './separation.ts';
import { testArrangement } from './testdoc.ts';

// The pruned, event-driven watch against the plainest possible one: after every
// update, every pair's state recomputed from its conflict interval. Units fall
// silent for long stretches (their tracks extrapolated far), so pairs must be
// picked up by the periodic sweep, not only when one of the two reports.
const RULE: SeparationRule = { id: 's', kind: 'separation', between: ['a', 'b'], km: 9.26, m: 300, lookaheadMs: 300_000 };

function report(unit: string, actor: string, t: number, lon: number, lat: number, ve: number, vn: number, alt: number | null, vu = 0): UnitReport {
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
    velocity: { ve, vn, vu },
  };
}

/** Every pair of the two actors' latest fixes, each checked with cpa.ts: the state the watch must be in. */
function naive(fixes: Iterable<UnitReport>, now: number, between = RULE.between): Map<string, string> {
  const state = new Map<string, string>();
  const L = RULE.lookaheadMs / 1000;
  const mover = (r: UnitReport): Mover => ({
    lon: r.lon,
    lat: r.lat,
    alt: r.alt,
    ve: r.velocity!.ve,
    vn: r.velocity!.vn,
    vu: r.velocity!.vu,
    t: r.time / 1000,
  });
  const all = [...fixes];
  for (const a of all) {
    if (a.actor !== between[0]) continue;
    for (const b of all) {
      if (b.actor !== between[1]) continue;
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
    vu: fc.oneof(fc.constant(0), fc.constant(Number.NaN), fc.integer({ min: -20, max: 20 })),
    age: fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 120 })),
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
        // an out-of-order fix (older than the clock) moves from its own time
        const r = report(unit, s.unit % 2 ? 'b' : 'a', t - s.age * 1000, s.lon, s.lat, s.ve, s.vn, s.alt, s.vu);
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
        const want = naive(fixes.values(), t);
        // Pairs within a hair of a boundary may legitimately differ by rounding; there are none at these scales.
        assert.deepEqual([...open].sort(), [...want].sort(), `at ${new Date(t).toISOString()}`);
      }
    }),
    { numRuns: 150 },
  );
});

// The same, through the Monitor as the server drives it: random tracks of both
// sides, reported in rounds, some without altitude or with an unknown climb rate;
// after every report the open separation and loss findings are exactly the pairs
// an all-pairs check of the latest fixes finds.
test("the engine's separation findings are the all-pairs check of the latest fixes", () => {
  const track = fc.record({
    lon: fc.double({ min: 35.6, max: 36.2, noNaN: true }),
    lat: fc.double({ min: 0, max: 0.6, noNaN: true }),
    speed: fc.integer({ min: 0, max: 1500 }),
    heading: fc.double({ min: 0, max: 2 * Math.PI, noNaN: true }),
    alt: fc.option(fc.integer({ min: 4000, max: 6000 }), { nil: null, freq: 3 }),
    vu: fc.oneof(fc.constant(0), fc.constant(Number.NaN), fc.integer({ min: -30, max: 30 })),
  });
  const rule = { id: 's', kind: 'separation', between: ['a', 'b'], km: 9.26, m: 300, lookahead: 'PT5M' };
  const arrangement = testArrangement([rule]);
  fc.assert(
    fc.property(
      fc.constantFrom(32.9, 60),
      fc.array(fc.tuple(fc.integer({ min: 0, max: 19 }), track, fc.integer({ min: 0, max: 400 })), { minLength: 1, maxLength: 80 }),
      (lat0, steps) => {
        const monitor = new Monitor(arrangement);
        const latest = new Map<string, UnitReport>();
        let t = Date.UTC(2025, 11, 27);
        let n = 0;
        for (const [u, k, dt] of steps) {
          t += dt * 1000;
          const unit = `u${u}`;
          const r = report(unit, u % 2 ? 'b' : 'a', t, k.lon, lat0 + k.lat, k.speed * Math.sin(k.heading), k.speed * Math.cos(k.heading), k.alt, k.vu);
          r.id = `r${n++}`;
          monitor.push(r);
          latest.set(unit, r);
          const open = new Map<string, string>();
          for (const f of monitor.openNow()) if (f.finding === 'separation' || f.finding === 'loss') open.set(f.units!.join('|'), f.finding);
          assert.deepEqual([...open].sort(), [...naive(latest.values(), t, ['a', 'b'])].sort(), `at ${new Date(t).toISOString()}`);
        }
      },
    ),
    { numRuns: 150 },
  );
});
