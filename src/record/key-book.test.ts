import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { JsonObject } from './canonical.ts';
import { judgeGenesis } from './genesis.ts';
import { KeyBook, step } from './key-book.ts';
import { judgeKeyUses, newRangeKeys, noteKeyUse } from './key-uses.ts';
import { generateKey, parseSignerKey, type Signer } from './keys.ts';
import { buildEntry, endorse, makeEntry, parseEntry, signStatement } from './statement.ts';

const signer = (name: string): Signer => parseSignerKey(generateKey(name).skey);
const LOG = 'detente/t/a';
const log = signer(LOG);

function genesis(il: Signer[], opts: { recovery?: Signer; custodial?: string[] } = {}) {
  const ru = signer('ru');
  const us = signer('us');
  const sy = signer('sy');
  const body: JsonObject = {
    sha256: '00',
    keys: { il: il.map((s) => s.verifier.vkey), sy: [sy.verifier.vkey], ru: [ru.verifier.vkey], us: [us.verifier.vkey], undof: [] },
    recovery: opts.recovery ? { il: opts.recovery.verifier.vkey } : ({} as JsonObject),
    custodial: opts.custodial ?? [],
    roles: { il: 'party', sy: 'party', ru: 'mediator', us: 'guarantor', undof: 'observer' },
  };
  return { body, ru, us, sy };
}

function keyed(il: Signer[], opts: { recovery?: Signer } = {}) {
  const g = genesis(il, opts);
  const book = new KeyBook([log.verifier.vkey]);
  assert.equal(step(book, 'ru', g.ru.verifier.vkey, 'arrangement', g.body, 0), undefined);
  return { book, ...g };
}

test('genesis: signed by a key it lists for its author, and only then', () => {
  const il = signer('il');
  const g = genesis([il]);
  const stranger = signer('ru');
  const book = new KeyBook([log.verifier.vkey]);
  assert.match(book.admit('ru', stranger.verifier.vkey, 'arrangement', g.body, 0).ok ? '' : 'refused', /refused/);
  assert.match(step(book, 'il', il.verifier.vkey, 'report', {}, 0) ?? '', /must begin with its arrangement statement/);
  assert.equal(step(book, 'ru', g.ru.verifier.vkey, 'arrangement', g.body, 0), undefined);
  assert.equal(book.state, 'keyed');
  assert.deepEqual(book.working('il'), [il.verifier.vkey]);
});

test('a statement in an actor’s name under a key the book does not hold for it is refused; the log key signs only as the log', () => {
  const il = signer('il');
  const { book, sy } = keyed([il]);
  assert.equal(book.admit('il', il.verifier.vkey, 'report', {}, 1).ok, true);
  const other = signer('il');
  const r = book.admit('il', other.verifier.vkey, 'report', {}, 1);
  assert.equal(r.ok, false);
  assert.match((r as { reason: string }).reason, /is not a key of "il"/);
  assert.equal(book.admit('il', sy.verifier.vkey, 'report', {}, 1).ok, false);
  assert.equal(book.admit(LOG, log.verifier.vkey, 'clock', {}, 1).ok, true);
  assert.equal(book.admit(LOG, log.verifier.vkey, 'key', { action: 'enroll', key: other.verifier.vkey }, 1).ok, false);
  assert.match((book.admit('tr', signer('tr').verifier.vkey, 'report', {}, 1) as { reason: string }).reason, /neither an actor/);
});

test('rotate: the old key is refused from the next index, naming where it stopped; the new one signs', () => {
  const il = signer('il');
  const next = signer('il');
  const { book } = keyed([il]);
  assert.equal(step(book, 'il', il.verifier.vkey, 'key', { action: 'rotate', key: next.verifier.vkey }, 5), undefined);
  const r = book.admit('il', il.verifier.vkey, 'report', {}, 6);
  assert.equal(r.ok, false);
  assert.match((r as { reason: string }).reason, /stopped being il's key at entry 6 \(rotated away by entry 5\)/);
  assert.equal(book.admit('il', next.verifier.vkey, 'report', {}, 6).ok, true);
  // A second rotation by the stopped key (two concurrent rotations) cannot pass.
  assert.equal(book.admit('il', il.verifier.vkey, 'key', { action: 'rotate', key: signer('il').verifier.vkey }, 6).ok, false);
});

test('revoke only with the recovery key: not the mediator’s, the guarantor’s, nor a working key', () => {
  const il = signer('il');
  const recovery = signer('il');
  const { book, ru, us } = keyed([il], { recovery });
  const fresh = signer('il');
  const body = { action: 'revoke', keys: [il.verifier.vkey], add: [fresh.verifier.vkey] };
  for (const [author, key] of [
    ['ru', ru.verifier.vkey],
    ['us', us.verifier.vkey],
    ['il', il.verifier.vkey],
    [LOG, log.verifier.vkey],
  ] as const)
    assert.equal(book.admit(author, key, 'key', body, 3).ok, false, `${author} must not revoke il's keys`);
  // A recovery key signs nothing but revocations.
  assert.match((book.admit('il', recovery.verifier.vkey, 'report', {}, 3) as { reason: string }).reason, /recovery key, which signs only revocations/);
  assert.equal(step(book, 'il', recovery.verifier.vkey, 'key', body, 3), undefined);
  assert.match((book.admit('il', il.verifier.vkey, 'report', {}, 4) as { reason: string }).reason, /revoked by entry 3/);
  assert.equal(book.admit('il', fresh.verifier.vkey, 'report', {}, 4).ok, true);
});

test('enroll: by a working key, or by the new key itself only for an actor that never had one; recovery once', () => {
  const il = signer('il');
  const { book } = keyed([il]);
  const phone = signer('il');
  assert.equal(step(book, 'il', phone.verifier.vkey, 'key', { action: 'enroll', key: phone.verifier.vkey }, 1)?.includes('not a key of'), true);
  assert.equal(step(book, 'il', il.verifier.vkey, 'key', { action: 'enroll', key: phone.verifier.vkey, device: 'phone' }, 1), undefined);
  assert.equal(book.admit('il', phone.verifier.vkey, 'report', {}, 2).ok, true);
  const undof = signer('undof');
  assert.equal(step(book, 'undof', undof.verifier.vkey, 'key', { action: 'enroll', key: undof.verifier.vkey }, 2), undefined);
  const second = signer('undof');
  assert.notEqual(step(book, 'undof', second.verifier.vkey, 'key', { action: 'enroll', key: second.verifier.vkey }, 3), undefined);
  const rec = signer('il');
  assert.equal(step(book, 'il', il.verifier.vkey, 'key', { action: 'recovery', key: rec.verifier.vkey }, 4), undefined);
  assert.match(step(book, 'il', il.verifier.vkey, 'key', { action: 'recovery', key: signer('il').verifier.vkey }, 5) ?? '', /has a recovery key already/);
  // A key named for another actor is not enrolled.
  assert.match(step(book, 'il', il.verifier.vkey, 'key', { action: 'enroll', key: signer('sy').verifier.vkey }, 6) ?? '', /not with the actor id "il"/);
});

test('the book survives its JSON (a snapshot)', () => {
  const il = signer('il');
  const next = signer('il');
  const { book } = keyed([il]);
  step(book, 'il', il.verifier.vkey, 'key', { action: 'rotate', key: next.verifier.vkey }, 1);
  const back = KeyBook.fromJSON(JSON.parse(JSON.stringify(book.toJSON())));
  assert.deepEqual(back.toJSON(), book.toJSON());
  assert.equal(back.admit('il', il.verifier.vkey, 'report', {}, 2).ok, false);
});

test('genesis endorsements: every party and the guarantor, each by one of its genesis keys', () => {
  const il = signer('il');
  const g = genesis([il]);
  const signed = signStatement(g.ru, { type: 'arrangement', arrangement: 'a', body: g.body, time: '1970-01-01T00:00:00.000Z' });
  const all = [endorse(il, signed.statement), endorse(g.sy, signed.statement), endorse(g.us, signed.statement)];
  assert.deepEqual(judgeGenesis(parseEntry(makeEntry(signed, new Date(), false, all))).gaps, []);
  const lacking = judgeGenesis(parseEntry(makeEntry(signed, new Date(), false, all.slice(1))));
  assert.deepEqual(lacking.gaps.length, 1);
  assert.match(lacking.gaps[0], /endorsement of "il" \(party\)/);
  // An endorsement by a key the genesis does not list for the actor does not count.
  const stranger = endorse(signer('us'), signed.statement);
  assert.match(judgeGenesis(parseEntry(makeEntry(signed, new Date(), false, [...all.slice(0, 2), stranger]))).gaps[0], /"us" \(guarantor\)/);
});

/** A record where il rotates at entry 2, and entry 4 is made under the key it rotated away. */
function forgedAfterRotation() {
  const il = signer('il');
  const next = signer('il');
  const g = genesis([il]);
  return [
    buildEntry(g.ru, { type: 'arrangement', arrangement: 'a', body: g.body }),
    buildEntry(il, { type: 'report', arrangement: 'a', body: { n: 1 } }),
    buildEntry(il, { type: 'key', arrangement: 'a', body: { action: 'rotate', key: next.verifier.vkey } }),
    buildEntry(next, { type: 'report', arrangement: 'a', body: { n: 2 } }),
    buildEntry(il, { type: 'report', arrangement: 'a', body: { n: 3 } }),
  ];
}

test('the stored-record check names an entry forged under a rotated-away key, however the record is split in ranges', () => {
  const entries = forgedAfterRotation();
  for (let split = 0; split <= entries.length; split++) {
    const parts = [newRangeKeys(), newRangeKeys()];
    entries.forEach((e, i) => noteKeyUse(parts[i < split ? 0 : 1], e, parseEntry(e).key, i, () => undefined));
    const f = judgeKeyUses(parts, log.verifier.vkey);
    assert.equal(f?.index, 4, `split at ${split}`);
    assert.match(f!.reason, /stopped being il's key at entry 3 \(rotated away by entry 2\)/);
  }
});
