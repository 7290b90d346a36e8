import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkDocument } from './check-document.ts';
import type { Finding } from './findings.ts';
import { testDoc as doc } from './testdoc.ts';

const T0 = Date.UTC(2025, 11, 27, 10);
const at = (min: number) => new Date(T0 + min * 60000).toISOString().replace('.000Z', 'Z');
let n = 0;
function obs(min: number, unit: string, actor: string, pos: [number, number], more: object = {}) {
  return { type: 'observation', id: `o${++n}`, time: at(min), unit, actor, position: pos, ...more };
}
function run(rules: object[], reports: object[], until = at(24 * 60)): Finding[] {
  return checkDocument(doc(rules), reports.map((r) => JSON.stringify(r)).join('\n'), { until });
}
const brief = (fs: Finding[]) => fs.map((f) => `${f.finding}:${f.state}:${f.rule}:${f.report ?? '-'}`);

const IN: [number, number] = [35.85, 33.05];
const OUT: [number, number] = [35.5, 33.05];

test('presence: a forbidden unit opens a violation while inside, closes on leaving', () => {
  n = 0;
  const fs = run(
    [{ id: 'p', kind: 'presence', zone: 'z1', only: ['o'] }],
    [obs(0, 'u1', 'o', IN), obs(1, 'u2', 'a', IN, { category: 'police' }), obs(2, 'u2', 'a', IN), obs(3, 'u2', 'a', OUT)],
  );
  assert.deepEqual(brief(fs), ['violation:open:p:o2', 'violation:closed:p:o4']);
  assert.deepEqual(fs[0].units, ['u2']);
  assert.equal(fs[0].category, 'police');
  assert.equal(fs[0].zone, 'z1');
});

test('presence: categories forbid other categories, forbid lists actors, withdrawn closes', () => {
  n = 0;
  const fs = run(
    [
      { id: 'p1', kind: 'presence', zone: 'z1', categories: ['police'] },
      { id: 'p2', kind: 'presence', zone: 'z1', forbid: ['t3'] },
    ],
    [
      obs(0, 'u1', 'a', IN, { category: 'police' }),
      obs(1, 'u2', 'a', IN),
      obs(2, 'u3', 't3', IN, { category: 'police' }),
      obs(3, 'u3', 't3', IN, { status: 'withdrawn' }),
    ],
  );
  assert.deepEqual(brief(fs), ['violation:open:p1:o2', 'violation:open:p2:o3', 'violation:closed:p2:o4']);
});

test('limit: sum over the actor units inside; where filters by attribute; closes at or below max', () => {
  n = 0;
  const rules = [
    { id: 'l', kind: 'limit', zone: 'z1', actor: 'a', asset: 'tanks', max: 75 },
    { id: 'art', kind: 'limit', zone: 'b1', actor: 'a', asset: 'artillery', max: 0, where: { range_km: { gt: 20 } } },
  ];
  const fs = run(rules, [
    obs(0, 'u1', 'a', IN, { holdings: { tanks: 40 } }),
    obs(1, 'u2', 'a', IN, { holdings: { tanks: 40 } }),
    obs(2, 'u3', 'b', IN, { holdings: { tanks: 100 } }),
    obs(3, 'u2', 'a', IN, { holdings: { tanks: 35 } }),
    obs(4, 'u4', 'a', [35.9, 33.3], { holdings: { artillery: 6 }, attrs: { artillery: { range_km: 15 } } }),
    obs(5, 'u5', 'a', [35.9, 33.3], { holdings: { artillery: 2 }, attrs: { artillery: { range_km: 40 } } }),
    obs(6, 'u6', 'a', [35.9, 33.3], { holdings: { artillery: 2 } }),
  ]);
  assert.deepEqual(brief(fs), ['violation:open:l:o2', 'violation:closed:l:o4', 'violation:open:art:o6']);
  assert.equal(fs[0].observed, 80);
  assert.deepEqual(fs[0].units, ['u1', 'u2']);
  assert.equal(fs[2].observed, 2);
  assert.deepEqual(fs[2].units, ['u5']);
});

test('notice: unnotified, late-notice, covered; closes when the unit leaves', () => {
  n = 0;
  const rule = { id: 'nt', kind: 'notice', actor: 'a', zone: 'z1', lead: 'PT1H' };
  const note = (id: string, sentMin: number, fromMin: number, toMin: number, units?: string[]) => ({
    type: 'notification',
    id,
    time: at(sentMin),
    actor: 'a',
    zone: 'z1',
    window: { from: at(fromMin), to: at(toMin) },
    ...(units ? { units } : {}),
  });
  const fs = run(
    [rule],
    [
      note('n1', 0, 60, 120, ['u1']), // in time, for u1 only
      obs(70, 'u1', 'a', IN),
      obs(71, 'u2', 'a', IN), // not covered: unnotified
      note('n2', 149, 150, 200), // one minute ahead: late
      obs(160, 'u3', 'a', IN),
      obs(161, 'u3', 'a', OUT),
      obs(162, 'u1', 'a', IN), // still inside: no new entry
    ],
  );
  assert.deepEqual(brief(fs), ['unnotified:open:nt:o2', 'late-notice:open:nt:o3', 'late-notice:closed:nt:o4']);
  assert.equal(fs[1].notification, 'n2');
  assert.equal(fs[1].lead_s, 60);
});

test('notice ack: every other party and the mediator must acknowledge in time', () => {
  n = 0;
  const rule = { id: 'nt', kind: 'notice', actor: 'a', zone: 'z1', lead: 'PT1H', ack: 'PT10M' };
  const w = { from: at(120), to: at(180) };
  const fs = run(
    [rule],
    [
      { type: 'notification', id: 'n1', time: at(0), actor: 'a', zone: 'z1', window: w },
      { type: 'ack', id: 'k1', time: at(3), actor: 'b', notification: 'n1' },
      { type: 'ack', id: 'k2', time: at(10), actor: 'm', notification: 'n1' }, // exactly at the deadline: in time
      { type: 'notification', id: 'n2', time: at(20), actor: 'a', zone: 'z1', window: w },
      { type: 'ack', id: 'k3', time: at(25), actor: 'b', notification: 'n2' },
      obs(40, 'x', 'b', OUT),
      { type: 'ack', id: 'k4', time: at(41), actor: 'm', notification: 'n2' },
    ],
  );
  assert.deepEqual(brief(fs), ['unacknowledged:open:nt:o1', 'unacknowledged:closed:nt:k4']);
  assert.equal(fs[0].time, at(30), 'opens at the deadline');
  assert.deepEqual(fs[0].missing, ['m']);
  assert.equal(fs[0].notification, 'n2');
});

test('notice ack: a window ending at a report is one of its transitions, in subject order (unit or notification id)', () => {
  n = 0;
  const rule = { id: 'nt', kind: 'notice', actor: 'a', zone: 'z1', lead: 'PT1H', ack: 'PT10M' };
  const fs = run(
    [rule],
    [
      { type: 'notification', id: 'n1', time: at(0), actor: 'a', zone: 'z1', window: { from: at(5), to: at(60) } },
      obs(10, 'a1', 'a', IN), // late, at n1's ack deadline: unit a1 sorts before notification n1
      { type: 'notification', id: 'n2', time: at(20), actor: 'a', zone: 'z1', window: { from: at(25), to: at(60) } },
      obs(30, 'u9', 'a', IN), // late, at n2's ack deadline: notification n2 sorts before unit u9
    ],
    at(30),
  );
  assert.deepEqual(
    fs.map((f) => `${f.finding}:${f.state}:${f.report}:${f.units?.[0] ?? f.notification}`),
    ['late-notice:open:o1:a1', 'unacknowledged:open:o1:n1', 'unacknowledged:open:o2:n2', 'late-notice:open:o2:u9'],
  );
});

test('commitment: due at start, fulfilled, dependent starts after it and goes overdue', () => {
  n = 0;
  const rules = [
    { id: 'c1', kind: 'commitment', actor: 'm', due: at(60), present: { zone: 'z1', asset: 'troops', min: 1000 } },
    { id: 'c2', kind: 'commitment', actor: 'a', after: 'c1', within: 'PT30M', absent: { zone: 'b1' } },
  ];
  const fs = run(rules, [
    obs(0, 'ru1', 'm', IN, { holdings: { troops: 600 } }),
    obs(1, 'il1', 'a', [35.9, 33.3]),
    obs(10, 'ru2', 'm', IN, { holdings: { troops: 600 } }),
    obs(50, 'x', 'b', OUT),
  ]);
  assert.deepEqual(brief(fs), ['commitment:due:c1:o1', 'commitment:fulfilled:c1:o3', 'commitment:due:c2:o3', 'commitment:overdue:c2:o4']);
  assert.equal(fs[3].time, at(40), 'overdue at the deadline, named with the first report after it');
});

test('commitment: overdue at the end of the stream names no report; fulfilled immediately when it already holds', () => {
  n = 0;
  const rules = [
    { id: 'c1', kind: 'commitment', actor: 'a', within: 'PT1H', absent: { zone: 'z1' } },
    { id: 'c2', kind: 'commitment', actor: 'b', within: 'PT1H', present: { zone: 'z1' } },
  ];
  const fs = run(rules, [obs(0, 'u1', 'b', OUT)], at(120));
  assert.deepEqual(brief(fs), ['commitment:due:c1:o1', 'commitment:fulfilled:c1:o1', 'commitment:due:c2:o1', 'commitment:overdue:c2:-']);
});

test('inspection: a gap opens inspection-overdue at the period end; the next inspection closes it', () => {
  n = 0;
  const rule = { id: 'i', kind: 'inspection', actor: 'o', zones: ['z1', 'b1'], every: 'P1D' };
  const day = 24 * 60;
  const fs = run(
    [rule],
    [
      obs(0, 'u', 'a', OUT),
      { type: 'inspection', id: 'i1', time: at(day), source: 'o', zones: ['z1', 'b1'] },
      { type: 'inspection', id: 'i2', time: at(2 * day + 60), source: 'o', zones: ['z1'] },
    ],
    at(2 * day + 61),
  );
  assert.deepEqual(brief(fs), ['inspection-overdue:open:i:i2', 'inspection-overdue:open:i:i2', 'inspection-overdue:closed:i:i2']);
  assert.deepEqual(
    fs.map((f) => f.zone),
    ['b1', 'z1', 'z1'],
    'within a rule, by subject',
  );
  assert.equal(fs[0].time, at(2 * day));
});

test('separation: converging tracks alert within the lookahead, then loss, then clear', () => {
  n = 0;
  const rule = { id: 's', kind: 'separation', between: ['a', 'm'], km: 9.26, m: 300, lookahead: 'PT5M' };
  // Two aircraft 60 km apart on the same parallel, closing head-on at 200 m/s each (400 m/s).
  const trk = (min: number, unit: string, actor: string, lon: number, ve: number, alt = 6000) => ({
    type: 'track',
    id: `t${++n}`,
    time: at(min),
    unit,
    actor,
    position: [lon, 33.0],
    altitude_m: alt,
    velocity: { east_mps: ve, north_mps: 0 },
  });
  const dlon = 60 / (111.195 * Math.cos((33 * Math.PI) / 180));
  const fs = run(
    [rule],
    [
      trk(0, 'f1', 'a', 35.5, 200),
      trk(0, 'r1', 'm', 35.5 + dlon, -200),
      obs(0.5, 'x', 'b', OUT), // time passes: no conflict yet (distance 48 km, cpa in 127 s... within 5 min)
      obs(2.5, 'x', 'b', OUT), // in loss of separation
      obs(4.5, 'x', 'b', OUT), // passed each other, apart again
    ],
  );
  assert.deepEqual(brief(fs), ['separation:open:s:t2', 'separation:closed:s:o4', 'loss:open:s:o4', 'loss:closed:s:o5']);
  assert.deepEqual(fs[0].units, ['f1', 'r1']);
  assert.ok(Math.abs(fs[0].cpa_s! - 150) < 1, String(fs[0].cpa_s));
  assert.ok(fs[0].cpa_km! < 0.1);
  assert.equal(fs[0].cpa_m, 0);
});

test('separation: vertical separation of 300 m or more is no conflict', () => {
  n = 0;
  const rule = { id: 's', kind: 'separation', between: ['a', 'm'], km: 9.26, m: 300, lookahead: 'PT5M' };
  const trk = (unit: string, actor: string, lon: number, ve: number, alt: number) => ({
    type: 'track',
    id: `t${++n}`,
    time: at(0),
    unit,
    actor,
    position: [lon, 33.0],
    altitude_m: alt,
    velocity: { east_mps: ve, north_mps: 0 },
  });
  assert.deepEqual(run([rule], [trk('f1', 'a', 35.5, 200, 6000), trk('r1', 'm', 35.6, -200, 6400)]), []);
  assert.equal(run([rule], [trk('f1', 'a', 35.5, 200, 6000), trk('r1', 'm', 35.6, -200, 6200)]).length, 1);
});

test('separation: a sweep falling due at a report judges the reporting unit on its new track, not its old one', () => {
  n = 0;
  const rule = { id: 's', kind: 'separation', between: ['a', 'b'], km: 9.26, m: 300, lookahead: 'PT2M' };
  const trk = (s: number, unit: string, actor: string, pos: [number, number], alt: number, v: [number, number, number]) => ({
    type: 'track',
    id: `t${++n}`,
    time: new Date(T0 + s * 1000).toISOString().replace('.000Z', 'Z'),
    unit,
    actor,
    position: pos,
    altitude_m: alt,
    velocity: { east_mps: v[0], north_mps: v[1], up_mps: v[2] },
  });
  // On y's old track the pair's alert would open exactly at t3 (60 s after the first
  // report, when the watch sweeps); on the track t3 gives (stopped, 1,880 m) there is no
  // conflict at all: nothing is emitted, not an alert opened and closed at once.
  const fs = run(
    [rule],
    [
      trk(0, 'x', 'a', [35.711559, 32.91573], 800, [18.912, 14.776, 3]),
      trk(35, 'y', 'b', [35.798404, 33.009434], 1930, [11.836, -24.267, -2]),
      trk(60, 'y', 'b', [35.801575, 33.003978], 1880, [0, 0, 0]),
    ],
    new Date(T0 + 60_000).toISOString().replace('.000Z', 'Z'),
  );
  assert.deepEqual(brief(fs), []);
});

test('reports older than the posture change nothing; duplicate ids are refused', () => {
  n = 0;
  const rules = [{ id: 'p', kind: 'presence', zone: 'z1', only: ['o'] }];
  const reports = [obs(10, 'u', 'a', OUT), obs(5, 'u', 'a', IN)];
  assert.deepEqual(run(rules, reports), []);
  n = 0;
  const text = [JSON.stringify(obs(0, 'u', 'a', IN)), JSON.stringify({ ...obs(1, 'u', 'a', OUT), id: 'o1' })].join('\n');
  const fs = checkDocument(doc(rules), text, { until: at(2) });
  assert.deepEqual(brief(fs), ['violation:open:p:o1'], 'the duplicate o1 did not close it');
});

test('altitude zones contain only reports with an altitude in range', () => {
  n = 0;
  const rules = [{ id: 'nofly', kind: 'limit', zone: 'air', actor: 'b', asset: 'tanks', max: 0 }];
  const fs = run(rules, [
    obs(0, 'h1', 'b', IN, { holdings: { tanks: 1 } }),
    obs(1, 'h2', 'b', IN, { holdings: { tanks: 1 }, altitude_m: 16000 }),
    obs(2, 'h3', 'b', IN, { holdings: { tanks: 1 }, altitude_m: 3000 }),
  ]);
  assert.deepEqual(brief(fs), ['violation:open:nofly:o3']);
});
