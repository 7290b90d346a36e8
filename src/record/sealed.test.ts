import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { seal, sealedDigest, sealedOf, verifyDisclosure } from './sealed.ts';

test('sealed hash is SHA-256(salt || content), and disclosure proves it', () => {
  const s = seal('our position on the withdrawal line');
  assert.equal(s.salt.length, 32);
  assert.equal(s.sealed, createHash('sha256').update(s.salt).update('our position on the withdrawal line').digest('hex'));
  assert.ok(verifyDisclosure(s.sealed, 'our position on the withdrawal line', s.salt));
  assert.ok(verifyDisclosure(s.sealed, s.content, s.salt));
  assert.ok(!verifyDisclosure(s.sealed, 'our position on the withdrawal line.', s.salt));
  const other = seal('our position on the withdrawal line');
  assert.notEqual(other.sealed, s.sealed, 'a fresh salt each time: equal texts do not give equal hashes');
  assert.ok(!verifyDisclosure(s.sealed, 'our position on the withdrawal line', other.salt));
  assert.ok(!verifyDisclosure('not hex', 'x', s.salt));
  assert.equal(sealedDigest(s.salt, s.content), s.sealed);
});

test('a body is sealed when it carries a sealed hash', () => {
  const s = seal(new Uint8Array([1, 2, 3]), new Uint8Array(16));
  assert.equal(sealedOf({ sealed: s.sealed }), s.sealed);
  assert.equal(sealedOf({ sealed: 'abc' }), undefined);
  assert.equal(sealedOf({ text: 'open' }), undefined);
  assert.throws(() => seal('x', new Uint8Array(8)), /at least 16 bytes/);
});
