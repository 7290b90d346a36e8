import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { test } from 'node:test';
import fc from 'fast-check';
import { newSecret, signatureHeader, verifySignature } from './signer.ts';

test('the header is t and the hex HMAC-SHA256 of "t.body", as an independent HMAC computes it', () => {
  fc.assert(
    fc.property(fc.string(), fc.integer({ min: 0, max: 2 ** 40 }), (body, t) => {
      const secret = newSecret();
      const want = createHmac('sha256', secret).update(`${t}.${body}`).digest('hex');
      assert.equal(signatureHeader(secret, body, t), `t=${t},v1=${want}`);
    }),
  );
});

test('verifySignature takes a fresh, matching signature and refuses an old, altered or foreign one', () => {
  const secret = newSecret();
  const body = '{"id":"dlv-1"}';
  const h = signatureHeader(secret, body, 1_000_000);
  assert.deepEqual(verifySignature(secret, body, h, 1_000_100), { ok: true, t: 1_000_000 });
  assert.equal(verifySignature(secret, body, h, 1_000_301).ok, false);
  assert.equal(verifySignature(secret, `${body} `, h, 1_000_000).ok, false);
  assert.equal(verifySignature(newSecret(), body, h, 1_000_000).ok, false);
  assert.equal(verifySignature(secret, body, 't=1000000', 1_000_000).ok, false);
  assert.equal(verifySignature(secret, body, undefined, 1_000_000).ok, false);
  // Several v1 values (a secret being rolled): any one matching will do.
  assert.equal(verifySignature(secret, body, `${h},v1=${'0'.repeat(64)}`, 1_000_000).ok, true);
});

test('secrets are distinct and long', () => {
  const a = newSecret();
  assert.notEqual(a, newSecret());
  assert.ok(Buffer.from(a.slice(6), 'base64url').length === 32);
});
