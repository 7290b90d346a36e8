import assert from 'node:assert/strict';
import { test } from 'node:test';
import { amendArrangement, checkAddedRules } from './amend.ts';
import { ArrangementError } from './issues.ts';
import { loadArrangementSource } from './load.ts';

const source = loadArrangementSource(new URL('../../examples/southern-syria/arrangement.yaml', import.meta.url).pathname);
const limit = { id: 'r-new', kind: 'limit', zone: 'aos', actor: 'sy', asset: 'tanks', max: 0 };

test('added rules are checked by the file validation, located among the added ones', () => {
  assert.deepEqual(checkAddedRules(source, [limit]), []);
  const issues = checkAddedRules(source, [limit, { ...limit, id: 'r-other', zone: 'nowhere' }, { ...limit, id: 'r-aos-only-undof' }]);
  assert.ok(
    issues.some((i) => i.rule === 1 && i.path[0] === 'zone' && /nowhere/.test(i.message)),
    JSON.stringify(issues),
  );
  assert.ok(
    issues.some((i) => i.rule === 2 && /duplicate|already/i.test(i.message)),
    JSON.stringify(issues),
  );
  // A rule may depend on one of the file's: a commitment after the file's deployment.
  assert.deepEqual(
    checkAddedRules(source, [{ id: 'c-next', kind: 'commitment', actor: 'il', after: 'c-ru-deploy', within: 'P10D', absent: { zone: 'hermon' } }]),
    [],
  );
});

test('amendArrangement puts the added rules after the file rules, zones unchanged', () => {
  const a = amendArrangement(source, [limit]);
  assert.equal(a.rules.length, source.arrangement.rules.length + 1);
  assert.equal(a.rules.at(-1)!.id, 'r-new');
  assert.deepEqual(
    a.zones.map((z) => z.id),
    source.arrangement.zones.map((z) => z.id),
  );
  assert.equal(amendArrangement(source, []), source.arrangement);
  assert.throws(() => amendArrangement(source, [{ ...limit, max: -1 }]), ArrangementError);
});
