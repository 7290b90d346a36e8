import assert from 'node:assert/strict';
import { test } from 'node:test';
import { type Content, contentOfReport, DEFAULT_DISCLOSURE, disclosureOf, isPublic, resolveDisclosure, seesAllAbout } from './disclosure.ts';
import type { Actor } from './policy.ts';

const il: Actor = { id: 'il', role: 'party' };
const sy: Actor = { id: 'sy', role: 'party' };
const ru: Actor = { id: 'ru', role: 'mediator' };
const us: Actor = { id: 'us', role: 'guarantor' };
const undof: Actor = { id: 'undof', role: 'observer' };
const tr: Actor = { id: 'tr', role: 'third-party' };
const ALL = [il, sy, ru, us, undof, tr];

const level = (a: Actor, c: Content, p = DEFAULT_DISCLOSURE) => disclosureOf(p, a, c).level;

test("by default a party's own track reaches it and the mediator, nobody else", () => {
  const c = contentOfReport(il, { type: 'track', actor: 'il' });
  assert.equal(c.kind, 'party-reports');
  assert.deepEqual(
    ALL.map((a) => [a.id, level(a, c)]),
    [
      ['il', 'full'],
      ['sy', 'exists'],
      ['ru', 'full'],
      ['us', 'exists'],
      ['undof', 'exists'],
      ['tr', 'exists'],
    ],
  );
});

test("the mediator's radar track of an Israeli aircraft reaches Israel (its subject), not Syria", () => {
  const c = contentOfReport(ru, { type: 'track', actor: 'il' });
  assert.equal(c.kind, 'mediator-reports');
  assert.equal(level(il, c), 'full');
  assert.equal(level(ru, c), 'full');
  assert.equal(level(sy, c), 'exists');
  assert.equal(level(tr, c), 'exists');
});

test('an observer team is seen coarsened by the parties, not at all by a third party', () => {
  const c = contentOfReport(undof, { type: 'observation', actor: 'undof' });
  const d = disclosureOf(DEFAULT_DISCLOSURE, sy, c);
  assert.equal(d.level, 'coarse');
  assert.deepEqual(d.coarsening, { position_m: 5000, time_s: 3600 });
  assert.equal(level(undof, c), 'full');
  assert.equal(level(tr, c), 'exists');
  assert.equal(level(us, c), 'exists');
});

test('notifications reach every party; an ack its author, the notifier and the mediator', () => {
  const n = contentOfReport(sy, { type: 'notification', actor: 'sy' });
  assert.deepEqual(
    ALL.filter((a) => level(a, n) === 'full').map((a) => a.id),
    ['il', 'sy', 'ru'],
  );
  const ack = contentOfReport(il, { type: 'ack', actor: 'il' }, 'sy');
  assert.deepEqual(
    ALL.filter((a) => level(a, ack) === 'full').map((a) => a.id),
    ['il', 'sy', 'ru'],
  );
  const noNotifier = contentOfReport(il, { type: 'ack', actor: 'il' });
  assert.equal(level(sy, noNotifier), 'exists');
});

test('findings reach those at the table and the observers; a third party only those about it', () => {
  const about = (concerned: string[]): Content => ({ kind: 'findings', author: 'log', concerned });
  assert.equal(level(tr, about(['il'])), 'exists');
  assert.equal(level(tr, about(['il', 'tr'])), 'full');
  assert.equal(level(sy, about(['il'])), 'full');
  assert.equal(isPublic(DEFAULT_DISCLOSURE, ALL, about(['il'])), false);
  assert.equal(isPublic(DEFAULT_DISCLOSURE, ALL.slice(0, 5), about(['il'])), true);
});

test('an arrangement names actors and roles; what it leaves out keeps the default', () => {
  const p = resolveDisclosure({ 'party-reports': { full: ['author', 'subject', 'mediator', 'guarantor', 'undof'] } });
  const c = contentOfReport(il, { type: 'track', actor: 'il' });
  assert.equal(level(us, c, p), 'full');
  assert.equal(level(undof, c, p), 'full');
  assert.equal(level(sy, c, p), 'exists');
  assert.equal(p.notifications, DEFAULT_DISCLOSURE.notifications);
});

test('unknown roles read nothing', () => {
  const c = contentOfReport(il, { type: 'notification', actor: 'il' });
  assert.equal(level({ id: 'x', role: 'spy' as Actor['role'] }, c), 'exists');
});

test('a party sees all about itself by default, not about the other party; the mediator about everyone', () => {
  assert.equal(seesAllAbout(DEFAULT_DISCLOSURE, ALL, il, 'il'), true);
  assert.equal(seesAllAbout(DEFAULT_DISCLOSURE, ALL, il, 'sy'), false);
  assert.equal(seesAllAbout(DEFAULT_DISCLOSURE, ALL, ru, 'sy'), true);
  assert.equal(seesAllAbout(DEFAULT_DISCLOSURE, ALL, us, 'sy'), false);
  // Adding the guarantor to every report kind lets it re-derive every finding.
  const everywhere = resolveDisclosure(Object.fromEntries(Object.entries(DEFAULT_DISCLOSURE).map(([k, r]) => [k, { ...r, full: [...r.full, 'guarantor'] }])));
  assert.equal(seesAllAbout(everywhere, ALL, us, 'sy'), true);
});
