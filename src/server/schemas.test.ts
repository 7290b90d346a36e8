// The HTTP edge and the talks decider take the same commands: at every limit a value
// that one accepts the other accepts, one past it both refuse, naming the same field.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { ZodType } from 'zod';
import { TalksError } from '../talks/errors.ts';
import { parseCommand } from '../talks/commands.ts';
import { COMMAND_KINDS, type CommandKind, LIMITS, STANCES } from '../talks/limits.ts';
import {
  ConsentBody,
  DraftBody,
  IssueBody,
  JointCloseBody,
  JointMessageBody,
  PrepareBody,
  RelayBody,
  StanceBody,
  SubmissionBody,
  WithdrawBody,
} from './schemas.ts';

/** The path of the first problem zod finds, written as the server writes it (`clauses[0].rules`), or undefined when it passes. */
function zodPath(schema: ZodType, body: unknown): string | undefined {
  const r = schema.safeParse(body);
  if (r.success) return undefined;
  return r.error.issues[0].path.map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? String(p) : `.${String(p)}`)).join('');
}

/** The path of the first problem the talks find, or undefined when the command parses. */
function talksPath(kind: CommandKind, body: object): string | undefined {
  try {
    parseCommand({ kind, ...body });
    return undefined;
  } catch (e) {
    assert.ok(e instanceof TalksError);
    assert.equal(e.status, 400);
    return e.issues[0].path;
  }
}

function agree(kind: CommandKind, schema: ZodType, body: object, path: string | undefined): void {
  assert.equal(zodPath(schema, body), path, `zod on ${JSON.stringify(body).slice(0, 80)}`);
  assert.equal(talksPath(kind, body), path, `talks on ${JSON.stringify(body).slice(0, 80)}`);
}

const ids = (n: number, prefix = 'c') => Array.from({ length: n }, (_, i) => `${prefix}${i}`);

// One case per limit: the command's kind, its schema, a body with a value of size n, and the field it is in.
const cases: { name: string; kind: CommandKind; schema: ZodType; limit: number; body: (n: number) => object; path: string }[] = [
  { name: 'submission text', kind: 'submit', schema: SubmissionBody, limit: LIMITS.text, body: (n) => ({ text: 'x'.repeat(n) }), path: 'text' },
  { name: 'relay text', kind: 'relay', schema: RelayBody, limit: LIMITS.text, body: (n) => ({ to: 'sy', text: 'x'.repeat(n) }), path: 'text' },
  { name: 'relay cites', kind: 'relay', schema: RelayBody, limit: LIMITS.cites, body: (n) => ({ to: 'sy', text: 'x', cites: ids(n, 's-') }), path: 'cites' },
  { name: 'issue title', kind: 'open-issue', schema: IssueBody, limit: LIMITS.title, body: (n) => ({ id: 'width', title: 't'.repeat(n) }), path: 'title' },
  { name: 'issue id', kind: 'open-issue', schema: IssueBody, limit: LIMITS.id, body: (n) => ({ id: 'w'.repeat(n), title: 'Width' }), path: 'id' },
  {
    name: 'numeric unit',
    kind: 'open-issue',
    schema: IssueBody,
    limit: LIMITS.unit,
    body: (n) => ({ id: 'width', title: 'Width', numeric: { unit: 'k'.repeat(n) } }),
    path: 'numeric.unit',
  },
  {
    name: 'clauses in a draft',
    kind: 'draft',
    schema: DraftBody,
    limit: LIMITS.clauses,
    body: (n) => ({ clauses: ids(n).map((id) => ({ id, text: 'x' })) }),
    path: 'clauses',
  },
  {
    name: 'clause text',
    kind: 'draft',
    schema: DraftBody,
    limit: LIMITS.text,
    body: (n) => ({ clauses: [{ id: 'a', text: 'x'.repeat(n) }] }),
    path: 'clauses[0].text',
  },
  {
    name: 'rules per clause',
    kind: 'draft',
    schema: DraftBody,
    limit: LIMITS.rulesPerClause,
    body: (n) => ({ clauses: [{ id: 'a', text: 'x', rules: ids(n, 'r').map((id) => ({ id })) }] }),
    path: 'clauses[0].rules',
  },
  {
    name: 'draft note',
    kind: 'draft',
    schema: DraftBody,
    limit: LIMITS.note,
    body: (n) => ({ clauses: [{ id: 'a', text: 'x' }], note: 'n'.repeat(n) }),
    path: 'note',
  },
  {
    name: 'stance note',
    kind: 'stance',
    schema: StanceBody,
    limit: LIMITS.note,
    body: (n) => ({ draft: 1, clause: 'a', stance: 'reserve', note: 'n'.repeat(n) }),
    path: 'note',
  },
  {
    name: 'clause text in a language',
    kind: 'draft',
    schema: DraftBody,
    limit: LIMITS.text,
    body: (n) => ({ clauses: [{ id: 'a', text: { en: 'x', he: 'x'.repeat(n), prevailing: 'en' } }] }),
    path: 'clauses[0].text.he',
  },
  {
    name: 'languages of a clause',
    kind: 'draft',
    schema: DraftBody,
    limit: LIMITS.languages,
    // language tags la, lb, lc, …
    body: (n) => ({
      clauses: [{ id: 'a', text: { ...Object.fromEntries(Array.from({ length: n }, (_, i) => [`l${'abcdefghijklmnop'[i]}`, 'x'])), prevailing: 'la' } }],
    }),
    path: 'clauses[0].text',
  },
  { name: 'joint message', kind: 'joint-message', schema: JointMessageBody, limit: LIMITS.text, body: (n) => ({ text: 'x'.repeat(n) }), path: 'text' },
  { name: 'consent note', kind: 'consent-direct', schema: ConsentBody, limit: LIMITS.note, body: (n) => ({ note: 'x'.repeat(n) }), path: 'note' },
  { name: 'closing note', kind: 'close-joint-channel', schema: JointCloseBody, limit: LIMITS.note, body: (n) => ({ note: 'x'.repeat(n) }), path: 'note' },
  { name: 'clauses withdrawn', kind: 'withdraw', schema: WithdrawBody, limit: LIMITS.clauses, body: (n) => ({ clauses: ids(n) }), path: 'clauses' },
];

describe('the request schemas and the talks agree at every limit', () => {
  for (const c of cases) {
    test(`${c.name}: ${c.limit} passes both, ${c.limit + 1} fails both at "${c.path}"`, () => {
      agree(c.kind, c.schema, c.body(c.limit), undefined);
      agree(c.kind, c.schema, c.body(c.limit + 1), c.path);
    });
  }
});

describe('and on the values they take', () => {
  test('every stance passes both; any other word fails both at "stance"', () => {
    for (const stance of STANCES) agree('stance', StanceBody, { draft: 1, clause: 'a', stance }, undefined);
    for (const stance of ['maybe', 'Accept', '']) agree('stance', StanceBody, { draft: 1, clause: 'a', stance }, 'stance');
  });

  test('an id outside the arrangement pattern fails both, where it stands', () => {
    agree('open-issue', IssueBody, { id: 'Not An Id', title: 'Width' }, 'id');
    agree('relay', RelayBody, { to: 'sy', text: 'x', cites: ['s-1', 'S 2'] }, 'cites[1]');
    agree('draft', DraftBody, { clauses: [{ id: '-a', text: 'x' }] }, 'clauses[0].id');
  });

  test('blank text fails both', () => {
    agree('submit', SubmissionBody, { text: ' \n\t' }, 'text');
    agree('open-issue', IssueBody, { id: 'width', title: '' }, 'title');
  });

  test('an empty list of clauses to withdraw fails both (leave it out to mean all)', () => {
    agree('withdraw', WithdrawBody, { clauses: [] }, 'clauses');
    agree('withdraw', WithdrawBody, {}, undefined);
  });

  test('the prepare route takes every command kind and no other', () => {
    for (const kind of COMMAND_KINDS) assert.equal(zodPath(PrepareBody, { command: { kind } }), undefined, kind);
    assert.equal(zodPath(PrepareBody, { command: { kind: 'vote' } }), 'command.kind');
    assert.throws(
      () => parseCommand({ kind: 'vote' }, 'command'),
      (e) => e instanceof TalksError && e.issues[0].path === 'command.kind',
    );
  });

  test('a prepared command names its fields under "command"', () => {
    assert.throws(
      () => parseCommand({ kind: 'submit', text: 7 }, 'command'),
      (e) => e instanceof TalksError && e.status === 400 && e.issues[0].path === 'command.text' && /^command\.text: /.test(e.message),
    );
    assert.throws(
      () => parseCommand([], 'command'),
      (e) => e instanceof TalksError && e.issues[0].path === 'command',
    );
  });
});
