import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { RecordError } from './errors.ts';
import { generateKey, isValidKeyName, keyHash, parseSignerKey, parseVerifierKey } from './keys.ts';

const vectors = JSON.parse(readFileSync(new URL('./testdata/signed-note.json', import.meta.url), 'utf8')) as {
  signerKey: string;
  verifierKey: string;
  otherVerifierKey: string;
};

test('Go sumdb/note keys parse, and the signer derives the verifier', () => {
  const signer = parseSignerKey(vectors.signerKey);
  const verifier = parseVerifierKey(vectors.verifierKey);
  assert.equal(signer.name, 'PeterNeumann');
  assert.equal(signer.keyHash, 0xc74f20a3);
  assert.equal(signer.verifier.vkey, vectors.verifierKey);
  assert.equal(verifier.keyHash, keyHash('PeterNeumann', verifier.publicKey));
  assert.equal(parseVerifierKey(vectors.otherVerifierKey).name, 'EnochRoot');
});

test('generated keys round trip', () => {
  const { skey, vkey } = generateKey('detente/demo/southern-syria');
  assert.match(skey, /^PRIVATE\+KEY\+detente\/demo\/southern-syria\+[0-9a-f]{8}\+A[A-Za-z0-9+/]{43}$/);
  const signer = parseSignerKey(skey);
  assert.equal(signer.verifier.vkey, vkey);
  const msg = new TextEncoder().encode('x');
  assert.ok(parseVerifierKey(vkey).verify(msg, signer.sign(msg)));
  assert.ok(!parseVerifierKey(vectors.verifierKey).verify(msg, signer.sign(msg)));
});

test('key names follow Go: no white space, no plus', () => {
  for (const ok of ['il', 'detente/demo/x', 'émile', 'a\u200bb']) assert.ok(isValidKeyName(ok), ok);
  for (const bad of ['', 'a b', 'a+b', 'a\tb', 'a\u00a0b', 'a\u3000b', 'a\u2028b']) assert.ok(!isValidKeyName(bad), JSON.stringify(bad));
  assert.throws(() => generateKey('two words'), /invalid key name/);
});

test('malformed keys are rejected with the reason', () => {
  const v = vectors.verifierKey;
  const [name, hash] = v.split('+');
  const key = v.slice(name.length + hash.length + 2);
  const cases: Array<[string, RegExp]> = [
    [`${name}+${hash}`, /name\+hash\+key/],
    [`${name}+${hash}+${key}+x`, /canonical base64/],
    [`${name}+c74f20a+${key}`, /not 8 hex digits/],
    [`${name}+c74f20a4+${key}`, /does not match/],
    [`Other+${hash}+${key}`, /does not match/],
    [`${name}+${hash}+${key.slice(0, -1)}`, /canonical base64/],
    [`${name}+${hash}+${Buffer.from([2, ...Buffer.from(key, 'base64').subarray(1)]).toString('base64')}`, /Ed25519/],
    [`bad name+${hash}+${key}`, /invalid key name/],
  ];
  for (const [text, why] of cases) {
    assert.throws(
      () => parseVerifierKey(text),
      (e: unknown) => e instanceof RecordError && why.test(e.message),
      text,
    );
  }
  // Go parses the hash with ParseUint(…, 16): upper case is the same key.
  assert.equal(parseVerifierKey(`${name}+${hash.toUpperCase()}+${key}`).keyHash, 0xc74f20a3);

  const s = vectors.signerKey;
  assert.throws(() => parseSignerKey(s.replace('PRIVATE+KEY', 'PUBLIC+KEY')), /PRIVATE\+KEY/);
  assert.throws(() => parseSignerKey(s.replace('c74f20a3', 'c74f20a4')), /does not match/);
  assert.throws(() => parseSignerKey(v), /PRIVATE\+KEY/);
});
