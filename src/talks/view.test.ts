import { test } from 'node:test';
import assert from 'node:assert/strict';
import { canSee } from '../policy/policy.ts';
import { gapReport } from './gap.ts';
import { announced, itemOf, sealedItem, talksView } from './view.ts';
import { agreedText, CAST, config, DEADLINE, DRAFT_1, EVERYONE, HOUR, opened, play, T0, type Who } from './scenario.ts';

const seen = (who: Who, state: Parameters<typeof talksView>[0], now = T0) => JSON.stringify(talksView(state, CAST[who], now));

test('a confidential submission reaches its author and the mediator, nobody else', () => {
  const marker = 'MARKER-7f3a9c-red-line';
  const { state, events } = play(
    [['il', { kind: 'submit', text: `Our ${marker} is 10 km.`, issue: 'width', position: 10, confidential: true }]],
    config(),
    opened(),
  );
  assert.equal(events.at(-1)!.sealed, true);
  for (const who of EVERYONE) {
    const view = seen(who, state);
    assert.equal(view.includes(marker), who === 'il' || who === 'ru', `${who}'s view ${view.includes(marker) ? 'shows' : 'hides'} the marker`);
  }
});

test('a relay reaches its recipient and the mediator only; the other party sees its own', () => {
  const { state } = play(
    [
      ['sy', { kind: 'submit', text: 'SY-PRIVATE deployment first', confidential: true }],
      ['ru', { kind: 'relay', to: 'sy', text: 'RELAY-TO-SY Israel asks for 10 km.', cites: ['s-1'] }],
      ['ru', { kind: 'relay', to: 'il', text: 'RELAY-TO-IL Syria will consider it.' }],
    ],
    config(),
    opened(),
  );
  for (const who of EVERYONE) {
    const view = seen(who, state);
    assert.equal(view.includes('RELAY-TO-SY'), who === 'sy' || who === 'ru', who);
    assert.equal(view.includes('RELAY-TO-IL'), who === 'il' || who === 'ru', who);
    assert.equal(view.includes('SY-PRIVATE'), who === 'sy' || who === 'ru', who);
  }
  assert.deepEqual(talksView(state, CAST.il, T0).relays, [
    { id: 'r-2', from: 'ru', to: 'il', time: '2025-12-20T09:05:00.000Z', text: 'RELAY-TO-IL Syria will consider it.', cites: [] },
  ]);
});

test('an open (not confidential) submission is still only for its author and the mediator in the view', () => {
  const { state } = play([['sy', { kind: 'submit', text: 'OPEN-SY-NOTE', confidential: false }]], config(), opened());
  for (const who of EVERYONE) assert.equal(seen(who, state).includes('OPEN-SY-NOTE'), who === 'sy' || who === 'ru', who);
});

test('the text, the stances and the approval are for the parties, the mediator and the guarantor', () => {
  const { state } = play([['us', { kind: 'approve', draft: 1 }]], config(), agreedText());
  for (const who of EVERYONE) {
    const v = talksView(state, CAST[who], T0);
    const atTable = who === 'il' || who === 'sy' || who === 'ru' || who === 'us';
    assert.equal(v.drafts.length, atTable ? 1 : 0, who);
    assert.equal(v.stances.length, atTable ? 4 : 0, who);
    assert.equal(v.approvals.length, atTable ? 1 : 0, who);
    assert.equal(v.approved, atTable ? true : null, who);
    assert.equal(v.current, atTable ? 1 : null, who);
    assert.equal(seen(who, state).includes('Syrian tanks within 10 km'), atTable, who);
    // the agenda goes to the parties and the mediator
    assert.equal(v.agenda.length, who === 'il' || who === 'sy' || who === 'ru' ? 2 : 0, who);
  }
  const g = talksView(state, CAST.us, T0);
  assert.deepEqual(g.stances[0], { clause: 'buffer', party: 'il', stance: 'accept', note: null, since: 1, time: '2025-12-20T09:03:00.000Z' });
});

test('an announcement is public: every role learns of it', () => {
  const { state } = play(
    [
      ['us', { kind: 'approve', draft: 1 }],
      ['ru', { kind: 'announce', draft: 1 }],
    ],
    config(),
    agreedText(),
  );
  for (const who of EVERYONE)
    assert.deepEqual(talksView(state, CAST[who], T0).announcement, { draft: 1, by: 'ru', time: '2025-12-20T09:08:00.000Z', late: false }, who);
  // nothing else reaches the observer or the third party
  const v = talksView(state, CAST.tr, T0);
  assert.deepEqual([v.agenda, v.submissions, v.relays, v.drafts, v.stances, v.withdrawals, v.approvals], [[], [], [], [], [], [], []]);
  assert.deepEqual(v.gap, { draft: null, agreed: null, clauses: [], issues: [], announce_by: '2025-12-29T00:00:00.000Z', time_left_ms: DEADLINE - T0 });
});

test('the gap report: stances per clause, positions and their distance for the mediator', () => {
  const { state } = play(
    [
      ['il', { kind: 'submit', text: 'a', issue: 'width', position: 12 }],
      ['sy', { kind: 'submit', text: 'b', issue: 'width', position: 4 }],
      ['il', { kind: 'submit', text: 'c', issue: 'width', position: 10 }],
      ['il', { kind: 'stance', draft: 1, clause: 'buffer', stance: 'accept' }],
      ['sy', { kind: 'stance', draft: 1, clause: 'buffer', stance: 'reject', note: 'too wide' }],
    ],
    config(),
    opened(),
  );
  const now = DEADLINE - 2 * HOUR;
  const gap = gapReport(state, CAST.ru, now);
  assert.deepEqual(gap, {
    draft: 1,
    agreed: false,
    clauses: [
      {
        id: 'buffer',
        accepted: false,
        stances: [
          { party: 'il', stance: 'accept', note: null, since: 1 },
          { party: 'sy', stance: 'reject', note: 'too wide', since: 1 },
        ],
      },
      {
        id: 'deploy',
        accepted: false,
        stances: [
          { party: 'il', stance: 'none', note: null, since: null },
          { party: 'sy', stance: 'none', note: null, since: null },
        ],
      },
    ],
    issues: [
      {
        id: 'width',
        title: 'Width of the buffer zone',
        unit: 'km',
        open: true,
        positions: [
          { party: 'il', position: 10, submission: 's-3', time: '2025-12-20T09:05:00.000Z' },
          { party: 'sy', position: 4, submission: 's-2', time: '2025-12-20T09:04:00.000Z' },
        ],
        distance: 6,
      },
    ],
    announce_by: '2025-12-29T00:00:00.000Z',
    time_left_ms: 2 * HOUR,
  });
  assert.equal(gapReport(state, CAST.ru, DEADLINE + HOUR).time_left_ms, -HOUR);

  // a party: the same clauses, its own position, no distance
  const il = gapReport(state, CAST.il, now);
  assert.deepEqual(il.clauses, gap.clauses);
  assert.deepEqual(il.issues, [{ id: 'width', title: 'Width of the buffer zone', unit: 'km', open: true, positions: [gap.issues[0].positions[0]] }]);
  assert.equal('distance' in il.issues[0], false);
  const sy = gapReport(state, CAST.sy, now);
  assert.deepEqual(
    sy.issues[0].positions.map((p) => p.position),
    [4],
  );

  // the guarantor: the clauses and the deadline, no issues
  const us = gapReport(state, CAST.us, now);
  assert.deepEqual(us.clauses, gap.clauses);
  assert.deepEqual(us.issues, []);
  assert.equal(us.time_left_ms, 2 * HOUR);

  // the party's view never shows the other's position anywhere
  assert.equal(seen('il', state).includes('"position":4'), false);
  assert.equal(seen('sy', state).includes('"position":10'), false);
  assert.equal(seen('sy', state).includes('"position":12'), false);
});

test('a distance needs two positions', () => {
  const { state } = play([['il', { kind: 'submit', text: 'a', issue: 'width', position: 12 }]], config(), opened());
  assert.equal(gapReport(state, CAST.ru, T0).issues[0].distance, null);
});

test('each event is the policy item the view shows it as', () => {
  const { events } = play(
    [
      ['il', { kind: 'submit', text: 'a', confidential: true }],
      ['ru', { kind: 'relay', to: 'sy', text: 'b' }],
      ['ru', { kind: 'close-issue', id: 'width' }],
      ['il', { kind: 'stance', draft: 1, clause: 'buffer', stance: 'accept' }],
      ['il', { kind: 'withdraw' }],
    ],
    config(),
    opened(),
  );
  assert.deepEqual(events.map(itemOf), [
    { kind: 'issue' },
    { kind: 'issue' },
    { kind: 'draft' },
    { kind: 'submission', author: 'il' },
    { kind: 'relay', to: 'sy' },
    { kind: 'issue' },
    { kind: 'stance' },
    { kind: 'withdrawal' },
  ]);
  assert.deepEqual(events.map(sealedItem), [
    undefined,
    undefined,
    undefined,
    { kind: 'sealed', author: 'il' },
    { kind: 'sealed', author: 'ru', to: 'sy' },
    undefined,
    undefined,
    undefined,
  ]);
  const relay = sealedItem(events[4])!;
  assert.deepEqual(
    EVERYONE.filter((w) => canSee(CAST[w], relay)),
    ['sy', 'ru'],
  );
});

test('announced(): the announced draft and all its clauses’ rules, in clause order', () => {
  const approved = play([['us', { kind: 'approve', draft: 1 }]], config(), agreedText());
  assert.equal(announced(approved.state), undefined);
  const done = play([['ru', { kind: 'announce', draft: 1 }]], config(), approved);
  const text = announced(done.state)!;
  assert.equal(text.draft, 1);
  assert.equal(text.late, false);
  assert.deepEqual(text.clauses, DRAFT_1.clauses);
  assert.deepEqual(text.rules, [DRAFT_1.clauses[0].rules[0], DRAFT_1.clauses[1].rules[0]]);
  // a copy: changing it does not change the state
  (text.rules[0] as { max: number }).max = 999;
  assert.equal((announced(done.state)!.rules[0] as { max: number }).max, 75);
});
