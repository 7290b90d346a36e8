import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  ACTIONS,
  ITEM_KINDS,
  ROLES,
  canSee,
  mayAct,
  mayFile,
  mayReadBench,
  mayResolve,
  type Action,
  type Actor,
  type Item,
  type ItemKind,
  type Role,
} from './policy.ts';

// The expected policy, written out independently of the tables in policy.ts.
// Roles in ROLES order: party, mediator, guarantor, observer, third-party.
const Y = true;
const N = false;
const EXPECTED_ACTS: Record<Action, [boolean, boolean, boolean, boolean, boolean]> = {
  //                   party mediator guarantor observer third
  submit: /*         */ [Y, N, N, N, N],
  relay: /*          */ [N, Y, N, N, N],
  'open-issue': /*   */ [N, Y, N, N, N],
  'close-issue': /*  */ [N, Y, N, N, N],
  draft: /*          */ [N, Y, N, N, N],
  stance: /*         */ [Y, N, N, N, N],
  approve: /*        */ [N, N, Y, N, N],
  announce: /*       */ [N, Y, N, N, N],
  withdraw: /*       */ [Y, N, N, N, N],
  'consent-direct': /**/ [Y, N, N, N, N],
  'open-joint-channel': [N, Y, N, N, N],
  'joint-message': /**/ [Y, Y, N, N, N],
  'close-joint-channel': [Y, N, N, N, N],
  'open-round': /*   */ [N, Y, N, N, N],
  'propose-extension': [N, Y, N, N, N],
  'approve-extension': [N, N, Y, N, N],
  report: /*         */ [Y, Y, N, Y, N],
  dispute: /*        */ [Y, N, N, N, N],
  resolve: /*        */ [N, Y, N, N, N],
  challenge: /*      */ [Y, N, N, N, N],
  'record-refusal': [N, N, N, Y, N],
  'read-arrangement': [Y, Y, Y, Y, Y],
  'read-talks': /*   */ [Y, Y, Y, N, N],
  'read-findings': /**/ [Y, Y, Y, Y, Y],
  'read-record': /*  */ [Y, Y, Y, Y, Y],
  'read-events': /*  */ [Y, Y, Y, Y, Y],
  'subscribe-webhooks': /*  */ [Y, Y, Y, Y, Y],
  'read-bench': /*   */ [N, Y, N, N, N],
  'write-bench': /*  */ [N, Y, N, N, N],
};

// Each item kind in three variants, as seen by actor "me":
//   mine   – written by me (addressed to someone else, about someone else)
//   toMe   – written by someone else, addressed to me / about me / acknowledging my notice
//   others – neither written by me nor addressed to or about me
const VARIANTS: Record<ItemKind, { mine: Item; toMe: Item; others: Item }> = {
  submission: { mine: { kind: 'submission', author: 'me' }, toMe: { kind: 'submission', author: 'x' }, others: { kind: 'submission', author: 'x' } },
  relay: { mine: { kind: 'relay', to: 'x' }, toMe: { kind: 'relay', to: 'me' }, others: { kind: 'relay', to: 'x' } },
  issue: { mine: { kind: 'issue' }, toMe: { kind: 'issue' }, others: { kind: 'issue' } },
  draft: { mine: { kind: 'draft' }, toMe: { kind: 'draft' }, others: { kind: 'draft' } },
  stance: { mine: { kind: 'stance' }, toMe: { kind: 'stance' }, others: { kind: 'stance' } },
  approval: { mine: { kind: 'approval' }, toMe: { kind: 'approval' }, others: { kind: 'approval' } },
  announcement: { mine: { kind: 'announcement' }, toMe: { kind: 'announcement' }, others: { kind: 'announcement' } },
  withdrawal: { mine: { kind: 'withdrawal' }, toMe: { kind: 'withdrawal' }, others: { kind: 'withdrawal' } },
  deadline: { mine: { kind: 'deadline' }, toMe: { kind: 'deadline' }, others: { kind: 'deadline' } },
  position: { mine: { kind: 'position', author: 'me' }, toMe: { kind: 'position', author: 'x' }, others: { kind: 'position', author: 'x' } },
  gap: { mine: { kind: 'gap' }, toMe: { kind: 'gap' }, others: { kind: 'gap' } },
  entry: { mine: { kind: 'entry' }, toMe: { kind: 'entry' }, others: { kind: 'entry' } },
  sealed: {
    mine: { kind: 'sealed', author: 'me', to: 'x' },
    toMe: { kind: 'sealed', author: 'x', to: 'me' },
    others: { kind: 'sealed', author: 'x', to: 'y' },
  },
  dispute: {
    mine: { kind: 'dispute', author: 'me', about: ['x'] },
    toMe: { kind: 'dispute', author: 'x', about: ['me'] },
    others: { kind: 'dispute', author: 'x', about: ['y'] },
  },
  joint: { mine: { kind: 'joint' }, toMe: { kind: 'joint' }, others: { kind: 'joint' } },
};

type Seen = [mine: boolean, toMe: boolean, others: boolean];
const ALL: Seen = [Y, Y, Y];
const NONE: Seen = [N, N, N];
const OWN: Seen = [Y, N, N];
const ADDRESSED: Seen = [N, Y, N];
const OWN_OR_ADDRESSED: Seen = [Y, Y, N];

const EXPECTED_SEES: Record<ItemKind, [party: Seen, mediator: Seen, guarantor: Seen, observer: Seen, third: Seen]> = {
  submission: [OWN, ALL, NONE, NONE, NONE],
  relay: [ADDRESSED, ALL, NONE, NONE, NONE],
  issue: [ALL, ALL, NONE, NONE, NONE],
  draft: [ALL, ALL, ALL, NONE, NONE],
  stance: [ALL, ALL, ALL, NONE, NONE],
  approval: [ALL, ALL, ALL, NONE, NONE],
  announcement: [ALL, ALL, ALL, ALL, ALL],
  withdrawal: [ALL, ALL, ALL, NONE, NONE],
  deadline: [NONE, ALL, ALL, NONE, NONE],
  position: [OWN, ALL, NONE, NONE, NONE],
  gap: [NONE, ALL, NONE, NONE, NONE],
  entry: [ALL, ALL, ALL, ALL, ALL],
  sealed: [OWN_OR_ADDRESSED, ALL, OWN_OR_ADDRESSED, OWN_OR_ADDRESSED, OWN_OR_ADDRESSED],
  dispute: [OWN_OR_ADDRESSED, ALL, ALL, OWN_OR_ADDRESSED, OWN_OR_ADDRESSED],
  joint: [ALL, ALL, NONE, NONE, NONE],
};

const me = (role: Role): Actor => ({ id: 'me', role });

test('the expected matrices cover every action and item kind', () => {
  assert.deepEqual(Object.keys(EXPECTED_ACTS).sort(), [...ACTIONS].sort());
  assert.deepEqual(Object.keys(EXPECTED_SEES).sort(), [...ITEM_KINDS].sort());
  assert.deepEqual(Object.keys(VARIANTS).sort(), [...ITEM_KINDS].sort());
});

test('mayAct: every role × every action matches the expected matrix', () => {
  const wrong: string[] = [];
  ROLES.forEach((role, r) => {
    for (const action of ACTIONS) {
      const got = mayAct(me(role), action);
      if (got.ok !== EXPECTED_ACTS[action][r]) wrong.push(`${role} ${action}: got ${got.ok}`);
    }
  });
  assert.deepEqual(wrong, []);
});

test('canSee: every role × every item kind (own, addressed, others) matches the expected matrix', () => {
  const wrong: string[] = [];
  ROLES.forEach((role, r) => {
    for (const kind of ITEM_KINDS) {
      const v = VARIANTS[kind];
      const got: Seen = [canSee(me(role), v.mine), canSee(me(role), v.toMe), canSee(me(role), v.others)];
      if (got.join() !== EXPECTED_SEES[kind][r].join()) wrong.push(`${role} ${kind}: got ${got.join()} want ${EXPECTED_SEES[kind][r].join()}`);
    }
  });
  assert.deepEqual(wrong, []);
});

test('mayResolve: the mediator, or any member of the joint commission the arrangement names', () => {
  assert.equal(mayResolve({ id: 'ru', role: 'mediator' }).ok, true);
  assert.equal(mayResolve({ id: 'us', role: 'guarantor' }).ok, false);
  assert.equal(mayResolve({ id: 'us', role: 'guarantor' }, ['us', 'il']).ok, true);
  assert.equal(mayResolve({ id: 'sy', role: 'party' }, ['us', 'il']).ok, false);
  assert.match(
    (mayResolve({ id: 'sy', role: 'party' }) as { reason: string }).reason,
    /only the mediator \(or a member of the joint commission\) may resolve a dispute/,
  );
});

test('mayReadBench: the mediator, or a guarantor the arrangement names; never a party, even if named', () => {
  assert.equal(mayReadBench({ id: 'ru', role: 'mediator' }).ok, true);
  assert.equal(mayReadBench({ id: 'us', role: 'guarantor' }).ok, false);
  assert.equal(mayReadBench({ id: 'us', role: 'guarantor' }, ['us']).ok, true);
  assert.equal(mayReadBench({ id: 'eu', role: 'guarantor' }, ['us']).ok, false);
  assert.equal(mayReadBench({ id: 'il', role: 'party' }, ['il']).ok, false);
  assert.equal(mayReadBench({ id: 'undof', role: 'observer' }, ['undof']).ok, false);
  assert.equal(mayAct({ id: 'us', role: 'guarantor' }, 'write-bench').ok, false);
});

test('a refusal says who may act and what the actor is', () => {
  const got = mayAct({ id: 'us', role: 'guarantor' }, 'draft');
  assert.deepEqual(got, { ok: false, reason: 'only the mediator may draft the single text (us is a guarantor)' });
  const obs = mayAct({ id: 'undof', role: 'observer' }, 'submit');
  assert.equal(obs.ok, false);
  assert.match((obs as { reason: string }).reason, /only a party may submit to the mediator \(undof is an observer\)/);
});

test('unknown roles, actions and item kinds are refused, never allowed', () => {
  const stranger = { id: 'z', role: 'auditor' } as unknown as Actor;
  for (const action of ACTIONS) assert.equal(mayAct(stranger, action).ok, false);
  for (const kind of ITEM_KINDS) assert.equal(canSee(stranger, VARIANTS[kind].mine), false);
  assert.equal(mayAct(me('mediator'), 'toString' as Action).ok, false);
  assert.equal(canSee(me('mediator'), { kind: 'constructor' } as unknown as Item), false);
  // Monitoring content is the disclosure policy's (disclosure.ts): this table has no say on it.
  for (const kind of ['finding', 'report', 'notification', 'ack', 'unit']) assert.equal(canSee(me('mediator'), { kind } as unknown as Item), false, kind);
});

test('mayFile: own name for notices and acks, own inspections, a party only its own units, only itself as an actor source', () => {
  const il: Actor = { id: 'il', role: 'party' };
  const ru: Actor = { id: 'ru', role: 'mediator' };
  const undof: Actor = { id: 'undof', role: 'observer' };
  const us: Actor = { id: 'us', role: 'guarantor' };
  const tr: Actor = { id: 'tr', role: 'third-party' };
  const cases: [Actor, Parameters<typeof mayFile>[1], boolean][] = [
    [il, { type: 'notification', actor: 'il' }, true],
    [il, { type: 'notification', actor: 'sy' }, false],
    [ru, { type: 'ack', actor: 'ru' }, true],
    [ru, { type: 'ack', actor: 'il' }, false],
    [undof, { type: 'ack', actor: 'undof' }, true],
    [undof, { type: 'inspection', source: 'undof' }, true],
    [undof, { type: 'inspection', source: 'other' }, false],
    [ru, { type: 'inspection', source: 'ru' }, false],
    [il, { type: 'observation', actor: 'il', unit: 'u' }, true],
    [il, { type: 'track', actor: 'sy', unit: 'u' }, false],
    [ru, { type: 'track', actor: 'il', unit: 'u' }, true],
    [undof, { type: 'observation', actor: 'sy', unit: 'u' }, true],
    [us, { type: 'observation', actor: 'us', unit: 'u' }, false],
    [tr, { type: 'observation', actor: 'tr', unit: 'u' }, false],
    // A source that is an actor must be the filer: the mediator cannot pass its track off as the observers'.
    [ru, { type: 'track', actor: 'il', unit: 'u', source: 'undof', sourceIsActor: true }, false],
    [ru, { type: 'track', actor: 'il', unit: 'u', source: 'ru', sourceIsActor: true }, true],
    [ru, { type: 'track', actor: 'il', unit: 'u', source: 'ru-radar', sourceIsActor: false }, true],
    [il, { type: 'observation', actor: 'il', unit: 'u', source: 'undof', sourceIsActor: true }, false],
  ];
  for (const [actor, r, ok] of cases) {
    const p = mayFile(actor, r);
    assert.equal(p.ok, ok, `${actor.id} filing ${JSON.stringify(r)}`);
    if (!p.ok) assert.ok(p.reason.length > 10);
  }
});
