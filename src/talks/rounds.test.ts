// Rounds, deadlines and extensions: given events / when command / then events or the refusal.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { evolve } from './evolve.ts';
import { deadlineDue, nextDeadline } from './rounds.ts';
import { textsInForce } from './rounds-view.ts';
import { agreedText, BUFFER_RULE, config, DEADLINE, DEPLOY_RULE, HOUR, play, refused, T0, when, type Who } from './scenario.ts';
import type { TalksEvent } from './types.ts';
import { talksView } from './view.ts';
import { CAST } from './scenario.ts';

const DAY = 24 * HOUR;
/** Draft 1 agreed, approved and announced at T0 + 8 min. */
const announced = () =>
  play(
    [
      ['us', { kind: 'approve', draft: 1 }],
      ['ru', { kind: 'announce', draft: 1 }],
    ],
    config(),
    agreedText(),
  );
const ROUND_DEADLINE = '2026-01-20T00:00:00.000Z';
const OPEN_ROUND = { kind: 'open-round', agenda: 'The size of the Russian deployment', deadline: ROUND_DEADLINE };
const roundOpen = () => play([['ru', OPEN_ROUND]], config(), announced());
const BIGGER_DEPLOY = { ...DEPLOY_RULE, present: { ...DEPLOY_RULE.present, min: 1500 } };
const DRAFT_2 = {
  kind: 'draft',
  clauses: [
    { id: 'buffer', text: 'Syrian tanks within 10 km of Line B: at most 75.', rules: [BUFFER_RULE] },
    { id: 'deploy', text: 'Russia deploys 1,500 troops south of Quneitra by 1 February.', rules: [BIGGER_DEPLOY] },
  ],
};
const at = (t: number, state: Parameters<typeof when>[0], who: Who, cmd: unknown) => when(state, who, cmd, t);

describe('open-round', () => {
  test('after an announcement the mediator opens round 2 with its agenda and deadline', () => {
    const [e] = when(announced().state, 'ru', OPEN_ROUND, T0 + HOUR);
    assert.equal(e.type, 'talks.round.open');
    assert.deepEqual(e.body, { round: 2, agenda: 'The size of the Russian deployment', deadline: ROUND_DEADLINE });
    const s = evolve(announced().state, e);
    assert.equal(s.rounds.length, 2);
    assert.equal(s.rounds[1].deadline, Date.parse(ROUND_DEADLINE));
  });

  test('a round is opened only once the current one is announced (wrong order: 409)', () => {
    refused(() => when(agreedText().state, 'ru', OPEN_ROUND), { status: 409, code: 'round-open', message: /round 1 is still open/ });
    refused(() => when(roundOpen().state, 'ru', OPEN_ROUND), { status: 409, code: 'round-open', message: /round 2 is still open/ });
  });

  test('only the mediator opens a round (wrong role: 403)', () => {
    for (const who of ['il', 'sy', 'us', 'undof', 'tr'] as Who[]) {
      refused(() => when(announced().state, who, OPEN_ROUND), { status: 403, code: 'forbidden', message: /^only the mediator may open a round/ });
    }
  });

  test('a deadline in the past and a malformed one are refused, naming the field', () => {
    refused(() => when(announced().state, 'ru', { ...OPEN_ROUND, deadline: '2025-01-01T00:00:00Z' }), { status: 400, code: 'invalid', path: 'deadline' });
    refused(() => when(announced().state, 'ru', { ...OPEN_ROUND, deadline: 'next week' }), { status: 400, code: 'invalid', path: 'deadline' });
    refused(() => when(announced().state, 'ru', { ...OPEN_ROUND, meeting: { title: 'x', at: 'soon', place: 'Baku' } }), {
      status: 400,
      code: 'invalid',
      path: 'meeting.at',
    });
  });
});

describe('drafts in a round', () => {
  test("a round's draft belongs to it; unchanged clauses keep their stances; the changed one starts blank", () => {
    const [e] = when(roundOpen().state, 'ru', DRAFT_2);
    assert.equal(e.type, 'talks.draft');
    assert.deepEqual((e.body as { round?: number; unchanged: string[] }).round, 2);
    assert.deepEqual((e.body as { unchanged: string[] }).unchanged, ['buffer']);
    const s = evolve(roundOpen().state, e);
    assert.equal(s.stances.buffer.il.stance, 'accept');
    assert.equal(Object.hasOwn(s.stances, 'deploy'), false);
  });

  test('before the round has a draft, stances, approvals and announcements are refused (409 no-draft)', () => {
    const s = roundOpen().state;
    refused(() => when(s, 'il', { kind: 'stance', draft: 1, clause: 'deploy', stance: 'accept' }), { status: 409, code: 'no-draft' });
    refused(() => when(s, 'us', { kind: 'approve', draft: 1 }), { status: 409, code: 'no-draft' });
    refused(() => when(s, 'ru', { kind: 'announce', draft: 1 }), { status: 409, code: 'no-draft' });
  });

  test('a draft may set sections; they are checked by the injected validation, paths kept', () => {
    const validateAmendment = () => [{ path: 'sections.zones[0].polygon', message: 'a ring needs four points' }];
    refused(() => when(roundOpen().state, 'ru', { ...DRAFT_2, sections: { zones: [{ id: 'z' }] } }, T0, { validateAmendment }), {
      status: 400,
      code: 'invalid',
      path: 'sections.zones[0].polygon',
    });
    refused(() => when(roundOpen().state, 'ru', { ...DRAFT_2, sections: { id: 'other' } }), { status: 400, code: 'invalid', path: 'sections.id' });
    const [e] = when(roundOpen().state, 'ru', { ...DRAFT_2, sections: { witnesses: { quorum: 1, keys: [] } } }, T0, { validateAmendment: () => [] });
    assert.deepEqual((e.body as { sections?: unknown }).sections, { witnesses: { quorum: 1, keys: [] } });
  });

  test("a draft's sections.rules (the file's own rules replaced) is an array, checked with the clauses' rules", () => {
    refused(() => when(roundOpen().state, 'ru', { ...DRAFT_2, sections: { rules: { id: 'r' } } }), { status: 400, code: 'invalid', path: 'sections.rules' });
    const seen: unknown[] = [];
    const validateAmendment = (sections: unknown, rules: unknown[]) => {
      seen.push(sections, rules);
      return [{ path: 'sections.rules[0].max', message: 'must be a number of at least 0' }];
    };
    const own = [{ id: 'r-file', kind: 'limit', zone: 'z', actor: 'a', asset: 't', max: -1 }];
    refused(() => when(roundOpen().state, 'ru', { ...DRAFT_2, sections: { rules: own } }, T0, { validateAmendment }), {
      status: 400,
      code: 'invalid',
      path: 'sections.rules[0].max',
    });
    assert.deepEqual(seen[0], { rules: own });
    const [e] = when(roundOpen().state, 'ru', { ...DRAFT_2, sections: { rules: [] } }, T0, { validateAmendment: () => [] });
    assert.deepEqual((e.body as { sections?: unknown }).sections, { rules: [] });
  });

  test('round 2 agreed, approved, announced: a second text in force, with its round', () => {
    const s = play(
      [
        ['ru', DRAFT_2],
        ['il', { kind: 'stance', draft: 2, clause: 'deploy', stance: 'accept' }],
        ['sy', { kind: 'stance', draft: 2, clause: 'deploy', stance: 'accept' }],
        ['us', { kind: 'approve', draft: 2 }],
        ['ru', { kind: 'announce', draft: 2 }],
      ],
      config(),
      roundOpen(),
    );
    const last = s.events.at(-1)!;
    assert.equal(last.type, 'talks.announce');
    assert.deepEqual(last.body, { draft: 2, late: false, announce_by: ROUND_DEADLINE, round: 2 });
    const texts = textsInForce(s.state);
    assert.deepEqual(
      texts.map((t) => [t.round, t.draft]),
      [
        [1, 1],
        [2, 2],
      ],
    );
    assert.deepEqual(texts[1].clauses[1].rules, [BIGGER_DEPLOY]);
  });
});

describe("a round's deadline", () => {
  test('once it passed, no step toward a text is taken in the round (409 deadline-passed)', () => {
    const s = play([['ru', DRAFT_2]], config(), roundOpen()).state;
    const late = Date.parse(ROUND_DEADLINE) + 1;
    refused(() => at(late, s, 'il', { kind: 'stance', draft: 2, clause: 'deploy', stance: 'accept' }), {
      status: 409,
      code: 'deadline-passed',
      message: /^round 2's deadline \(2026-01-20T00:00:00.000Z\) has passed/,
    });
    refused(() => at(late, s, 'ru', DRAFT_2), { status: 409, code: 'deadline-passed' });
  });

  test('the server records its passing once, and never after an announcement', () => {
    const s = roundOpen().state;
    const dl = Date.parse(ROUND_DEADLINE);
    assert.equal(nextDeadline(s), dl);
    assert.equal(deadlineDue(s, dl - 1), undefined);
    const due = deadlineDue(s, dl);
    assert.deepEqual(due, { round: 2, deadline: ROUND_DEADLINE });
    const passed = evolve(s, { type: 'talks.deadline.pass', author: 'log', time: dl, body: due!, sealed: false } as TalksEvent);
    assert.equal(deadlineDue(passed, dl + DAY), undefined);
    assert.equal(nextDeadline(passed), undefined);
    assert.equal(deadlineDue(announced().state, DEADLINE + DAY), undefined);
  });

  test('the mediator proposes an extension, the guarantor approves it: the round goes on', () => {
    const late = Date.parse(ROUND_DEADLINE) + HOUR;
    const ext = '2026-02-10T00:00:00.000Z';
    const meeting = { title: 'Leaders meet', at: '2026-02-09T10:00:00Z', place: 'Baku' };
    let s = play([['ru', DRAFT_2]], config(), roundOpen()).state;
    const [p] = at(late, s, 'ru', { kind: 'propose-extension', deadline: ext, reason: 'the leaders meet on 9 February', meeting });
    assert.deepEqual(p.body, { round: 2, deadline: ext, reason: 'the leaders meet on 9 February', meeting: { ...meeting, at: '2026-02-09T10:00:00.000Z' } });
    s = evolve(s, p);
    // proposed only: still refused
    refused(() => at(late, s, 'il', { kind: 'stance', draft: 2, clause: 'deploy', stance: 'accept' }), { status: 409, code: 'deadline-passed' });
    refused(() => at(late, s, 'us', { kind: 'approve-extension', deadline: '2026-03-01T00:00:00Z' }), { status: 409, code: 'other-extension' });
    const [a] = at(late, s, 'us', { kind: 'approve-extension', deadline: ext });
    s = evolve(s, a);
    assert.equal(at(late, s, 'il', { kind: 'stance', draft: 2, clause: 'deploy', stance: 'accept' })[0].type, 'talks.stance');
    const v = talksView(s, CAST.us, late);
    assert.equal(v.deadline?.at, ext);
    assert.deepEqual(v.deadline?.meeting, { ...meeting, at: '2026-02-09T10:00:00.000Z' });
    assert.equal(v.rounds[1].extensions[0].approved_by, 'us');
    // the parties see the deadline in force, not the extension's negotiation
    assert.deepEqual(talksView(s, CAST.il, late).rounds[1].extensions, []);
  });

  test('extension refusals: wrong role, nothing proposed, not later, no deadline', () => {
    const s = roundOpen().state;
    refused(() => when(s, 'us', { kind: 'propose-extension', deadline: '2026-02-10T00:00:00Z' }), { status: 403, code: 'forbidden' });
    refused(() => when(s, 'ru', { kind: 'approve-extension', deadline: '2026-02-10T00:00:00Z' }), { status: 403, code: 'forbidden' });
    refused(() => when(s, 'us', { kind: 'approve-extension', deadline: '2026-02-10T00:00:00Z' }), { status: 409, code: 'no-extension' });
    refused(() => when(s, 'ru', { kind: 'propose-extension', deadline: '2026-01-19T00:00:00Z' }), { status: 400, code: 'invalid', path: 'deadline' });
    const none = play([['ru', { kind: 'open-round', agenda: 'open-ended' }]], config(), announced()).state;
    refused(() => when(none, 'ru', { kind: 'propose-extension', deadline: '2026-02-10T00:00:00Z' }), { status: 409, code: 'no-deadline' });
  });
});

describe('the talks view says how the announcement stood to the deadline', () => {
  test('announced before announce_by: "announced-before", whatever the time now', () => {
    const s = announced().state;
    const v = talksView(s, CAST.ru, DEADLINE + 261 * DAY);
    assert.equal(v.deadline?.state, 'announced-before');
    assert.equal(v.rounds[0].announced?.before_deadline, true);
  });

  test('announced after it: "announced-after"; not announced and past: "passed"', () => {
    const late = play(
      [
        ['us', { kind: 'approve', draft: 1 }],
        ['ru', { kind: 'announce', draft: 1 }],
      ],
      config({ announceBy: T0 + 60_000 }),
      agreedText(config({ announceBy: T0 + 60_000 })),
    ).state;
    assert.equal(talksView(late, CAST.ru, T0 + DAY).deadline?.state, 'announced-after');
    assert.equal(talksView(agreedText().state, CAST.ru, DEADLINE + 1).deadline?.state, 'passed');
    assert.equal(talksView(agreedText().state, CAST.undof, DEADLINE + 1).deadline, null);
  });
});
