// Reading the escalation ladder, the challenge duty and the commission from an arrangement.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { testDoc } from '../monitor/testdoc.ts';
import { IssueList } from './issues.ts';
import type { ArrangementDoc, InspectionRule, NoticeRule } from './types.ts';
import { validateDocument } from './validate.ts';

function check(rules: object[], extra: object = {}): { doc?: ArrangementDoc; issues: string[] } {
  const out = new IssueList('(test)');
  const doc = validateDocument(testDoc(rules, extra), out, () => ({ error: 'no files', name: '(none)' }));
  return { doc, issues: out.issues.map((i) => `${i.path.join('.')}: ${i.message}`) };
}
const notice = (more: object = {}) => ({ id: 'nt', kind: 'notice', actor: 'a', zone: 'z1', lead: 'PT1H', ...more });

test('a notice rule reads its ladder in milliseconds; the arrangement-wide one goes to rules with ack and none of their own', () => {
  const wide = [{ to: 'mediator', after: 'PT1H' }];
  const { doc, issues } = check(
    [
      notice({
        ack: 'PT10M',
        escalation: [
          { to: 'notified', after: 'PT5M' },
          { to: 'g', after: 'PT15M' },
        ],
      }),
      notice({ id: 'n2', ack: 'PT10M' }),
      notice({ id: 'n3' }),
    ],
    { escalation: wide },
  );
  assert.deepEqual(issues, []);
  const [a, b, c] = doc!.rules as NoticeRule[];
  assert.deepEqual(a.escalation, [
    { to: 'notified', afterMs: 300000 },
    { to: 'g', afterMs: 900000 },
  ]);
  assert.deepEqual(b.escalation, [{ to: 'mediator', afterMs: 3600000 }]);
  assert.equal(c.escalation, undefined, 'without ack there is no ladder to climb');
});

test('a bad ladder is refused with the path of each fault', () => {
  const { doc, issues } = check([
    notice({ escalation: [{ to: 'mediator', after: 'PT5M' }] }),
    notice({ id: 'n2', ack: 'PT10M', escalation: [{ to: 'nobody', after: 'PT5M' }, { to: 'mediator', after: 'PT5M' }, { to: 'guarantor' }] }),
    notice({ id: 'n3', ack: 'PT10M', escalation: [] }),
  ]);
  assert.equal(doc, undefined);
  assert.deepEqual(issues, [
    'rules.0.escalation: an escalation needs ack (the ladder starts at the ack deadline)',
    'rules.1.escalation.0.to: unknown actor "nobody" (expected an actor id or one of: notified, mediator, guarantor)',
    'rules.1.escalation.1.after: each step must come after the one before it (after counts from the ack deadline)',
    'rules.1.escalation.2.after: missing',
    'rules.2.escalation: must not be empty',
  ]);
});

test('an inspection rule reads its challenge duty; a commission names known actors once', () => {
  const { doc, issues } = check([{ id: 'i', kind: 'inspection', actor: 'o', zones: ['z1'], every: 'P15D', challenge: { within: 'PT24H' } }], {
    commission: ['m', 'g'],
  });
  assert.deepEqual(issues, []);
  assert.equal((doc!.rules[0] as InspectionRule).challengeWithinMs, 24 * 3600000);
  assert.deepEqual(doc!.commission, ['m', 'g']);
  const bad = check([{ id: 'i', kind: 'inspection', actor: 'o', zones: ['z1'], every: 'P15D', challenge: { within: 'PT0S' } }], {
    commission: ['m', 'zz', 'm'],
  });
  assert.deepEqual(bad.issues, [
    'commission.1: unknown actor "zz" (known: a, b, m, g, o, t3)',
    'commission.2: "m" is named twice',
    'rules.0.challenge.within: must be longer than zero',
  ]);
});

test("bench names guarantors only, each once: the bench holds the parties' reservation values", () => {
  assert.deepEqual(check([], { bench: ['g'] }).doc?.bench, ['g']);
  assert.equal(check([]).doc?.bench, undefined);
  assert.deepEqual(check([], { bench: ['g', 'a', 'zz', 'g'] }).issues, [
    'bench.1: only a guarantor may read the mediator\'s bench beside the mediator; "a" is a party',
    'bench.2: unknown actor "zz" (known: a, b, m, g, o, t3)',
    'bench.3: "g" is named twice',
  ]);
});
