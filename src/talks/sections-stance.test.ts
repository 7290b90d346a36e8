// A draft's sections bind the parties like its clauses: each party accepts them as the
// pseudo-clause "sections", its stance binding their hash; without that acceptance there
// is no approval and no announcement. Given events / when command / then events or refusal.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { evolve, replay } from './evolve.ts';
import { agreedText, BUFFER_RULE, CAST, config, DEPLOY_RULE, play, refused, T0, when, type Who } from './scenario.ts';
import { initialState } from './state.ts';
import { canonicalJson, sectionsHash } from './sections-stance.ts';
import type { Json, TalksEvent, TalksState } from './types.ts';
import { gapReport } from './gap.ts';
import { talksView } from './view.ts';

const WD3 = {
  id: 'wd-3',
  kind: 'withdrawal-area',
  polygon: [
    [35.8, 33.0],
    [35.9, 33.0],
    [35.9, 33.1],
    [35.8, 33.0],
  ],
};
const SECTIONS = { zones: [WD3], witnesses: { quorum: 1, keys: ['k1'] } };
const CLAUSES = [
  { id: 'buffer', text: 'Syrian tanks within 10 km of Line B: at most 75.', rules: [BUFFER_RULE] },
  { id: 'deploy', text: 'Russia deploys 1,000 troops south of Quneitra by 1 February.', rules: [DEPLOY_RULE] },
];
const DRAFT_2 = { kind: 'draft', clauses: CLAUSES, sections: SECTIONS };
/** The `unchanged` list of the last draft played. */
const unchangedOf = (p: { events: TalksEvent[] }) =>
  (p.events.filter((e) => e.type === 'talks.draft').at(-1) as Extract<TalksEvent, { type: 'talks.draft' }>).body.unchanged;
const accept = (who: Who, draft: number, clause: string, more: object = {}): [Who, unknown] => [
  who,
  { kind: 'stance', draft, clause, stance: 'accept', ...more },
];

/** Draft 1 agreed (no sections), then draft 2: the same clauses (stances carried over), and sections. */
const withSections = (cfg = config()) => play([['ru', DRAFT_2]], cfg, agreedText(cfg));
/** …and both parties accept the sections. */
const sectionsAccepted = (cfg = config()) => play([accept('il', 2, 'sections'), accept('sy', 2, 'sections')], cfg, withSections(cfg));

describe('a draft that sets sections', () => {
  test('the guarantor cannot approve while a party has not accepted the sections: 409 naming "sections"', () => {
    const s = withSections();
    assert.deepEqual(unchangedOf(s), ['buffer', 'deploy'], 'the clauses are unchanged, their stances carried over');
    refused(() => when(s.state, 'us', { kind: 'approve', draft: 2 }), {
      status: 409,
      code: 'not-agreed',
      message: 'not every party accepts every clause of draft 2: il has not accepted sections (no stance); sy has not accepted sections (no stance)',
    });
    const one = play([accept('il', 2, 'sections')], config(), s);
    refused(() => when(one.state, 'us', { kind: 'approve', draft: 2 }), {
      status: 409,
      code: 'not-agreed',
      message: /: sy has not accepted sections \(no stance\)$/,
    });
    const both = sectionsAccepted();
    const [approval] = when(both.state, 'us', { kind: 'approve', draft: 2 });
    assert.equal(approval.type, 'talks.approve');
  });

  test('without a guarantor the announcement itself is refused, naming "sections"', () => {
    const cfg = config({ actors: [CAST.il, CAST.sy, CAST.ru] });
    const s = play([accept('il', 2, 'sections'), ['sy', { kind: 'stance', draft: 2, clause: 'sections', stance: 'reserve' }]], cfg, withSections(cfg));
    refused(() => when(s.state, 'ru', { kind: 'announce', draft: 2 }), {
      status: 409,
      code: 'not-agreed',
      message: /sy has not accepted sections \(reserve\)/,
    });
    const ok = play([accept('sy', 2, 'sections')], cfg, s);
    assert.equal(when(ok.state, 'ru', { kind: 'announce', draft: 2 })[0].type, 'talks.announce');
  });

  test('a stance on the sections binds the hash of their canonical JSON; another hash is 409 sections-changed', () => {
    const s = withSections();
    const hash = sectionsHash(SECTIONS as unknown as Json);
    const [e] = when(s.state, 'il', { kind: 'stance', draft: 2, clause: 'sections', stance: 'accept', sections_hash: hash });
    assert.deepEqual(e.body, { draft: 2, clause: 'sections', stance: 'accept', sections_hash: hash });
    const [plain] = when(s.state, 'sy', { kind: 'stance', draft: 2, clause: 'sections', stance: 'reject', note: 'no third area' });
    assert.deepEqual(plain.body, { draft: 2, clause: 'sections', stance: 'reject', note: 'no third area', sections_hash: hash });
    const other = sectionsHash({ ...SECTIONS, witnesses: { quorum: 2, keys: ['k1'] } } as unknown as Json);
    refused(() => when(s.state, 'il', { kind: 'stance', draft: 2, clause: 'sections', stance: 'accept', sections_hash: other }), {
      status: 409,
      code: 'sections-changed',
      path: 'sections_hash',
    });
    refused(() => when(s.state, 'il', { kind: 'stance', draft: 2, clause: 'sections', stance: 'accept', texts_hash: hash }), {
      status: 400,
      code: 'invalid',
      path: 'texts_hash',
    });
    refused(() => when(s.state, 'il', { kind: 'stance', draft: 2, clause: 'buffer', stance: 'accept', sections_hash: hash }), {
      status: 400,
      code: 'invalid',
      path: 'sections_hash',
    });
  });

  test('the same sections in the next draft (keys in another order) keep their stances; changed ones start again', () => {
    const s = sectionsAccepted();
    const reordered = { witnesses: { keys: ['k1'], quorum: 1 }, zones: [WD3] };
    const same = play([['ru', { kind: 'draft', clauses: CLAUSES, sections: reordered, note: 'tidied' }]], config(), s);
    assert.deepEqual(unchangedOf(same), ['buffer', 'deploy', 'sections']);
    assert.equal(when(same.state, 'us', { kind: 'approve', draft: 3 })[0].type, 'talks.approve');
    assert.equal(same.state.stances.sections.il.since, 2, 'accepts since draft 2');

    // One coordinate moved: the sections are not those the parties accepted.
    const moved = {
      ...SECTIONS,
      zones: [
        {
          ...WD3,
          polygon: [
            [35.8, 33.0],
            [35.95, 33.0],
            [35.9, 33.1],
            [35.8, 33.0],
          ],
        },
      ],
    };
    const changed = play([['ru', { kind: 'draft', clauses: CLAUSES, sections: moved }]], config(), s);
    assert.deepEqual(unchangedOf(changed), ['buffer', 'deploy']);
    assert.equal(changed.state.stances.sections, undefined);
    refused(() => when(changed.state, 'us', { kind: 'approve', draft: 3 }), {
      status: 409,
      code: 'not-agreed',
      message: /il has not accepted sections \(no stance\)/,
    });
  });

  test('a draft that drops the sections needs no stance on them, and takes none', () => {
    const s = sectionsAccepted();
    const none = play([['ru', { kind: 'draft', clauses: CLAUSES }]], config(), s);
    assert.deepEqual(unchangedOf(none), ['buffer', 'deploy']);
    assert.equal(when(none.state, 'us', { kind: 'approve', draft: 3 })[0].type, 'talks.approve');
    refused(() => when(none.state, 'il', { kind: 'stance', draft: 3, clause: 'sections', stance: 'accept' }), {
      status: 404,
      code: 'unknown-clause',
      path: 'clause',
    });
    // …and sections set again after a draft without them start with no stance.
    const again = play([['ru', DRAFT_2]], config(), none);
    assert.deepEqual(unchangedOf(again), ['buffer', 'deploy']);
    refused(() => when(again.state, 'us', { kind: 'approve', draft: 4 }), { status: 409, code: 'not-agreed', message: /sections/ });
  });

  test('a step back from the sections voids the approval; a withdrawal takes them back too', () => {
    const approved = play([['us', { kind: 'approve', draft: 2 }]], config(), sectionsAccepted());
    assert.equal(approved.state.approvals.length, 1);
    const reserved = play([['sy', { kind: 'stance', draft: 2, clause: 'sections', stance: 'reserve' }]], config(), approved);
    assert.deepEqual(reserved.state.approvals, []);
    const [all] = when(approved.state, 'il', { kind: 'withdraw' });
    assert.deepEqual(all.body, { draft: 2, clauses: ['buffer', 'deploy', 'sections'] });
    const only = play([['sy', { kind: 'withdraw', clauses: ['sections'] }]], config(), approved);
    assert.equal(only.state.stances.sections.sy.stance, 'withdrawn');
    assert.deepEqual(only.state.approvals, []);
  });

  test('"sections" is reserved: no clause may take the id', () => {
    refused(() => when(agreedText().state, 'ru', { kind: 'draft', clauses: [{ id: 'sections', text: 'x' }] }), {
      status: 400,
      code: 'invalid',
      path: 'clauses[0].id',
    });
  });

  test('the parties see the sections, their hash and the stances on them; the gap lists them as the clause "sections"', () => {
    const s = play([accept('il', 2, 'sections')], config(), withSections());
    const hash = sectionsHash(SECTIONS as unknown as Json);
    for (const who of ['il', 'sy', 'ru', 'us'] as Who[]) {
      const v = talksView(s.state, CAST[who], T0);
      const d = v.drafts.at(-1);
      assert.deepEqual(d?.sections, SECTIONS, who);
      assert.equal(d?.sections_hash, hash, who);
      assert.deepEqual(
        v.stances.filter((x) => x.clause === 'sections').map((x) => [x.party, x.stance]),
        [['il', 'accept']],
        who,
      );
      const g = gapReport(s.state, CAST[who], T0);
      assert.deepEqual(
        g.clauses.map((c) => [c.id, c.accepted]),
        [
          ['buffer', true],
          ['deploy', true],
          ['sections', false],
        ],
        who,
      );
      assert.equal(g.agreed, false, who);
    }
    assert.equal(talksView(s.state, CAST.il, T0).drafts[0].sections_hash, null, 'draft 1 set no sections');
    for (const who of ['undof', 'tr'] as Who[]) {
      const v = talksView(s.state, CAST[who], T0);
      assert.deepEqual([v.drafts, v.stances, gapReport(s.state, CAST[who], T0).clauses], [[], [], []], who);
    }
  });

  test('replay from the record (a JSON round trip) gives the same state, the sections stances included', () => {
    const s = play(
      [
        ['us', { kind: 'approve', draft: 2 }],
        ['sy', { kind: 'withdraw', clauses: ['sections'] }],
        ['ru', { kind: 'draft', clauses: CLAUSES, sections: { zones: [WD3], witnesses: { keys: ['k1'], quorum: 1 } } }],
      ],
      config(),
      sectionsAccepted(),
    );
    const events = JSON.parse(JSON.stringify(s.events)) as TalksEvent[];
    const again: TalksState = replay(initialState(config()), events);
    assert.deepEqual(again, s.state);
    assert.equal(again.stances.sections.sy.stance, 'withdrawn', 'a withdrawn stance on unchanged sections stays withdrawn');
    assert.equal(events.reduce(evolve, initialState(config())).stances.sections.il.stance, 'accept');
  });
});

describe('sectionsHash', () => {
  test('is the SHA-256 of RFC 8785-style JSON: keys sorted at every depth, no spaces', () => {
    assert.equal(canonicalJson({ b: [1, { d: 'é', c: null }], a: true } as Json), '{"a":true,"b":[1,{"c":null,"d":"é"}]}');
    // echo -n '{"a":1}' | sha256sum
    assert.equal(sectionsHash({ a: 1 }), '015abd7f5cc57a2dd94b7590f04ad8084273905ee33ec5cebeae62276a97f862');
  });

  test('does not depend on key order, and tells apart any changed value', () => {
    const json = fc.letrec((tie) => ({
      value: fc.oneof({ depthSize: 'small' }, fc.constant(null), fc.boolean(), fc.integer(), fc.string(), tie('array'), tie('object')),
      array: fc.array(tie('value'), { maxLength: 4 }),
      object: fc.dictionary(fc.string({ maxLength: 4 }), tie('value'), { maxKeys: 4 }),
    }));
    const reversed = (v: unknown): unknown =>
      Array.isArray(v)
        ? v.map(reversed)
        : v !== null && typeof v === 'object'
          ? Object.fromEntries(
              Object.entries(v)
                .reverse()
                .map(([k, x]) => [k, reversed(x)]),
            )
          : v;
    fc.assert(
      fc.property(json.object, fc.string({ maxLength: 4 }), (o, k) => {
        assert.equal(sectionsHash(reversed(o) as Json), sectionsHash(o as Json));
        const changed = { ...o, [k]: Object.hasOwn(o, k) ? [o[k]] : 0 };
        assert.notEqual(sectionsHash(changed as Json), sectionsHash(o as Json));
      }),
    );
  });
});
