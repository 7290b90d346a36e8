// Findings folded into occurrences, and the posture's history for the timeline.
// Run: node --import tsx --test web/src/state/state.test.ts
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { BookedFindingView, UnitView } from '../api/types.ts';
import { concerns, FindingsStore, isOpen, openAt } from './findings.ts';
import { PostureStore } from './posture.ts';

const at = (s: string) => Date.parse(s);
let seq = 0;
function f(x: Partial<BookedFindingView>): BookedFindingView {
  return {
    seq: ++seq,
    finding: 'violation',
    state: 'open',
    rule: 'r-aos-only-undof',
    kind: 'presence',
    time: '2026-01-12T02:00:00Z',
    ...x,
  } as BookedFindingView;
}

test('transitions of one subject make one occurrence; a replayed seq is ignored', () => {
  const s = new FindingsStore();
  const open = f({ units: ['il-patrol-1'], actor: 'il', report: 'o-1' });
  assert.equal(s.add(open), true);
  assert.equal(s.add(open), false);
  s.add(f({ units: ['il-patrol-1'], actor: 'il', state: 'closed', time: '2026-01-12T05:00:00Z', report: 'o-2' }));
  assert.equal(s.occurrences.length, 1);
  const o = s.occurrences[0];
  assert.equal(isOpen(o), false);
  assert.equal(openAt(o, at('2026-01-12T03:00:00Z')), true);
  assert.equal(openAt(o, at('2026-01-12T05:00:00Z')), false);
  assert.equal(openAt(o, at('2026-01-12T01:00:00Z')), false);
  assert.deepEqual(
    o.transitions.map((t) => t.report),
    ['o-1', 'o-2'],
  );
});

test('a change of confidence continues the occurrence it raises, it does not open another', () => {
  const s = new FindingsStore();
  const u = { units: ['tr-conv'], actor: 'tr' };
  s.add(f({ ...u, report: 'c-1', confidence: 'unconfirmed' }));
  s.add(f({ ...u, report: 'i-2', confidence: 'confirmed', confidence_was: 'unconfirmed', time: '2026-01-12T03:00:00Z' }));
  assert.equal(s.occurrences.length, 1);
  const o = s.occurrences[0];
  assert.equal(isOpen(o), true);
  assert.equal(o.opened, at('2026-01-12T02:00:00Z'));
  assert.equal(o.last.confidence, 'confirmed');
});

test('a separation alert and the loss it becomes are two occurrences', () => {
  const s = new FindingsStore();
  const units = ['il-f16-2', 'ru-il20'];
  s.add(f({ finding: 'separation', kind: 'separation', rule: 'r-air-separation', units, time: '2026-02-17T18:39:10Z' }));
  s.add(f({ finding: 'separation', kind: 'separation', rule: 'r-air-separation', units, state: 'closed', time: '2026-02-17T18:41:45Z' }));
  s.add(f({ finding: 'loss', kind: 'separation', rule: 'r-air-separation', units, time: '2026-02-17T18:41:45Z' }));
  assert.deepEqual(
    s.occurrences.map((o) => [o.last.finding, isOpen(o)]),
    [
      ['separation', false],
      ['loss', true],
    ],
  );
  assert.equal(
    concerns(s.occurrences[1], 'ru', (u) => (u.startsWith('ru-') ? 'ru' : 'il')),
    true,
  );
  assert.equal(
    concerns(s.occurrences[1], 'sy', () => undefined),
    false,
  );
});

test('a commitment: due, then overdue, stays open; due then fulfilled ends', () => {
  const s = new FindingsStore();
  s.add(f({ finding: 'commitment', kind: 'commitment', rule: 'c-il-withdraw-2', state: 'due', actor: 'il' }));
  s.add(f({ finding: 'commitment', kind: 'commitment', rule: 'c-il-withdraw-2', state: 'overdue', actor: 'il', time: '2026-02-25T10:00:00Z' }));
  s.add(f({ finding: 'commitment', kind: 'commitment', rule: 'c-ru-deploy', state: 'due', actor: 'ru' }));
  s.add(f({ finding: 'commitment', kind: 'commitment', rule: 'c-ru-deploy', state: 'fulfilled', actor: 'ru', time: '2026-01-18T12:00:00Z' }));
  assert.deepEqual(
    s.occurrences.map((o) => [o.last.rule, o.last.state, isOpen(o)]),
    [
      ['c-il-withdraw-2', 'overdue', true],
      ['c-ru-deploy', 'fulfilled', false],
    ],
  );
});

/** A unit as the server sends it (server/posture-view.ts). */
function unit(unit: string, actor: string, position: [number, number], time: string, holdings: Record<string, number> = {}): UnitView {
  return { unit, actor, category: 'ground', position, holdings, time, report: `o-${unit}-${time}` };
}

test('posture: updates, withdrawals, and snapshots found by time', () => {
  const p = new PostureStore();
  // Before any report the server's posture has no time: it moves no clock.
  p.reset({ time: null, units: [] });
  assert.equal(p.time, -Infinity);
  p.reset({
    time: '2026-01-10T12:00:00Z',
    units: [unit('ru-mp-1', 'ru', [35.9, 33.0], '2026-01-10T12:00:00Z', { troops: 350 })],
  });
  const first = p.snapshots[0];
  p.apply({
    time: '2026-01-10T12:00:01Z',
    units: [unit('ru-mp-1', 'ru', [35.95, 33.0], '2026-01-10T12:00:01Z'), unit('tr-recon-1', 'tr', [36.2, 32.8], '2026-01-10T12:00:01Z')],
  });
  assert.equal(p.units.size, 2);
  assert.equal(p.actorOf('tr-recon-1'), 'tr');
  // Within the same second of arrival the latest snapshot replaces the last one.
  assert.equal(p.snapshots.length, 1);
  assert.notEqual(p.snapshots[0], first);
  p.apply({ time: '2026-01-10T12:00:02Z', units: [{ unit: 'tr-recon-1', actor: 'tr', withdrawn: true }] });
  assert.equal(p.units.has('tr-recon-1'), false);
  const snap = p.snapshotAt(at('2026-01-10T12:00:05Z'))!;
  const [lon, lat] = p.positionIn(snap, 'ru-mp-1')!;
  assert.ok(Math.abs(lon - 35.95) < 1e-5 && Math.abs(lat - 33.0) < 1e-5);
  assert.equal(p.snapshotAt(at('2026-01-10T11:59:59Z')), undefined);
});
