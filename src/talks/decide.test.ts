// Given events / when command / then events (or the refusal: status, code, path).
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Actor } from '../policy/policy.ts';
import { gapReport } from './gap.ts';
import { COMMAND_KINDS } from './limits.ts';
import { talksEvent } from './event.ts';
import { evolve } from './evolve.ts';
import { agreedText, BODY_LIMIT, CAST, config, DEADLINE, DRAFT_1, given, HOUR, opened, play, refused, T0, when, BUFFER_RULE, type Who } from './scenario.ts';
import type { Json, RuleIssue, TalksEvent, TalksEventType } from './types.ts';

const ev = (type: TalksEventType, author: string, body: object, sealed = false, time = T0): TalksEvent => ({ type, author, time, body, sealed }) as TalksEvent;

describe('submit', () => {
  test('a party submits to the mediator: an id from the state, open on the record', () => {
    assert.deepEqual(when(given([]), 'il', { kind: 'submit', text: 'We need 10 km.' }), [
      ev('talks.submit', 'il', { id: 's-1', text: 'We need 10 km.', confidential: false }),
    ]);
  });

  test('a confidential submission is sealed', () => {
    const state = given([ev('talks.submit', 'sy', { id: 's-1', text: 'first', confidential: false })]);
    assert.deepEqual(when(state, 'il', { kind: 'submit', text: 'Our red line.', confidential: true }), [
      ev('talks.submit', 'il', { id: 's-2', text: 'Our red line.', confidential: true }, true),
    ]);
  });

  test('a position on a numeric issue is sealed even when not marked confidential', () => {
    const { state } = opened();
    assert.deepEqual(when(state, 'sy', { kind: 'submit', text: 'Five at most.', issue: 'width', position: 5 }), [
      ev('talks.submit', 'sy', { id: 's-1', text: 'Five at most.', issue: 'width', position: 5, confidential: false }, true),
    ]);
  });

  test('a submission on a prose issue names it and is not sealed', () => {
    const { state } = opened();
    assert.deepEqual(when(state, 'sy', { kind: 'submit', text: 'Deployment first.', issue: 'sequence', confidential: null }), [
      ev('talks.submit', 'sy', { id: 's-1', text: 'Deployment first.', issue: 'sequence', confidential: false }),
    ]);
  });

  test('only a party submits', () => {
    for (const who of ['ru', 'us', 'undof', 'tr'] as Who[]) {
      refused(() => when(given([]), who, { kind: 'submit', text: 'x' }), {
        status: 403,
        code: 'forbidden',
        message: /^only a party may submit to the mediator/,
      });
    }
  });

  test('the issue must be on the agenda and open; a position needs a numeric issue', () => {
    const { state } = opened();
    refused(() => when(state, 'il', { kind: 'submit', text: 'x', issue: 'borders' }), {
      status: 404,
      code: 'unknown-issue',
      path: 'issue',
      message: 'issue "borders" is not on the agenda',
    });
    refused(() => when(state, 'il', { kind: 'submit', text: 'x', issue: 'sequence', position: 3 }), {
      status: 400,
      code: 'invalid',
      path: 'position',
      message: /"sequence" is not numeric/,
    });
    refused(() => when(state, 'il', { kind: 'submit', text: 'x', position: 3 }), { status: 400, code: 'invalid', path: 'position' });
    const closed = evolve(state, ev('talks.issue.close', 'ru', { id: 'width' }));
    refused(() => when(closed, 'il', { kind: 'submit', text: 'x', issue: 'width', position: 3 }), {
      status: 409,
      code: 'issue-closed',
      path: 'issue',
      message: 'issue "width" is closed',
    });
  });

  test('bad input names every field at fault', () => {
    const s = given([]);
    refused(() => when(s, 'il', { kind: 'submit', text: '   ' }), { status: 400, code: 'invalid', path: 'text', message: 'text: must not be empty' });
    refused(() => when(s, 'il', { kind: 'submit', text: 'x'.repeat(20_001) }), {
      status: 400,
      code: 'invalid',
      path: 'text',
      message: /at most 20000 characters/,
    });
    refused(() => when(s, 'il', { kind: 'submit', text: 'a', confidental: true }), {
      status: 400,
      code: 'invalid',
      path: 'confidental',
      message: 'confidental: unknown field',
    });
    refused(() => when(s, 'il', { kind: 'submit', text: 'a', issue: 'width', position: Number.NaN }), { status: 400, code: 'invalid', path: 'position' });
    refused(() => when(s, 'il', { kind: 'submit', text: 'bad \ud800 half' }), { status: 400, code: 'invalid', path: 'text', message: /unpaired surrogate/ });
    const e = refused(() => when(s, 'il', { kind: 'submit', text: 7, issue: 'Not An Id', confidential: 'yes' }), {
      status: 400,
      code: 'invalid',
      path: 'text',
    });
    assert.deepEqual(
      e.issues.map((i) => i.path),
      ['text', 'issue', 'confidential'],
    );
  });

  test('a command must be an object of a known kind', () => {
    refused(() => when(given([]), 'il', 'submit'), { status: 400, code: 'invalid', path: '' });
    refused(() => when(given([]), 'il', [{ kind: 'submit' }]), { status: 400, code: 'invalid', path: '' });
    refused(() => when(given([]), 'il', { kind: 'propose', text: 'x' }), { status: 400, code: 'invalid', path: 'kind' });
    refused(() => when(given([]), 'il', { text: 'x' }), { status: 400, code: 'invalid', path: 'kind' });
  });

  test('an actor outside the arrangement, or claiming another role, is refused', () => {
    const stranger: Actor = { id: 'eg', role: 'party' };
    refused(() => when(given([]), stranger, { kind: 'submit', text: 'x' }), {
      status: 403,
      code: 'unknown-actor',
      message: 'eg is not a party of southern-syria',
    });
    const posing: Actor = { id: 'us', role: 'party' };
    refused(() => when(given([]), posing, { kind: 'submit', text: 'x' }), { status: 403, code: 'unknown-actor' });
  });
});

describe('relay', () => {
  const withSubmissions = () =>
    given([
      ev('talks.submit', 'il', { id: 's-1', text: 'a', confidential: true }, true),
      ev('talks.submit', 'sy', { id: 's-2', text: 'b', confidential: false }),
    ]);

  test('the mediator relays its own text to one party, citing submissions; always sealed', () => {
    assert.deepEqual(when(withSubmissions(), 'ru', { kind: 'relay', to: 'sy', text: 'Israel can live with 10 km.', cites: ['s-1'] }), [
      ev('talks.relay', 'ru', { id: 'r-1', to: 'sy', text: 'Israel can live with 10 km.', cites: ['s-1'] }, true),
    ]);
    const state = evolve(withSubmissions(), ev('talks.relay', 'ru', { id: 'r-1', to: 'sy', text: 'x', cites: [] }, true));
    assert.deepEqual(when(state, 'ru', { kind: 'relay', to: 'il', text: 'Noted.' }), [
      ev('talks.relay', 'ru', { id: 'r-2', to: 'il', text: 'Noted.', cites: [] }, true),
    ]);
  });

  test('only the mediator relays', () => {
    for (const who of ['il', 'sy', 'us', 'undof', 'tr'] as Who[]) {
      refused(() => when(withSubmissions(), who, { kind: 'relay', to: 'sy', text: 'x' }), {
        status: 403,
        code: 'forbidden',
        message: /^only the mediator may relay to a party/,
      });
    }
  });

  test('the recipient must be a party; cited submissions must exist, once each', () => {
    const s = withSubmissions();
    refused(() => when(s, 'ru', { kind: 'relay', to: 'eg', text: 'x' }), { status: 404, code: 'unknown-actor', path: 'to' });
    refused(() => when(s, 'ru', { kind: 'relay', to: 'us', text: 'x' }), {
      status: 400,
      code: 'invalid',
      path: 'to',
      message: 'to: us is a guarantor: relays go to a party',
    });
    refused(() => when(s, 'ru', { kind: 'relay', to: 'sy', text: 'x', cites: ['s-1', 's-9'] }), { status: 404, code: 'unknown-submission', path: 'cites[1]' });
    refused(() => when(s, 'ru', { kind: 'relay', to: 'sy', text: 'x', cites: ['s-1', 's-1'] }), { status: 400, code: 'invalid', path: 'cites[1]' });
    refused(() => when(s, 'ru', { kind: 'relay', to: 'sy' }), { status: 400, code: 'invalid', path: 'text', message: 'text: is required' });
  });
});

describe('agenda: open-issue, close-issue', () => {
  test('the mediator opens numeric and prose issues', () => {
    assert.deepEqual(when(given([]), 'ru', { kind: 'open-issue', id: 'width', title: 'Buffer width', numeric: { unit: 'km' } }), [
      ev('talks.issue.open', 'ru', { id: 'width', title: 'Buffer width', numeric: { unit: 'km' } }),
    ]);
    assert.deepEqual(when(given([]), 'ru', { kind: 'open-issue', id: 'sequence', title: 'Sequencing' }), [
      ev('talks.issue.open', 'ru', { id: 'sequence', title: 'Sequencing' }),
    ]);
  });

  test('and closes them, once', () => {
    const { state } = opened();
    assert.deepEqual(when(state, 'ru', { kind: 'close-issue', id: 'width' }), [ev('talks.issue.close', 'ru', { id: 'width' })]);
    const closed = evolve(state, ev('talks.issue.close', 'ru', { id: 'width' }));
    refused(() => when(closed, 'ru', { kind: 'close-issue', id: 'width' }), {
      status: 409,
      code: 'issue-closed',
      path: 'id',
      message: 'issue "width" is already closed',
    });
    refused(() => when(closed, 'ru', { kind: 'open-issue', id: 'width', title: 'again' }), {
      status: 409,
      code: 'issue-exists',
      path: 'id',
      message: 'issue "width" is already on the agenda (closed)',
    });
    refused(() => when(state, 'ru', { kind: 'close-issue', id: 'nope' }), { status: 404, code: 'unknown-issue', path: 'id' });
  });

  test('ids are unique and well formed; numeric takes a unit and nothing else', () => {
    const { state } = opened();
    refused(() => when(state, 'ru', { kind: 'open-issue', id: 'width', title: 'x' }), { status: 409, code: 'issue-exists', path: 'id' });
    refused(() => when(state, 'ru', { kind: 'open-issue', id: 'Buffer Width', title: 'x' }), { status: 400, code: 'invalid', path: 'id' });
    refused(() => when(state, 'ru', { kind: 'open-issue', id: 'troops', title: 'x', numeric: {} }), { status: 400, code: 'invalid', path: 'numeric.unit' });
    refused(() => when(state, 'ru', { kind: 'open-issue', id: 'troops', title: 'x', numeric: { unit: 'men', scale: 2 } }), {
      status: 400,
      code: 'invalid',
      path: 'numeric.scale',
    });
  });

  test('only the mediator keeps the agenda', () => {
    const { state } = opened();
    for (const who of ['il', 'sy', 'us', 'undof', 'tr'] as Who[]) {
      refused(() => when(state, who, { kind: 'open-issue', id: 'x', title: 'x' }), {
        status: 403,
        code: 'forbidden',
        message: /^only the mediator may open an agenda issue/,
      });
      refused(() => when(state, who, { kind: 'close-issue', id: 'width' }), {
        status: 403,
        code: 'forbidden',
        message: /^only the mediator may close an agenda issue/,
      });
    }
  });
});

describe('draft', () => {
  test('the first draft is version 1 with nothing unchanged', () => {
    assert.deepEqual(when(given([]), 'ru', { ...DRAFT_1, note: 'A start.' }), [
      ev('talks.draft', 'ru', { version: 1, clauses: DRAFT_1.clauses, unchanged: [], note: 'A start.' }),
    ]);
  });

  test('a later draft names the clauses whose text and rules are unchanged (key order aside)', () => {
    const { state } = opened();
    const reordered = Object.fromEntries(Object.entries(BUFFER_RULE).reverse());
    const [e] = when(state, 'ru', {
      kind: 'draft',
      clauses: [
        { id: 'buffer', text: DRAFT_1.clauses[0].text, rules: [reordered] },
        { id: 'deploy', text: 'Russia deploys 2,000 troops.', rules: DRAFT_1.clauses[1].rules },
        { id: 'hotline', text: 'A hotline, staffed day and night.' },
      ],
    });
    assert.ok(e.type === 'talks.draft');
    assert.equal(e.body.version, 2);
    assert.deepEqual(e.body.unchanged, ['buffer']);
  });

  test('a clause whose rules change is not unchanged', () => {
    const { state } = opened();
    const [e] = when(state, 'ru', { kind: 'draft', clauses: [{ ...DRAFT_1.clauses[0], rules: [{ ...BUFFER_RULE, max: 60 }] }, DRAFT_1.clauses[1]] });
    assert.ok(e.type === 'talks.draft');
    assert.deepEqual(e.body.unchanged, ['deploy']);
  });

  test('rules go to the arrangement loader in one call; its paths come back per clause', () => {
    const calls: [unknown, string][] = [];
    const validateRules = (rules: Json[], path: string): RuleIssue[] => {
      calls.push([rules, path]);
      return [
        { path: `${path}[2].max`, message: 'must be a non-negative integer' },
        { path: `${path}[0]`, message: 'unknown zone "sy-0-10"' },
      ];
    };
    const cmd = {
      kind: 'draft',
      clauses: [
        { id: 'a', text: 'x', rules: [{ id: 'r1' }, { id: 'r2' }] },
        { id: 'b', text: 'y' },
        { id: 'c', text: 'z', rules: [{ id: 'r3', max: -1 }] },
      ],
    };
    const e = refused(() => when(given([]), 'ru', cmd, T0, { validateRules }), {
      status: 400,
      code: 'invalid',
      path: 'clauses[2].rules[0].max',
      message: /must be a non-negative integer \(and 1 more\)/,
    });
    assert.deepEqual(e.issues, [
      { path: 'clauses[2].rules[0].max', message: 'must be a non-negative integer' },
      { path: 'clauses[0].rules[0]', message: 'unknown zone "sy-0-10"' },
    ]);
    assert.deepEqual(calls, [[[{ id: 'r1' }, { id: 'r2' }, { id: 'r3', max: -1 }], 'rules']]);
  });

  test('a draft without rules does not call the loader; one it accepts goes through', () => {
    let called = 0;
    const validateRules = () => {
      called++;
      return [];
    };
    when(given([]), 'ru', { kind: 'draft', clauses: [{ id: 'a', text: 'x' }] }, T0, { validateRules });
    assert.equal(called, 0);
    assert.equal(when(given([]), 'ru', DRAFT_1, T0, { validateRules }).length, 1);
    assert.equal(called, 1);
  });

  test('clause ids are unique, rule ids unique across the text, and every problem is named', () => {
    const s = given([]);
    refused(() => when(s, 'ru', { kind: 'draft', clauses: [] }), {
      status: 400,
      code: 'invalid',
      path: 'clauses',
      message: 'clauses: a draft needs at least one clause',
    });
    refused(
      () =>
        when(s, 'ru', {
          kind: 'draft',
          clauses: [
            { id: 'a', text: 'x' },
            { id: 'a', text: 'y' },
          ],
        }),
      { status: 400, code: 'invalid', path: 'clauses[1].id', message: /duplicate clause id "a" \(also clauses\[0\]\)/ },
    );
    refused(
      () =>
        when(s, 'ru', {
          kind: 'draft',
          clauses: [
            { id: 'a', text: 'x', rules: [BUFFER_RULE] },
            { id: 'b', text: 'y', rules: [BUFFER_RULE] },
          ],
        }),
      {
        status: 400,
        code: 'invalid',
        path: 'clauses[1].rules[0].id',
        message: /duplicate rule id "r-sy-tanks" \(also clauses\[0\]\.rules\[0\]\)/,
      },
    );
    const e = refused(
      () =>
        when(s, 'ru', {
          kind: 'draft',
          clauses: [{ id: 'a' }, { id: 'b', text: 'y', rules: {} }, { id: 'c', text: 'z', rules: [3, { max: Infinity }] }, 'd'],
          notes: '',
        }),
      {
        status: 400,
        code: 'invalid',
      },
    );
    assert.deepEqual(
      e.issues.map((i) => i.path),
      ['clauses[0].text', 'clauses[1].rules', 'clauses[2].rules[0]', 'clauses[2].rules[1].max', 'clauses[3]', 'notes'],
    );
  });

  test('a text too large for one record entry is refused with 413', () => {
    const big = 'é'.repeat(20_000); // 40,000 bytes in UTF-8
    const clauses = [1, 2].map((n) => ({ id: `c${n}`, text: big }));
    refused(() => when(given([]), 'ru', { kind: 'draft', clauses }), { status: 413, code: 'too-large', message: new RegExp(`at most ${BODY_LIMIT}`) });
  });

  test("the body limit is the one the context gives (the record's), not the talks' own", () => {
    const cmd = { kind: 'submit', text: 'x'.repeat(1_000) };
    assert.equal(when(given([]), 'il', cmd, T0, { maxBodyBytes: 1_100 }).length, 1);
    refused(() => when(given([]), 'il', cmd, T0, { maxBodyBytes: 1_000 }), { status: 413, code: 'too-large', message: /at most 1000$/ });
  });

  test('only the mediator drafts', () => {
    for (const who of ['il', 'sy', 'us', 'undof', 'tr'] as Who[]) {
      refused(() => when(given([]), who, DRAFT_1), { status: 403, code: 'forbidden', message: /^only the mediator may draft the single text/ });
    }
    refused(() => when(given([]), 'us', DRAFT_1), {
      status: 403,
      code: 'forbidden',
      message: 'only the mediator may draft the single text (us is a guarantor)',
    });
  });
});

describe('stance', () => {
  test('a party takes a stance on a clause of the current draft', () => {
    const { state } = opened();
    assert.deepEqual(when(state, 'il', { kind: 'stance', draft: 1, clause: 'buffer', stance: 'reserve', note: '10 km, not 5.' }), [
      ev('talks.stance', 'il', { draft: 1, clause: 'buffer', stance: 'reserve', note: '10 km, not 5.' }),
    ]);
  });

  test('on the current draft only: 409 for an older one, 404 for one that never was', () => {
    const { state } = play([['ru', { ...DRAFT_1, note: 'second' }]], config(), opened());
    refused(() => when(state, 'il', { kind: 'stance', draft: 1, clause: 'buffer', stance: 'accept' }), {
      status: 409,
      code: 'stale-draft',
      path: 'draft',
      message: 'draft 1 is not the current draft (current: 2)',
    });
    refused(() => when(state, 'il', { kind: 'stance', draft: 3, clause: 'buffer', stance: 'accept' }), {
      status: 404,
      code: 'unknown-draft',
      path: 'draft',
      message: 'draft 3 does not exist (current: 2)',
    });
    refused(() => when(given([]), 'il', { kind: 'stance', draft: 1, clause: 'buffer', stance: 'accept' }), {
      status: 404,
      code: 'unknown-draft',
      message: /there is no draft yet/,
    });
  });

  test('the clause must be in the draft; the stance one of three; the version an integer', () => {
    const { state } = opened();
    refused(() => when(state, 'il', { kind: 'stance', draft: 1, clause: 'hotline', stance: 'accept' }), {
      status: 404,
      code: 'unknown-clause',
      path: 'clause',
      message: 'draft 1 has no clause "hotline"',
    });
    refused(() => when(state, 'il', { kind: 'stance', draft: 1, clause: 'buffer', stance: 'maybe' }), {
      status: 400,
      code: 'invalid',
      path: 'stance',
      message: 'stance: must be one of accept, reserve, reject',
    });
    refused(() => when(state, 'il', { kind: 'stance', draft: 1.5, clause: 'buffer', stance: 'accept' }), { status: 400, code: 'invalid', path: 'draft' });
    refused(() => when(state, 'il', { kind: 'stance', draft: '1', clause: 'buffer', stance: 'accept' }), { status: 400, code: 'invalid', path: 'draft' });
  });

  test('only a party takes stances', () => {
    const { state } = opened();
    for (const who of ['ru', 'us', 'undof', 'tr'] as Who[]) {
      refused(() => when(state, who, { kind: 'stance', draft: 1, clause: 'buffer', stance: 'accept' }), {
        status: 403,
        code: 'forbidden',
        message: /^only a party may take a stance/,
      });
    }
  });

  test('stances carry over to a draft where the clause is unchanged, and say since when', () => {
    const s1 = play(
      [
        ['il', { kind: 'stance', draft: 1, clause: 'buffer', stance: 'accept' }],
        ['il', { kind: 'stance', draft: 1, clause: 'deploy', stance: 'accept' }],
      ],
      config(),
      opened(),
    );
    const s2 = play([['ru', { kind: 'draft', clauses: [DRAFT_1.clauses[0], { id: 'deploy', text: 'Russia deploys 2,000 troops.' }] }]], config(), s1);
    const gap = gapReport(s2.state, CAST.ru, T0);
    assert.deepEqual(gap.clauses[0].stances[0], { party: 'il', stance: 'accept', note: null, since: 1 });
    assert.deepEqual(gap.clauses[1].stances[0], { party: 'il', stance: 'none', note: null, since: null });
    // restating keeps "since"; changing restarts it
    const s3 = play([['il', { kind: 'stance', draft: 2, clause: 'buffer', stance: 'accept', note: 'still' }]], config(), s2);
    assert.deepEqual(gapReport(s3.state, CAST.ru, T0).clauses[0].stances[0], { party: 'il', stance: 'accept', note: 'still', since: 1 });
    const s4 = play([['il', { kind: 'stance', draft: 2, clause: 'buffer', stance: 'reject' }]], config(), s3);
    assert.deepEqual(gapReport(s4.state, CAST.ru, T0).clauses[0].stances[0], { party: 'il', stance: 'reject', note: null, since: 2 });
  });
});

describe('approve', () => {
  test('the guarantor approves the current draft once every party accepts every clause', () => {
    assert.deepEqual(when(agreedText().state, 'us', { kind: 'approve', draft: 1 }), [ev('talks.approve', 'us', { draft: 1 })]);
  });

  test('not before: the refusal names who has not accepted what', () => {
    const { state } = play(
      [
        ['il', { kind: 'stance', draft: 1, clause: 'buffer', stance: 'accept' }],
        ['il', { kind: 'stance', draft: 1, clause: 'deploy', stance: 'reserve' }],
        ['sy', { kind: 'stance', draft: 1, clause: 'buffer', stance: 'reject' }],
      ],
      config(),
      opened(),
    );
    refused(() => when(state, 'us', { kind: 'approve', draft: 1 }), {
      status: 409,
      code: 'not-agreed',
      message: 'not every party accepts every clause of draft 1: il has not accepted deploy (reserve); sy has not accepted buffer (reject), deploy (no stance)',
    });
  });

  test('the current draft only, once per guarantor, by a guarantor only', () => {
    const a = agreedText();
    refused(() => when(a.state, 'us', { kind: 'approve', draft: 2 }), { status: 404, code: 'unknown-draft', path: 'draft' });
    const approvedOnce = play([['us', { kind: 'approve', draft: 1 }]], config(), a);
    refused(() => when(approvedOnce.state, 'us', { kind: 'approve', draft: 1 }), {
      status: 409,
      code: 'already-approved',
      message: 'us has already approved draft 1',
    });
    const redrafted = play([['ru', DRAFT_1]], config(), a);
    refused(() => when(redrafted.state, 'us', { kind: 'approve', draft: 1 }), { status: 409, code: 'stale-draft', path: 'draft' });
    for (const who of ['il', 'sy', 'ru', 'undof', 'tr'] as Who[]) {
      refused(() => when(a.state, who, { kind: 'approve', draft: 1 }), { status: 403, code: 'forbidden', message: /^only a guarantor may approve the text/ });
    }
  });

  test('with no party in the arrangement there is nothing to approve', () => {
    const cfg = config({ actors: [CAST.ru, CAST.us] });
    const { state } = play([['ru', DRAFT_1]], cfg);
    refused(() => when(state, 'us', { kind: 'approve', draft: 1 }), { status: 409, code: 'not-agreed', message: /names no party/ });
  });

  test('a new draft, a withdrawal, or a step back from acceptance voids the approval', () => {
    const approved = play([['us', { kind: 'approve', draft: 1 }]], config(), agreedText());
    assert.equal(approved.state.approvals.length, 1);
    for (const step of [
      ['ru', DRAFT_1],
      ['il', { kind: 'withdraw', clauses: ['deploy'] }],
      ['sy', { kind: 'stance', draft: 1, clause: 'buffer', stance: 'reserve' }],
    ] as [Who, unknown][]) {
      const after = play([step], config(), approved);
      assert.deepEqual(after.state.approvals, [], `after ${JSON.stringify(step)}`);
      const v = after.state.drafts.length;
      refused(() => when(after.state, 'ru', { kind: 'announce', draft: v }), {
        status: 409,
        code: 'not-approved',
        message: `draft ${v} is not approved: us has not approved it`,
      });
    }
    // restating acceptance does not void it
    const restated = play([['sy', { kind: 'stance', draft: 1, clause: 'buffer', stance: 'accept' }]], config(), approved);
    assert.equal(restated.state.approvals.length, 1);
  });
});

describe('announce', () => {
  const approvedText = () => play([['us', { kind: 'approve', draft: 1 }]], config(), agreedText());

  test('the mediator announces the approved current draft', () => {
    assert.deepEqual(when(approvedText().state, 'ru', { kind: 'announce', draft: 1 }, T0 + HOUR), [
      ev('talks.announce', 'ru', { draft: 1, late: false, announce_by: '2025-12-29T00:00:00.000Z' }, false, T0 + HOUR),
    ]);
  });

  test('after announce_by it is still allowed, and recorded as late', () => {
    const [e] = when(approvedText().state, 'ru', { kind: 'announce', draft: 1 }, DEADLINE + 1);
    assert.deepEqual(e.body, { draft: 1, late: true, announce_by: '2025-12-29T00:00:00.000Z' });
    const [atDeadline] = when(approvedText().state, 'ru', { kind: 'announce', draft: 1 }, DEADLINE);
    assert.ok(atDeadline.type === 'talks.announce');
    assert.equal(atDeadline.body.late, false);
    const { state } = play([['us', { kind: 'approve', draft: 1 }]], config({ announceBy: undefined }), agreedText(config({ announceBy: undefined })));
    assert.deepEqual(when(state, 'ru', { kind: 'announce', draft: 1 })[0].body, { draft: 1, late: false });
  });

  test('not before approval, not of another draft, not by anyone else', () => {
    refused(() => when(agreedText().state, 'ru', { kind: 'announce', draft: 1 }), {
      status: 409,
      code: 'not-approved',
      path: 'draft',
      message: 'draft 1 is not approved: us has not approved it',
    });
    refused(() => when(approvedText().state, 'ru', { kind: 'announce', draft: 2 }), { status: 404, code: 'unknown-draft', path: 'draft' });
    for (const who of ['il', 'sy', 'us', 'undof', 'tr'] as Who[]) {
      refused(() => when(approvedText().state, who, { kind: 'announce', draft: 1 }), {
        status: 403,
        code: 'forbidden',
        message: /^only the mediator may announce the text/,
      });
    }
  });

  test('with two guarantors, both must approve', () => {
    const uk: Actor = { id: 'uk', role: 'guarantor' };
    const cfg = config({ actors: [...Object.values(CAST), uk] });
    const one = play([['us', { kind: 'approve', draft: 1 }]], cfg, agreedText(cfg));
    refused(() => when(one.state, 'ru', { kind: 'announce', draft: 1 }), {
      status: 409,
      code: 'not-approved',
      message: 'draft 1 is not approved: uk has not approved it',
    });
    const both = evolve(one.state, ev('talks.approve', 'uk', { draft: 1 }));
    assert.equal(when(both, 'ru', { kind: 'announce', draft: 1 }).length, 1);
  });

  test('an arrangement that names no guarantor needs agreement instead', () => {
    const cfg = config({ actors: [CAST.il, CAST.sy, CAST.ru] });
    refused(() => when(opened(cfg).state, 'ru', { kind: 'announce', draft: 1 }), {
      status: 409,
      code: 'not-agreed',
      message: /il has not accepted buffer \(no stance\)/,
    });
    assert.equal(when(agreedText(cfg).state, 'ru', { kind: 'announce', draft: 1 }).length, 1);
  });

  test('after the announcement nothing more can be done, and the role is checked first', () => {
    const done = play([['ru', { kind: 'announce', draft: 1 }]], config(), approvedText());
    const attempts: Record<string, [Who, unknown]> = {
      submit: ['il', { kind: 'submit', text: 'more' }],
      relay: ['ru', { kind: 'relay', to: 'il', text: 'more' }],
      'open-issue': ['ru', { kind: 'open-issue', id: 'new', title: 'new' }],
      'close-issue': ['ru', { kind: 'close-issue', id: 'width' }],
      draft: ['ru', DRAFT_1],
      stance: ['sy', { kind: 'stance', draft: 1, clause: 'buffer', stance: 'reject' }],
      approve: ['us', { kind: 'approve', draft: 1 }],
      announce: ['ru', { kind: 'announce', draft: 1 }],
      withdraw: ['il', { kind: 'withdraw' }],
      'consent-direct': ['il', { kind: 'consent-direct' }],
      'open-joint-channel': ['ru', { kind: 'open-joint-channel' }],
      'joint-message': ['sy', { kind: 'joint-message', text: 'more' }],
      'close-joint-channel': ['il', { kind: 'close-joint-channel' }],
      'propose-extension': ['ru', { kind: 'propose-extension', deadline: '2026-01-10T00:00:00Z' }],
      'approve-extension': ['us', { kind: 'approve-extension', deadline: '2026-01-10T00:00:00Z' }],
    };
    // open-round is what a closed round takes (rounds.test.ts)
    assert.deepEqual(Object.keys(attempts).sort(), COMMAND_KINDS.filter((k) => k !== 'open-round').sort());
    for (const [who, cmd] of Object.values(attempts)) {
      refused(() => when(done.state, who, cmd), {
        status: 409,
        code: 'announced',
        message: /^the text was announced \(draft 1, 2025-12-20T09:08:00\.000Z\); the talks are closed until the mediator opens a new round$/,
      });
    }
    refused(() => when(done.state, 'us', DRAFT_1), { status: 403, code: 'forbidden' });
  });
});

describe('withdraw', () => {
  test('by default, a party withdraws every acceptance it gave on the current draft', () => {
    const a = play([['il', { kind: 'stance', draft: 1, clause: 'deploy', stance: 'reject' }]], config(), agreedText());
    assert.deepEqual(when(a.state, 'il', { kind: 'withdraw', note: 'Cabinet said no.' }), [
      ev('talks.withdraw', 'il', { draft: 1, clauses: ['buffer'], note: 'Cabinet said no.' }),
    ]);
  });

  test('or the clauses it names; the stance becomes "withdrawn" since this draft', () => {
    const a = agreedText();
    const [e] = when(a.state, 'sy', { kind: 'withdraw', clauses: ['deploy'] });
    assert.deepEqual(e, ev('talks.withdraw', 'sy', { draft: 1, clauses: ['deploy'] }));
    const gap = gapReport(evolve(a.state, e), CAST.ru, T0);
    assert.deepEqual(gap.clauses[1].stances[1], { party: 'sy', stance: 'withdrawn', note: null, since: 1 });
    assert.equal(gap.clauses[0].stances[1].stance, 'accept');
    assert.equal(gap.agreed, false);
  });

  test('only what it accepted, of clauses that exist, of a draft that exists', () => {
    const a = play([['il', { kind: 'stance', draft: 1, clause: 'deploy', stance: 'reserve' }]], config(), agreedText());
    refused(() => when(a.state, 'il', { kind: 'withdraw', clauses: ['buffer', 'deploy'] }), {
      status: 409,
      code: 'not-accepted',
      path: 'clauses[1]',
      message: 'il does not accept clause "deploy" of draft 1 (reserve): nothing to withdraw',
    });
    refused(() => when(a.state, 'il', { kind: 'withdraw', clauses: ['hotline'] }), { status: 404, code: 'unknown-clause', path: 'clauses[0]' });
    refused(() => when(a.state, 'il', { kind: 'withdraw', clauses: [] }), { status: 400, code: 'invalid', path: 'clauses' });
    refused(() => when(opened().state, 'sy', { kind: 'withdraw' }), {
      status: 409,
      code: 'not-accepted',
      message: 'sy accepts no clause of draft 1: nothing to withdraw',
    });
    refused(() => when(given([]), 'sy', { kind: 'withdraw' }), { status: 409, code: 'no-draft' });
  });

  test('only a party withdraws', () => {
    for (const who of ['ru', 'us', 'undof', 'tr'] as Who[]) {
      refused(() => when(agreedText().state, who, { kind: 'withdraw' }), {
        status: 403,
        code: 'forbidden',
        message: /^only a party may withdraw an acceptance/,
      });
    }
  });
});

describe('evolve', () => {
  test('a statement read off the record is typed at that edge: a type the talks do not know is an error, not skipped', () => {
    assert.throws(() => talksEvent('talks.vote', 'il', T0, {}, false), /"talks.vote" is not a talks event type/);
    assert.throws(() => talksEvent('report', 'undof', T0, { id: 'o-1' }, false), /"report" is not a talks event type/);
    const e = talksEvent('talks.issue.close', 'ru', T0, { id: 'width' }, false);
    assert.deepEqual(evolve(opened().state, e).issues.find((i) => i.id === 'width')?.open, false);
  });

  test('an unknown talks event that got past the types is an error, not silently skipped', () => {
    const vote = { type: 'talks.vote', author: 'il', time: T0, body: {}, sealed: false } as unknown as TalksEvent;
    assert.throws(() => evolve(given([]), vote), /unknown talks event type "talks.vote"/);
  });

  test('it does not change the state it is given', () => {
    const before = agreedText();
    const snapshot = structuredClone(before.state);
    evolve(before.state, ev('talks.withdraw', 'il', { draft: 1, clauses: ['buffer'] }));
    evolve(before.state, ev('talks.draft', 'ru', { version: 2, clauses: [{ id: 'x', text: 'y' }], unchanged: [] }));
    assert.deepEqual(before.state, snapshot);
  });

  test('ids such as "constructor" are data, not Object.prototype', () => {
    const { state } = play([
      [
        'ru',
        {
          kind: 'draft',
          clauses: [
            { id: 'constructor', text: 'x' },
            { id: 'tostring', text: 'y' },
          ],
        },
      ],
    ]);
    const gap = gapReport(state, CAST.ru, T0);
    assert.deepEqual(
      gap.clauses[0].stances.map((s) => s.stance),
      ['none', 'none'],
    );
    const s2 = play([['il', { kind: 'stance', draft: 1, clause: 'constructor', stance: 'accept' }]], config(), { state, events: [] });
    assert.equal(gapReport(s2.state, CAST.ru, T0).clauses[0].stances[0].stance, 'accept');
  });
});
