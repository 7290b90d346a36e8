import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { seal, sealAll, sealedDigest, sealedOf, verifyDisclosure } from './sealed.ts';

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

test('sealAll seals each text as seal() does, each under its own salt', () => {
  const texts = ['{"id":"r-1"}', '', 'مرحبا — ünïcode ✓', '{"id":"r-1"}', 'x'.repeat(70_000)];
  for (const count of [1, 3, 5, 40]) {
    const batch = Array.from({ length: count }, (_, i) => texts[i % texts.length]);
    const sealed = sealAll(batch);
    assert.equal(sealed.length, count);
    sealed.forEach((s, i) => {
      assert.equal(s.salt.length, 32);
      assert.equal(Buffer.from(s.content).toString('utf8'), batch[i]);
      assert.equal(s.sealed, createHash('sha256').update(s.salt).update(batch[i]).digest('hex'));
      assert.ok(verifyDisclosure(s.sealed, batch[i], s.salt));
    });
    const salts = new Set(sealed.map((s) => Buffer.from(s.salt).toString('hex')));
    assert.equal(salts.size, count, 'no salt is used twice, equal texts included');
  }
  // Salts drawn across calls (the pool, then fresh draws) never repeat either.
  const seen = new Set<string>();
  for (let i = 0; i < 200; i++) for (const s of sealAll(['a', 'b'])) seen.add(Buffer.from(s.salt).toString('hex'));
  assert.equal(seen.size, 400);
});
