import assert from 'node:assert/strict';
import { test } from 'node:test';
import { dwellDue, findingEvents, zoneEventMatches } from './matcher.ts';

const all = { events: ['finding.opened', 'finding.closed', 'notice.unacknowledged', 'zone.entered', 'zone.exited', 'zone.dwell'] as const };

test('finding transitions: open and overdue open, closed and fulfilled close, due is neither', () => {
  const f = (state: string) => findingEvents(all, 'me', { finding: 'violation', state });
  assert.deepEqual(f('open'), ['finding.opened']);
  assert.deepEqual(f('overdue'), ['finding.opened']);
  assert.deepEqual(f('closed'), ['finding.closed']);
  assert.deepEqual(f('fulfilled'), ['finding.closed']);
  assert.deepEqual(f('due'), []);
  assert.deepEqual(findingEvents({ events: ['finding.closed'] }, 'me', { finding: 'violation', state: 'open' }), []);
});

test('an unacknowledged notice concerns its notifier and those who owed an acknowledgement, no one else', () => {
  const x = { finding: 'unacknowledged', state: 'open', actor: 'il', missing: ['sy'] };
  const only = { events: ['notice.unacknowledged'] as const };
  assert.deepEqual(findingEvents(only, 'il', x), ['notice.unacknowledged']);
  assert.deepEqual(findingEvents(only, 'sy', x), ['notice.unacknowledged']);
  assert.deepEqual(findingEvents(only, 'ru', x), []);
  assert.deepEqual(findingEvents(only, 'sy', { ...x, state: 'closed' }), []);
});

test('zone and unit filters narrow findings and zone events; a finding without a zone or unit fails a filter on it', () => {
  const z = { ...all, zones: ['aos'] };
  const u = { ...all, units: ['u1'] };
  assert.deepEqual(findingEvents(z, 'me', { finding: 'violation', state: 'open', zone: 'aos' }), ['finding.opened']);
  assert.deepEqual(findingEvents(z, 'me', { finding: 'violation', state: 'open', zone: 'golan' }), []);
  assert.deepEqual(findingEvents(z, 'me', { finding: 'separation', state: 'open' }), []);
  assert.deepEqual(findingEvents(u, 'me', { finding: 'separation', state: 'open', units: ['u2', 'u1'] }), ['finding.opened']);
  assert.deepEqual(findingEvents(u, 'me', { finding: 'violation', state: 'open' }), []);
  assert.equal(zoneEventMatches(z, 'zone.entered', 'aos', 'u9'), true);
  assert.equal(zoneEventMatches(z, 'zone.entered', 'golan', 'u9'), false);
  assert.equal(zoneEventMatches(u, 'zone.exited', 'golan', 'u2'), false);
  assert.equal(zoneEventMatches({ events: ['zone.exited'] }, 'zone.entered', 'aos', 'u1'), false);
});

test('dwell is due once the stay reaches dwell_s', () => {
  const d = { events: ['zone.dwell'] as const, dwell_s: 60 };
  assert.equal(dwellDue(d, 'aos', 'u', 0, 59_999), false);
  assert.equal(dwellDue(d, 'aos', 'u', 0, 60_000), true);
  assert.equal(dwellDue({ events: ['zone.entered'] as const, dwell_s: 60 }, 'aos', 'u', 0, 120_000), false);
  assert.equal(dwellDue({ ...d, zones: ['golan'] }, 'aos', 'u', 0, 120_000), false);
});
