// This device's key and the statements it signs, checked in Node against the record's
// own verifier (src/record): both the WebCrypto key (Node has Ed25519 in WebCrypto) and
// the @noble/curves fallback. Run: node --import tsx --test web/src/keys/device-key.test.ts
import assert from 'node:assert/strict';
import { createHash, createPrivateKey, sign } from 'node:crypto';
import { test } from 'node:test';
import { parseVerifierKey } from '../../../src/record/keys.ts';
import { makeEntry, verifyEntry, verifyStatement } from '../../../src/record/statement.ts';
import { deviceKey, makeKey, verifierKeyText } from './device-key.ts';
import { signInPage, signPrepared } from './sign-statement.ts';

const body = { id: 'b-1', text: 'zone «aos» — ü', nested: { z: 1, a: [true, null, 1.5] }, é: 'x', A: 2 };

for (const kind of ['webcrypto', 'noble'] as const) {
  const make = (actor: string) => makeKey(actor, kind === 'webcrypto' ? globalThis.crypto.subtle : null);

  test(`${kind}: the verifier key is the signed-note key of the actor's public key`, async () => {
    const stored = await make('il');
    assert.equal(stored.kind, kind);
    const v = parseVerifierKey(stored.vkey);
    assert.equal(v.name, 'il');
    assert.deepEqual(Buffer.from(v.publicKey), Buffer.from(stored.publicKey));
    // hash = SHA-256(name ‖ \n ‖ 0x01 ‖ pub)[:4], computed here independently.
    const hash = createHash('sha256').update('il\n').update(Uint8Array.of(1)).update(stored.publicKey).digest().subarray(0, 4).toString('hex');
    assert.equal(stored.vkey, `il+${hash}+${Buffer.concat([Uint8Array.of(1), stored.publicKey]).toString('base64')}`);
  });

  test(`${kind}: a statement signed in the page verifies with the record's verifier, and an altered one does not`, async () => {
    const key = deviceKey(await make('il'));
    const signed = await signInPage(key, { type: 'report', arrangement: 'southern-syria', body, time: '2026-01-12T02:00:00Z' });
    assert.equal(signed.key, key.vkey);
    verifyStatement(signed);
    // As a log entry too (the bytes the record keeps).
    const entry = verifyEntry(makeEntry(signed, '2026-01-12T02:00:01Z'));
    assert.equal(entry.statement.author, 'il');
    const altered = { ...signed, statement: { ...signed.statement, body: { ...body, text: 'other' } } };
    assert.throws(() => verifyStatement(altered), /signature does not verify/);
    const otherKey = deviceKey(await make('il'));
    assert.throws(() => verifyStatement({ ...signed, key: otherKey.vkey }), /signature does not verify/);
  });

  test(`${kind}: a prepared statement is signed as it is, and only the key's own actor's`, async () => {
    const key = deviceKey(await make('sy'));
    const prepared = { v: 1, type: 'talks.submit', author: 'sy', time: '2026-01-12T02:00:00.000Z', arrangement: 'a', body: { sealed: 'abc' } };
    const signed = await signPrepared(key, prepared);
    assert.deepEqual(signed.statement, prepared);
    verifyStatement(signed);
    await assert.rejects(signPrepared(key, { ...prepared, author: 'il' }), /il's, not sy's/);
    await assert.rejects(signPrepared(key, { ...prepared, extra: 1 }), /unknown field "extra"/);
  });
}

test('webcrypto: the private key cannot be exported', async () => {
  const stored = await makeKey('il', globalThis.crypto.subtle);
  assert.ok(stored.privateKey);
  assert.equal(stored.privateKey.extractable, false);
  assert.equal(deviceKey(stored).extractable, false);
  await assert.rejects(globalThis.crypto.subtle.exportKey('pkcs8', stored.privateKey));
  assert.equal(stored.seed, undefined);
});

test('noble: the fallback signs as node:crypto does with the same seed, and says its key is readable', async () => {
  const stored = await makeKey('il', null);
  assert.ok(stored.seed);
  const key = deviceKey(stored);
  assert.equal(key.extractable, true);
  const priv = createPrivateKey({ key: Buffer.concat([Buffer.from('302e020100300506032b657004220420', 'hex'), stored.seed]), format: 'der', type: 'pkcs8' });
  const msg = Buffer.from('a message');
  assert.deepEqual(Buffer.from(await key.sign(msg)), sign(null, msg, priv));
});

test('a browser without Ed25519 in WebCrypto gets the noble key', async () => {
  const refusing = {
    generateKey: async () => {
      throw new DOMException('Unrecognized name.', 'NotSupportedError');
    },
  } as unknown as SubtleCrypto;
  assert.equal((await makeKey('il', refusing)).kind, 'noble');
});

test('verifier key text refuses a name that cannot name a key, and a small-order key', () => {
  assert.throws(() => verifierKeyText('has space', new Uint8Array(32).fill(7)));
  const identity = new Uint8Array(32);
  identity[0] = 1;
  assert.throws(() => verifierKeyText('il', identity), /small order/);
});
