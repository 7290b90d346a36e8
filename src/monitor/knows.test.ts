import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compileArrangement } from '../arrangement/compile.ts';
import { IssueList } from '../arrangement/issues.ts';
import { validateDocument } from '../arrangement/validate.ts';
import { Monitor } from './engine.ts';
import { parseReportByJson, ReportError } from './reports.ts';

// Monitor.knows tells whether push would refuse a report id as a duplicate.

test('knows an id once its report is accepted, not before, and not for a refused one', () => {
  const out = new IssueList('(test)');
  const doc = validateDocument(
    {
      detente: 1,
      id: 't',
      title: 'T',
      actors: [{ id: 'a', name: 'A', role: 'party' }],
      assets: [{ id: 'troops' }],
      zones: [
        {
          id: 'z1',
          geometry: {
            type: 'Polygon',
            coordinates: [
              [
                [35.8, 33.0],
                [35.9, 33.0],
                [35.9, 33.1],
                [35.8, 33.1],
                [35.8, 33.0],
              ],
            ],
          },
        },
      ],
      rules: [{ id: 'p', kind: 'presence', zone: 'z1', forbid: ['a'] }],
    },
    out,
    () => ({ error: 'no files', name: '(none)' }),
  );
  assert.ok(doc && out.issues.length === 0);
  const m = new Monitor(compileArrangement(doc));
  const obs = (id: string) =>
    parseReportByJson(`{"type":"observation","id":"${id}","time":"2025-12-27T10:00:00Z","unit":"u1","actor":"a","position":[35.85,33.05]}`);
  for (const id of ['o-1', 'x', 'r007', 'r7', 'é9']) {
    assert.equal(m.knows(id), false, id);
    m.push(obs(id));
    assert.equal(m.knows(id), true, id);
  }
  assert.equal(m.knows('r0007'), false);
  assert.throws(
    () => m.push(obs('r7')),
    (e: unknown) => e instanceof ReportError && e.message === 'duplicate report id "r7"',
  );
  assert.equal(m.knows('r8'), false);
});
