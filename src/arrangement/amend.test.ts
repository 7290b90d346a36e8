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

test('an amendment sets sections as a whole and adds rules; its problems are named where the draft holds them', async () => {
  const { amendedSource, checkAmendment } = await import('./amend.ts');
  const zones = (source.value as { zones: { id: string }[] }).zones;
  const wd3 = {
    id: 'il-wd-3',
    geometry: {
      type: 'Polygon',
      coordinates: [
        [
          [35.7, 33.2],
          [35.75, 33.2],
          [35.75, 33.25],
          [35.7, 33.25],
          [35.7, 33.2],
        ],
      ],
    },
  };
  const rule = { id: 'c-wd-3', kind: 'commitment', actor: 'il', due: '2026-06-01T00:00:00Z', absent: { zone: 'il-wd-3' } };
  const a = { sections: { zones: [...zones, wd3] }, rules: [rule] };
  assert.deepEqual(checkAmendment(source, a), []);
  const amended = amendedSource(source, a);
  assert.equal(amended.arrangement.zones.at(-1)!.id, 'il-wd-3');
  assert.equal(amended.arrangement.rules.at(-1)!.id, 'c-wd-3');
  // the added zone's geometry is validated as a file's is
  const bad = { sections: { zones: [...zones, { ...wd3, geometry: { type: 'Polygon', coordinates: [[[35.7, 33.2]]] } }] }, rules: [rule] };
  const issues = checkAmendment(source, bad);
  assert.ok(issues.length > 0 && issues.every((i) => i.path.startsWith(`sections.zones[${zones.length}]`)), JSON.stringify(issues));
  // a rule naming a zone the amendment does not have
  assert.deepEqual(
    checkAmendment(source, { sections: {}, rules: [{ ...rule, absent: { zone: 'nowhere' } }] }).map((i) => i.path),
    ['rules[0].absent.zone'],
  );
  // taking out a zone a file rule needs is the amendment's fault
  const without = checkAmendment(source, { sections: { zones: zones.filter((z) => z.id !== 'aos') }, rules: [] });
  assert.ok(
    without.every((i) => i.path.startsWith('sections') && /aos/.test(i.message)),
    JSON.stringify(without),
  );
  assert.ok(without.some((i) => i.path === 'sections' && i.message.startsWith('rules[0].zone: ')));
  assert.throws(() => amendedSource(source, bad), ArrangementError);
});

test("an amendment's sections.rules replaces the file's own rules: a limit changed, a rule retired, clashes named there", async () => {
  const { amendedSource, checkAmendment } = await import('./amend.ts');
  const own = (source.value as { rules: { id: string; max?: number }[] }).rules;
  const at = own.findIndex((r) => r.id === 'r-sy-tanks-0-10');
  const lowered = own.map((r, i) => (i === at ? { ...r, max: (r.max ?? 0) - 25 } : r));
  const retired = own.filter((r) => r.id !== 'r-strip-no-tanks');
  const a = { sections: { rules: lowered }, rules: [limit] };
  assert.deepEqual(checkAmendment(source, a), []);
  const was = source.arrangement.rules.find((r) => r.id === 'r-sy-tanks-0-10') as { max: number };
  const now = amendedSource(source, a).arrangement.rules;
  assert.equal((now.find((r) => r.id === 'r-sy-tanks-0-10') as { max: number }).max, was.max - 25);
  assert.equal(now.at(-1)!.id, 'r-new', "the clauses' rules come after the section's");
  assert.equal(now.length, own.length + 1);
  const gone = amendedSource(source, { sections: { rules: retired }, rules: [] }).arrangement.rules.map((r) => r.id);
  assert.ok(!gone.includes('r-strip-no-tanks') && gone.includes('r-strip-no-artillery'));

  // A duplicate id, an unknown zone, a bad limit: named at sections.rules[k]…
  const bad = [...lowered.slice(0, 3), { ...lowered[2] }, { ...lowered[at], zone: 'nowhere', max: -1 }];
  const issues = checkAmendment(source, { sections: { rules: bad }, rules: [] });
  assert.ok(
    issues.some((i) => /^sections\.rules\[[23]\]/.test(i.path) && /duplicate|already/i.test(i.message)),
    JSON.stringify(issues),
  );
  assert.ok(
    issues.some((i) => i.path === 'sections.rules[4].zone' && /nowhere/.test(i.message)),
    JSON.stringify(issues),
  );
  assert.ok(
    issues.some((i) => i.path === 'sections.rules[4].max'),
    JSON.stringify(issues),
  );
  // A clause rule that clashes with a rule the section keeps, and a section that is no array.
  const clash = checkAmendment(source, { sections: { rules: retired }, rules: [{ ...limit, id: 'r-strip-no-artillery' }] });
  assert.ok(
    clash.some((i) => /^(rules\[0\]|sections\.rules\[\d+\])/.test(i.path) && /duplicate|already/i.test(i.message)),
    JSON.stringify(clash),
  );
  assert.deepEqual(
    checkAmendment(source, { sections: { rules: { id: 'x' } }, rules: [] }).map((i) => i.path),
    ['sections.rules'],
  );
  // A kept commitment that waits on a retired one does not stand alone.
  const orphan = checkAmendment(source, { sections: { rules: own.filter((r) => r.id !== 'c-ru-deploy') }, rules: [] });
  assert.ok(
    orphan.some((i) => /^sections\.rules\[\d+\]\.after$/.test(i.path)),
    JSON.stringify(orphan),
  );
});
