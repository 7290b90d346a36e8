// Hand-worked cases: a small arrangement, a report stream and the transitions the spec
// (arrangement.md, reports.md) and docs/semantics.md call for, each worked out by hand
// before any code ran. They check the reference (test/reference/monitor.test.ts) and,
// directly, the engine (test/engine-vs-reference.test.ts).
// Near the equator (lat ≈ 0) a degree is 111.19508 km in both directions, which keeps
// the hand arithmetic honest.

import type { Pos } from './geometry.ts';
import type { RefArrangement, RefRule, RefZone } from './types.ts';

export interface HandCase {
  name: string;
  build: () => { arrangement: RefArrangement; reports: object[]; until: string; expected: object[] };
}

const square = (x0: number, y0: number, x1: number, y1: number): Pos[] => [
  [x0, y0],
  [x1, y0],
  [x1, y1],
  [x0, y1],
  [x0, y0],
];

function doc(
  actors: [string, RefArrangement['actors'][number]['role']][],
  zones: RefZone[],
  rules: RefRule[],
  lines: RefArrangement['lines'] = [],
): RefArrangement {
  return {
    detente: 1,
    id: 'hand',
    title: 'hand-worked case',
    actors: actors.map(([id, role]) => ({ id, name: id.toUpperCase(), role })),
    assets: [{ id: 'troops' }, { id: 'tanks' }, { id: 'artillery' }, { id: 'aircraft' }],
    lines,
    zones,
    rules,
  };
}

const at = (hhmmss: string, day = '2025-01-01'): string => `${day}T${hhmmss}Z`;

export const handCases: HandCase[] = [
  {
    name: 'presence: vertex and hole edge inside, hole outside; posture by time, ties by input; withdrawal',
    build: () => {
      const d = doc(
        [
          ['a', 'party'],
          ['b', 'party'],
          ['obs', 'observer'],
        ],
        [{ id: 'z', geometry: { type: 'Polygon', coordinates: [square(0, 0, 1, 1), square(0.4, 0.4, 0.6, 0.6)] } }],
        [{ id: 'p1', kind: 'presence', zone: 'z', only: ['obs'] }],
      );
      const reports = [
        { type: 'observation', id: 'o1', time: at('10:00:00'), unit: 'a1', actor: 'a', position: [0, 0] },
        { type: 'observation', id: 'o2', time: at('10:05:00'), unit: 'a2', actor: 'a', position: [0.5, 0.5] },
        { type: 'observation', id: 'o3', time: at('10:06:00'), unit: 'a2', actor: 'a', position: [0.4, 0.5] },
        { type: 'observation', id: 'o4', time: at('09:00:00'), unit: 'a1', actor: 'a', position: [5, 5] },
        { type: 'observation', id: 'o5', time: at('10:06:00'), unit: 'a2', actor: 'a', position: [0.5, 0.5] },
        { type: 'observation', id: 'o6', time: at('10:10:00'), unit: 'a1', actor: 'a', position: [0, 0], status: 'withdrawn' },
        { type: 'observation', id: 'o7', time: at('10:20:00'), unit: 'u1', actor: 'obs', position: [0.2, 0.2] },
        { type: 'observation', id: 'o8', time: at('10:30:00'), unit: 'b1', actor: 'b', category: 'police', position: [1, 0.5] },
        // Out of order, for a unit with no posture yet: it applies, with its own time.
        { type: 'observation', id: 'o9', time: at('10:25:00'), unit: 'b2', actor: 'b', position: [0.9, 0.9] },
      ];
      const open = (time: string, report: string, unit: string, actor: string, category = 'army') => ({
        finding: 'violation',
        state: 'open',
        rule: 'p1',
        kind: 'presence',
        time: at(time),
        report,
        actor,
        zone: 'z',
        units: [unit],
        category,
      });
      return {
        arrangement: d,
        reports,
        until: at('12:00:00'),
        expected: [
          open('10:00:00', 'o1', 'a1', 'a'),
          open('10:06:00', 'o3', 'a2', 'a'),
          { ...open('10:06:00', 'o5', 'a2', 'a'), state: 'closed' },
          { ...open('10:10:00', 'o6', 'a1', 'a'), state: 'closed' },
          open('10:30:00', 'o8', 'b1', 'b', 'police'),
          open('10:25:00', 'o9', 'b2', 'b'),
        ],
      };
    },
  },
  {
    name: 'presence: categories are forbidden alongside forbid (the spec says "or")',
    build: () => {
      const d = doc(
        [
          ['a', 'party'],
          ['b', 'party'],
        ],
        [{ id: 'z', geometry: { type: 'Polygon', coordinates: [square(0, 0, 1, 1)] } }],
        [{ id: 'p', kind: 'presence', zone: 'z', forbid: ['a'], categories: ['police'] }],
      );
      const reports = [
        { type: 'observation', id: 'o1', time: at('10:00:00'), unit: 'b1', actor: 'b', category: 'police', position: [0.5, 0.5] },
        { type: 'observation', id: 'o2', time: at('10:01:00'), unit: 'b2', actor: 'b', position: [0.5, 0.5] },
        { type: 'observation', id: 'o3', time: at('10:02:00'), unit: 'a1', actor: 'a', category: 'police', position: [0.5, 0.5] },
        // Still forbidden after changing category: one open, no transition.
        { type: 'observation', id: 'o4', time: at('10:03:00'), unit: 'b2', actor: 'b', category: 'navy', position: [0.6, 0.5] },
        { type: 'observation', id: 'o5', time: at('10:04:00'), unit: 'b2', actor: 'b', category: 'police', position: [0.6, 0.5] },
      ];
      const v = (state: string, time: string, report: string, unit: string, actor: string, category: string) => ({
        finding: 'violation',
        state,
        rule: 'p',
        kind: 'presence',
        time: at(time),
        report,
        actor,
        zone: 'z',
        units: [unit],
        category,
      });
      return {
        arrangement: d,
        reports,
        until: at('12:00:00'),
        expected: [
          v('open', '10:01:00', 'o2', 'b2', 'b', 'army'),
          v('open', '10:02:00', 'o3', 'a1', 'a', 'police'),
          v('closed', '10:04:00', 'o5', 'b2', 'b', 'army'),
        ],
      };
    },
  },
  {
    name: 'limit: where filters by attrs, max is not exceeded at equality, sum changes while open are silent',
    build: () => {
      const d = doc(
        [
          ['a', 'party'],
          ['b', 'party'],
        ],
        [{ id: 'z', geometry: { type: 'Polygon', coordinates: [square(0, 0, 1, 1)] } }],
        [
          { id: 'l-art', kind: 'limit', zone: 'z', actor: 'a', asset: 'artillery', max: 2, where: { range_km: { gt: 20 } } },
          { id: 'l-tanks', kind: 'limit', zone: 'z', actor: 'a', asset: 'tanks', max: 0 },
        ],
      );
      const reports = [
        {
          type: 'observation',
          id: 'o1',
          time: at('10:00:00'),
          unit: 'a1',
          actor: 'a',
          position: [0.5, 0.5],
          holdings: { artillery: 2, tanks: 0 },
          attrs: { artillery: { range_km: 30 } },
        },
        {
          type: 'observation',
          id: 'o2',
          time: at('10:01:00'),
          unit: 'a2',
          actor: 'a',
          position: [0.2, 0.2],
          holdings: { artillery: 5 },
          attrs: { artillery: { range_km: 20 } },
        },
        {
          type: 'observation',
          id: 'o3',
          time: at('10:02:00'),
          unit: 'a3',
          actor: 'a',
          position: [0.3, 0.3],
          holdings: { artillery: 1, tanks: 1 },
          attrs: { artillery: { range_km: 21 } },
        },
        { type: 'observation', id: 'o4', time: at('10:03:00'), unit: 'b1', actor: 'b', position: [0.3, 0.3], holdings: { tanks: 9 } },
        { type: 'observation', id: 'o4b', time: at('10:03:30'), unit: 'a4', actor: 'a', position: [0.3, 0.3], holdings: { artillery: 7 } },
        {
          type: 'observation',
          id: 'o5',
          time: at('10:04:00'),
          unit: 'a1',
          actor: 'a',
          position: [2, 2],
          holdings: { artillery: 2 },
          attrs: { artillery: { range_km: 30 } },
        },
        { type: 'observation', id: 'o6', time: at('10:05:00'), unit: 'a3', actor: 'a', position: [0.3, 0.3], holdings: {} },
        {
          type: 'observation',
          id: 'o7',
          time: at('10:06:00'),
          unit: 'a2',
          actor: 'a',
          position: [0.2, 0.2],
          holdings: { artillery: 5 },
          attrs: { artillery: { range_km: 25 } },
        },
      ];
      const base = { finding: 'violation', kind: 'limit', actor: 'a', zone: 'z' };
      return {
        arrangement: d,
        reports,
        until: at('12:00:00'),
        expected: [
          { ...base, state: 'open', rule: 'l-art', time: at('10:02:00'), report: 'o3', asset: 'artillery', observed: 3, max: 2, units: ['a1', 'a3'] },
          { ...base, state: 'open', rule: 'l-tanks', time: at('10:02:00'), report: 'o3', asset: 'tanks', observed: 1, max: 0, units: ['a3'] },
          { ...base, state: 'closed', rule: 'l-art', time: at('10:04:00'), report: 'o5' },
          { ...base, state: 'closed', rule: 'l-tanks', time: at('10:05:00'), report: 'o6' },
          { ...base, state: 'open', rule: 'l-art', time: at('10:06:00'), report: 'o7', asset: 'artillery', observed: 5, max: 2, units: ['a2'] },
        ],
      };
    },
  },
  {
    name: 'notice and ack: in time at exactly from − lead, late with lead_s, unnotified, window bounds, acks at the deadline',
    build: () => {
      const d = doc(
        [
          ['a', 'party'],
          ['b', 'party'],
          ['m', 'mediator'],
          ['o', 'observer'],
        ],
        [{ id: 'z', geometry: { type: 'Polygon', coordinates: [square(0, 0, 1, 1)] } }],
        [{ id: 'n', kind: 'notice', actor: 'a', zone: 'z', lead: 'PT1H', ack: 'PT10M' }],
      );
      const obs = (id: string, time: string, unit: string, pos: Pos, actor = 'a', extra: object = {}) => ({
        type: 'observation',
        id,
        time: at(time),
        unit,
        actor,
        position: pos,
        ...extra,
      });
      const reports = [
        { type: 'notification', id: 'n1', time: at('08:00:00'), actor: 'a', zone: 'z', window: { from: at('09:00:00'), to: at('10:00:00') }, units: ['a1'] },
        { type: 'ack', id: 'k1', time: at('08:05:00'), actor: 'b', notification: 'n1' },
        { type: 'ack', id: 'k2', time: at('08:10:00'), actor: 'm', notification: 'n1' },
        { type: 'notification', id: 'n2', time: at('08:30:00'), actor: 'a', zone: 'z', window: { from: at('09:00:00'), to: at('11:00:00') } },
        { type: 'ack', id: 'k3', time: at('08:35:00'), actor: 'o', notification: 'n2' },
        obs('o1', '09:00:00', 'a1', [0.5, 0.5]),
        obs('o2', '09:30:00', 'a2', [0.5, 0.5]),
        { type: 'ack', id: 'k4', time: at('09:40:00'), actor: 'b', notification: 'n2' },
        { type: 'ack', id: 'k5', time: at('10:15:00'), actor: 'm', notification: 'n2' },
        obs('o3', '11:00:00', 'a3', [0.5, 0.5]),
        obs('o4', '11:00:01', 'a4', [0.5, 0.5]),
        obs('o5', '11:30:00', 'a2', [2, 2]),
        obs('o6', '11:40:00', 'a1', [2, 2]),
        obs('o7', '11:45:00', 'a4', [0.5, 0.5], 'a', { status: 'withdrawn' }),
        obs('o8', '11:50:00', 'b1', [0.5, 0.5], 'b'),
        { type: 'notification', id: 'n3', time: at('12:00:00'), actor: 'a', zone: 'z', window: { from: at('13:00:00'), to: at('14:00:00') } },
      ];
      const base = { rule: 'n', kind: 'notice', actor: 'a', zone: 'z' };
      const late = (state: string, time: string, report: string, unit: string) => ({
        ...base,
        finding: 'late-notice',
        state,
        time: at(time),
        report,
        units: [unit],
        notification: 'n2',
        lead_s: 1800,
      });
      const unack = { ...base, finding: 'unacknowledged', notification: 'n2', missing: ['b', 'm'] };
      return {
        arrangement: d,
        reports,
        until: at('12:10:00'),
        expected: [
          { ...unack, state: 'open', time: at('08:40:00'), report: 'o1' },
          late('open', '09:30:00', 'o2', 'a2'),
          { ...unack, state: 'closed', time: at('10:15:00'), report: 'k5' },
          late('open', '11:00:00', 'o3', 'a3'),
          { ...base, finding: 'unnotified', state: 'open', time: at('11:00:01'), report: 'o4', units: ['a4'] },
          late('closed', '11:30:00', 'o5', 'a2'),
          { ...base, finding: 'unnotified', state: 'closed', time: at('11:45:00'), report: 'o7', units: ['a4'] },
          // The end of the stream passes deadlines up to `until` inclusive, with no report.
          { ...base, finding: 'unacknowledged', state: 'open', time: at('12:10:00'), notification: 'n3', missing: ['b', 'm'] },
        ],
      };
    },
  },
  {
    name: 'separation: predicted, then loss (closing the prediction), then cleared by altitude',
    build: () => {
      const d = doc(
        [
          ['x', 'party'],
          ['y', 'party'],
        ],
        [],
        [{ id: 's', kind: 'separation', between: ['x', 'y'], km: 9.26, m: 300, lookahead: 'PT5M' }],
      );
      const reports = [
        {
          type: 'track',
          id: 't1',
          time: at('10:00:00'),
          unit: 'x1',
          actor: 'x',
          kind: 'aircraft',
          position: [0, 0],
          altitude_m: 3000,
          velocity: { east_mps: 100, north_mps: 0, up_mps: 0 },
        },
        {
          type: 'track',
          id: 't2',
          time: at('10:00:00'),
          unit: 'y1',
          actor: 'y',
          kind: 'aircraft',
          position: [0.5, 0.05],
          altitude_m: 3100,
          velocity: { east_mps: -100, north_mps: 0, up_mps: 0 },
        },
        // A ground unit without velocity takes no part, but the clock moves on by 250 s:
        // x1 has flown 25 km east, y1 25 km west; 5.598 km apart east-west, 5.560 km north-south.
        { type: 'observation', id: 'o3', time: at('10:04:10'), unit: 'g1', actor: 'x', position: [1, 1] },
        // An out-of-order report does not turn the clock back (at 09:57 the pair would be far apart).
        { type: 'observation', id: 'o4', time: at('09:57:00'), unit: 'g2', actor: 'x', position: [1, 1] },
        {
          type: 'track',
          id: 't5',
          time: at('10:04:20'),
          unit: 'y1',
          actor: 'y',
          kind: 'aircraft',
          position: [0.266177, 0.05],
          altitude_m: 3400,
          velocity: { east_mps: -100, north_mps: 0, up_mps: 0 },
        },
      ];
      // At 10:00: closing at 0.2 km/s from 55.598 km east, 5.560 km north: closest at
      // 55.598/0.2 = 277.99 s, 5.560 km apart, 100 m vertically; the horizontal conflict
      // (< 9.26 km) starts at (55.598 − 7.405)/0.2 = 240.96 s, within the 300 s lookahead.
      return {
        arrangement: d,
        reports,
        until: at('11:00:00'),
        expected: [
          {
            finding: 'separation',
            state: 'open',
            rule: 's',
            kind: 'separation',
            time: at('10:00:00'),
            report: 't2',
            units: ['x1', 'y1'],
            cpa_s: 277.99,
            cpa_km: 5.5598,
            cpa_m: 100,
          },
          { finding: 'separation', state: 'closed', rule: 's', kind: 'separation', time: at('10:04:10'), report: 'o3', units: ['x1', 'y1'] },
          // Now 7.889 km apart: a loss; closest in 5.598/0.2 = 27.99 s.
          {
            finding: 'loss',
            state: 'open',
            rule: 's',
            kind: 'separation',
            time: at('10:04:10'),
            report: 'o3',
            units: ['x1', 'y1'],
            cpa_s: 27.99,
            cpa_km: 5.5598,
            cpa_m: 100,
          },
          // y1 climbs to 400 m above x1: no vertical conflict at any time.
          { finding: 'loss', state: 'closed', rule: 's', kind: 'separation', time: at('10:04:20'), report: 't5', units: ['x1', 'y1'] },
        ],
      };
    },
  },
  {
    name: 'separation: static tracks, one without altitude: loss now, cpa_m null',
    build: () => {
      const d = doc(
        [
          ['x', 'party'],
          ['y', 'mediator'],
        ],
        [],
        [{ id: 's', kind: 'separation', between: ['x', 'y'], km: 5, m: 300, lookahead: 'PT2M' }],
      );
      const still = { east_mps: 0, north_mps: 0, up_mps: 0 };
      const reports = [
        { type: 'track', id: 't1', time: at('10:00:00'), unit: 'x1', actor: 'x', position: [0, 0], altitude_m: 500, velocity: still },
        { type: 'track', id: 't2', time: at('10:01:00'), unit: 'y1', actor: 'y', position: [0, 0.04], velocity: still },
        { type: 'track', id: 't3', time: at('10:02:00'), unit: 'y1', actor: 'y', position: [0, 0.04], status: 'withdrawn' },
      ];
      return {
        arrangement: d,
        reports,
        until: at('11:00:00'),
        expected: [
          {
            finding: 'loss',
            state: 'open',
            rule: 's',
            kind: 'separation',
            time: at('10:01:00'),
            report: 't2',
            units: ['x1', 'y1'],
            cpa_s: 0,
            cpa_km: 4.4478,
            cpa_m: null,
          },
          { finding: 'loss', state: 'closed', rule: 's', kind: 'separation', time: at('10:02:00'), report: 't3', units: ['x1', 'y1'] },
        ],
      };
    },
  },
  {
    name: 'commitment: due at the first report, fulfilled exactly at the deadline, after+within, overdue between reports',
    build: () => {
      const d = doc(
        [
          ['r', 'mediator'],
          ['i', 'party'],
          ['s', 'party'],
        ],
        [
          { id: 'dep', geometry: { type: 'Polygon', coordinates: [square(0, 0, 1, 1)] } },
          { id: 'aos', geometry: { type: 'Polygon', coordinates: [square(2, 0, 3, 1)] } },
        ],
        [
          { id: 'c1', kind: 'commitment', actor: 'r', due: at('00:00:00', '2025-01-02'), present: { zone: 'dep', asset: 'troops', min: 100 } },
          { id: 'c2', kind: 'commitment', actor: 'i', after: 'c1', within: 'PT6H', absent: { zone: 'aos' } },
          { id: 'c3', kind: 'commitment', actor: 's', due: at('12:00:00'), present: { zone: 'dep' } },
        ],
      );
      const reports = [
        { type: 'observation', id: 'o1', time: at('10:00:00'), unit: 'i1', actor: 'i', position: [2.5, 0.5] },
        { type: 'observation', id: 'o2', time: at('11:00:00'), unit: 'r1', actor: 'r', position: [0.5, 0.5], holdings: { troops: 60 } },
        { type: 'observation', id: 'o3', time: at('12:00:00'), unit: 's1', actor: 's', position: [0.5, 0.5] },
        { type: 'observation', id: 'o4', time: at('13:00:00'), unit: 'r2', actor: 'r', position: [0.2, 0.2], holdings: { troops: 40 } },
        { type: 'observation', id: 'o5', time: at('20:00:00'), unit: 's1', actor: 's', position: [0.6, 0.6] },
      ];
      const c = (rule: string, actor: string, state: string, time: string, report: string) => ({
        finding: 'commitment',
        state,
        rule,
        kind: 'commitment',
        time: at(time),
        report,
        actor,
      });
      return {
        arrangement: d,
        reports,
        until: at('00:00:00', '2025-01-03'),
        expected: [
          c('c1', 'r', 'due', '10:00:00', 'o1'),
          c('c3', 's', 'due', '10:00:00', 'o1'),
          c('c3', 's', 'fulfilled', '12:00:00', 'o3'),
          c('c1', 'r', 'fulfilled', '13:00:00', 'o4'),
          c('c2', 'i', 'due', '13:00:00', 'o4'),
          c('c2', 'i', 'overdue', '19:00:00', 'o5'),
        ],
      };
    },
  },
  {
    name: 'commitment: a chain resolves within one report, output in rule order; overdue at the end has no report',
    build: () => {
      const d = doc(
        [
          ['r', 'mediator'],
          ['i', 'party'],
        ],
        [
          { id: 'dep', geometry: { type: 'Polygon', coordinates: [square(0, 0, 1, 1)] } },
          { id: 'aos', geometry: { type: 'Polygon', coordinates: [square(2, 0, 3, 1)] } },
        ],
        [
          { id: 'later', kind: 'commitment', actor: 'i', after: 'first', within: 'PT1H', absent: { zone: 'aos' } },
          { id: 'first', kind: 'commitment', actor: 'r', due: at('18:00:00'), present: { zone: 'dep', min: 2 } },
          { id: 'never', kind: 'commitment', actor: 'i', due: at('15:00:00'), present: { zone: 'aos', asset: 'tanks' } },
        ],
      );
      const reports = [
        { type: 'observation', id: 'o1', time: at('10:00:00'), unit: 'r1', actor: 'r', position: [0.5, 0.5] },
        { type: 'observation', id: 'o2', time: at('11:00:00'), unit: 'r2', actor: 'r', position: [0.5, 0.5] },
      ];
      const c = (rule: string, actor: string, state: string, time: string, report?: string) => ({
        finding: 'commitment',
        state,
        rule,
        kind: 'commitment',
        time: at(time),
        ...(report ? { report } : {}),
        actor,
      });
      return {
        arrangement: d,
        reports,
        until: at('15:00:00'),
        expected: [
          c('first', 'r', 'due', '10:00:00', 'o1'),
          c('never', 'i', 'due', '10:00:00', 'o1'),
          c('later', 'i', 'due', '11:00:00', 'o2'),
          c('later', 'i', 'fulfilled', '11:00:00', 'o2'),
          c('first', 'r', 'fulfilled', '11:00:00', 'o2'),
          c('never', 'i', 'overdue', '15:00:00'),
        ],
      };
    },
  },
  {
    name: 'inspection: periods from the first report, per zone; one exactly at a deadline; overdue at the end',
    build: () => {
      const d = doc(
        [
          ['o', 'observer'],
          ['a', 'party'],
        ],
        [
          { id: 'z1', geometry: { type: 'Polygon', coordinates: [square(0, 0, 1, 1)] } },
          { id: 'z2', geometry: { type: 'Polygon', coordinates: [square(2, 0, 3, 1)] } },
        ],
        [{ id: 'i', kind: 'inspection', actor: 'o', zones: ['z2', 'z1'], every: 'PT6H' }],
      );
      const reports = [
        { type: 'observation', id: 'o1', time: at('00:00:00'), unit: 'a1', actor: 'a', position: [5, 5] },
        { type: 'inspection', id: 'i1', time: at('05:00:00'), source: 'o', zones: ['z1'], summary: 'ok' },
        { type: 'observation', id: 'o2', time: at('07:00:00'), unit: 'a1', actor: 'a', position: [5, 5] },
        { type: 'inspection', id: 'i2', time: at('08:00:00'), source: 'a', zones: ['z2'], summary: 'not the inspector' },
        { type: 'inspection', id: 'i3', time: at('11:00:00'), source: 'o', zones: ['z2'], summary: 'ok' },
      ];
      const f = (state: string, zone: string, time: string, report?: string) => ({
        finding: 'inspection-overdue',
        state,
        rule: 'i',
        kind: 'inspection',
        time: at(time),
        ...(report ? { report } : {}),
        actor: 'o',
        zone,
      });
      return {
        arrangement: d,
        reports,
        until: at('17:00:00'),
        expected: [
          f('open', 'z2', '06:00:00', 'o2'),
          // z1's deadline 11:00 equals i3's time: checked after i3 (which does not cover z1).
          f('open', 'z1', '11:00:00', 'i3'),
          f('closed', 'z2', '11:00:00', 'i3'),
          f('open', 'z2', '17:00:00'),
        ],
      };
    },
  },
  {
    name: "deadlines before a report come first, by time then rule order, then the report's own",
    build: () => {
      const d = doc(
        [
          ['o', 'observer'],
          ['a', 'party'],
          ['b', 'party'],
        ],
        [{ id: 'z', geometry: { type: 'Polygon', coordinates: [square(0, 0, 1, 1)] } }],
        [
          { id: 'r-insp', kind: 'inspection', actor: 'o', zones: ['z'], every: 'PT6H' },
          { id: 'r-commit', kind: 'commitment', actor: 'a', due: at('05:00:00'), absent: { zone: 'z' } },
          { id: 'r-notice', kind: 'notice', actor: 'a', zone: 'z', lead: 'PT1H', ack: 'PT1H' },
          { id: 'r-presence', kind: 'presence', zone: 'z', forbid: ['b'] },
        ],
      );
      const reports = [
        { type: 'observation', id: 'o1', time: at('00:00:00'), unit: 'a1', actor: 'a', position: [0.5, 0.5] },
        { type: 'notification', id: 'n1', time: at('05:00:00'), actor: 'a', zone: 'z', window: { from: at('08:00:00'), to: at('09:00:00') } },
        { type: 'observation', id: 'o2', time: at('07:00:00'), unit: 'b1', actor: 'b', position: [0.5, 0.5] },
      ];
      return {
        arrangement: d,
        reports,
        until: at('07:00:00'),
        expected: [
          { finding: 'commitment', state: 'due', rule: 'r-commit', kind: 'commitment', time: at('00:00:00'), report: 'o1', actor: 'a' },
          // a1 was new and inside with no notification: unnotified.
          { finding: 'unnotified', state: 'open', rule: 'r-notice', kind: 'notice', time: at('00:00:00'), report: 'o1', actor: 'a', zone: 'z', units: ['a1'] },
          { finding: 'commitment', state: 'overdue', rule: 'r-commit', kind: 'commitment', time: at('05:00:00'), report: 'n1', actor: 'a' },
          { finding: 'inspection-overdue', state: 'open', rule: 'r-insp', kind: 'inspection', time: at('06:00:00'), report: 'o2', actor: 'o', zone: 'z' },
          {
            finding: 'unacknowledged',
            state: 'open',
            rule: 'r-notice',
            kind: 'notice',
            time: at('06:00:00'),
            report: 'o2',
            actor: 'a',
            zone: 'z',
            notification: 'n1',
            missing: ['b'],
          },
          {
            finding: 'violation',
            state: 'open',
            rule: 'r-presence',
            kind: 'presence',
            time: at('07:00:00'),
            report: 'o2',
            actor: 'b',
            zone: 'z',
            units: ['b1'],
            category: 'army',
          },
        ],
      };
    },
  },
  {
    name: "zones: bands by side, a band minus a zone, a band of a zone's edge, altitude bounds inclusive",
    build: () => {
      const q: Pos[] = square(0.05, -0.05, 0.1, 0.05);
      const zones: RefZone[] = [
        { id: 'be', band: { of: 'l', km: [0, 10], side: 'east' } },
        { id: 'bl', band: { of: 'l', km: [0, 10], side: 'left' } }, // the line runs north: left is west
        { id: 'bm', band: { of: 'l', km: [0, 20], side: 'both' }, minus: ['q'] },
        { id: 'ba', geometry: { type: 'Polygon', coordinates: [square(0.4, 0.4, 0.6, 0.6)] }, altitude_m: [1000, 2000] },
        { id: 'bq', band: { of: 'q', km: [0, 3], side: 'both' }, minus: ['q'] },
        { id: 'q', geometry: { type: 'Polygon', coordinates: [q] } },
      ];
      const rules: RefRule[] = ['be', 'bl', 'bm', 'ba', 'bq'].map((z) => ({ id: `p-${z}`, kind: 'presence', zone: z, forbid: ['a'] }));
      const d = doc(
        [
          ['a', 'party'],
          ['b', 'party'],
        ],
        zones,
        rules,
        [
          {
            id: 'l',
            geometry: {
              type: 'LineString',
              coordinates: [
                [0, -1],
                [0, 1],
              ],
            },
          },
        ],
      );
      const obs = (n: number, pos: Pos, alt?: number) => ({
        type: 'observation',
        id: `o${n}`,
        time: at(`10:0${n}:00`),
        unit: `u${n}`,
        actor: 'a',
        position: pos,
        ...(alt === undefined ? {} : { altitude_m: alt }),
      });
      const reports = [
        obs(1, [0.05, 0]), // 5.56 km east; on q's edge, so in q and out of bm and bq
        obs(2, [-0.05, 0]), // 5.56 km west
        obs(3, [0.15, 0]), // 16.68 km east, 5.56 km from q
        obs(4, [0.12, 0]), // 13.34 km east, 2.22 km from q's east edge
        obs(5, [0.5, 0.5], 1500),
        obs(6, [0.5, 0.5]), // no altitude: not in an altitude zone
        obs(7, [0.5, 0.5], 2000), // the upper bound is in
      ];
      const open = (zone: string, n: number) => ({
        finding: 'violation',
        state: 'open',
        rule: `p-${zone}`,
        kind: 'presence',
        time: at(`10:0${n}:00`),
        report: `o${n}`,
        actor: 'a',
        zone,
        units: [`u${n}`],
        category: 'army',
      });
      return {
        arrangement: d,
        reports,
        until: at('12:00:00'),
        expected: [open('be', 1), open('bl', 2), open('bm', 2), open('bm', 3), open('bm', 4), open('bq', 4), open('ba', 5), open('ba', 7)],
      };
    },
  },
  {
    name: 'posture: a report older than a withdrawal does not bring the unit back',
    build: () => {
      const d = doc(
        [
          ['a', 'party'],
          ['obs', 'observer'],
        ],
        [{ id: 'z', geometry: { type: 'Polygon', coordinates: [square(0, 0, 1, 1)] } }],
        [{ id: 'p', kind: 'presence', zone: 'z', only: ['obs'] }],
      );
      const reports = [
        { type: 'observation', id: 'o1', time: at('10:00:00'), unit: 'a1', actor: 'a', position: [0.5, 0.5] },
        { type: 'observation', id: 'o2', time: at('10:10:00'), unit: 'a1', actor: 'a', position: [0.5, 0.5], status: 'withdrawn' },
        // Older than the unit's posture (the withdrawal): changes nothing.
        { type: 'observation', id: 'o3', time: at('10:05:00'), unit: 'a1', actor: 'a', position: [0.5, 0.5] },
      ];
      const v = { finding: 'violation', rule: 'p', kind: 'presence', actor: 'a', zone: 'z', units: ['a1'], category: 'army' };
      return {
        arrangement: d,
        reports,
        until: at('11:00:00'),
        expected: [
          { ...v, state: 'open', time: at('10:00:00'), report: 'o1' },
          { ...v, state: 'closed', time: at('10:10:00'), report: 'o2' },
        ],
      };
    },
  },
  {
    name: 'commitment: the condition is checked after the first report is applied (absent is not met by an empty posture)',
    build: () => {
      const d = doc(
        [
          ['a', 'party'],
          ['b', 'party'],
        ],
        [{ id: 'z', geometry: { type: 'Polygon', coordinates: [square(0, 0, 1, 1)] } }],
        [{ id: 'c', kind: 'commitment', actor: 'a', due: at('12:00:00'), absent: { zone: 'z' } }],
      );
      const reports = [
        { type: 'observation', id: 'o1', time: at('10:00:00'), unit: 'a1', actor: 'a', position: [0.5, 0.5] },
        { type: 'observation', id: 'o2', time: at('11:00:00'), unit: 'a1', actor: 'a', position: [2, 2] },
      ];
      const c = { finding: 'commitment', rule: 'c', kind: 'commitment', actor: 'a' };
      return {
        arrangement: d,
        reports,
        until: at('13:00:00'),
        expected: [
          { ...c, state: 'due', time: at('10:00:00'), report: 'o1' },
          { ...c, state: 'fulfilled', time: at('11:00:00'), report: 'o2' },
        ],
      };
    },
  },
  {
    name: 'commitment: a fixed due already passed when the clock starts: due first, then fulfilled or overdue at that report',
    build: () => {
      const d = doc(
        [
          ['a', 'party'],
          ['b', 'party'],
        ],
        [{ id: 'z', geometry: { type: 'Polygon', coordinates: [square(0, 0, 1, 1)] } }],
        [
          { id: 'c-troops', kind: 'commitment', actor: 'a', due: at('09:00:00'), present: { zone: 'z', asset: 'troops', min: 100 } },
          { id: 'c-tanks', kind: 'commitment', actor: 'a', due: at('09:00:00'), present: { zone: 'z', asset: 'tanks' } },
        ],
      );
      const reports = [{ type: 'observation', id: 'o1', time: at('10:00:00'), unit: 'a1', actor: 'a', position: [0.5, 0.5], holdings: { troops: 150 } }];
      const c = (rule: string, state: string) => ({ finding: 'commitment', state, rule, kind: 'commitment', time: at('10:00:00'), report: 'o1', actor: 'a' });
      return {
        arrangement: d,
        reports,
        until: at('11:00:00'),
        expected: [c('c-troops', 'due'), c('c-troops', 'fulfilled'), c('c-tanks', 'due'), c('c-tanks', 'overdue')],
      };
    },
  },
];
