import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, generateKeyPairSync, randomBytes, sign, verify } from 'node:crypto';
import {
  ed25519Engine,
  ed25519Verify,
  isCanonicalPoint,
  isCanonicalScalar,
  privateKeyFromSeed,
  publicKeyFromRaw,
  rawPublicKey,
  SMALL_ORDER_POINTS,
  signatureProblem,
  sodium,
} from './ed25519.ts';
import { identityRSignature, seedOf } from '../../test/helpers/identity-r.ts';
import { generateKey, keyHash, parseSignerKey, parseVerifierKey } from './keys.ts';

// Curve arithmetic in BigInt, only to check facts about encodings in these tests.
const P = 2n ** 255n - 19n;
const L = 2n ** 252n + 27742317777372353535851937790883648493n;
const mod = (a: bigint) => ((a % P) + P) % P;
const pow = (b: bigint, e: bigint): bigint => {
  let r = 1n;
  for (b = mod(b); e > 0n; e >>= 1n, b = mod(b * b)) if (e & 1n) r = mod(r * b);
  return r;
};
const inv = (a: bigint) => pow(a, P - 2n);
const D = mod(-121665n * inv(121666n));
const SQRT_M1 = pow(2n, (P - 1n) / 4n);
const le = (b: Uint8Array) => b.reduceRight((acc, x) => (acc << 8n) | BigInt(x), 0n);
const toLe = (x: bigint) => Uint8Array.from({ length: 32 }, (_, i) => Number((x >> BigInt(8 * i)) & 255n));

function decode(enc: Uint8Array): [bigint, bigint] | undefined {
  const y = le(enc) & ((1n << 255n) - 1n);
  const sign = enc[31] >> 7;
  if (y >= P) return undefined;
  const u = mod(y * y - 1n);
  const v = mod(D * y * y + 1n);
  let x = mod(u * pow(v, 3n) * pow(u * pow(v, 7n), (P - 5n) / 8n));
  if (mod(v * x * x) !== u) {
    if (mod(v * x * x) !== mod(-u)) return undefined;
    x = mod(x * SQRT_M1);
  }
  if (x === 0n && sign === 1) return undefined;
  if (Number(x & 1n) !== sign) x = P - x;
  return [x, y];
}

function add([x1, y1]: [bigint, bigint], [x2, y2]: [bigint, bigint]): [bigint, bigint] {
  const t = mod(D * x1 * x2 * y1 * y2);
  return [mod((x1 * y2 + y1 * x2) * inv(1n + t)), mod((y1 * y2 + x1 * x2) * inv(1n - t))];
}

const hex = (s: string) => new Uint8Array(Buffer.from(s, 'hex'));

test('the small-order list is the whole 8-torsion subgroup', () => {
  assert.equal(new Set(SMALL_ORDER_POINTS).size, 8);
  for (const enc of SMALL_ORDER_POINTS) {
    const p = decode(hex(enc));
    assert.ok(p, `${enc} is a point`);
    let q = p;
    for (let i = 0; i < 3; i++) q = add(q, q);
    assert.deepEqual(q, [0n, 1n], `8 * ${enc} is the identity`);
    assert.ok(isCanonicalPoint(hex(enc)));
  }
});

test('canonical point encodings', () => {
  assert.ok(isCanonicalPoint(toLe(P - 1n))); // y = -1, x = 0, sign clear
  assert.ok(!isCanonicalPoint(toLe((P - 1n) | (1n << 255n)))); // same with the sign set: -0
  assert.ok(!isCanonicalPoint(toLe(1n | (1n << 255n)))); // the identity with the sign set
  for (const y of [P, P + 1n, P + 18n]) assert.ok(!isCanonicalPoint(toLe(y)), `y = p + ${y - P}`);
  const { publicKey } = generateKeyPairSync('ed25519');
  assert.ok(isCanonicalPoint(rawPublicKey(publicKey)));
});

test('canonical scalars: S < L', () => {
  assert.ok(isCanonicalScalar(toLe(0n)));
  assert.ok(isCanonicalScalar(toLe(L - 1n)));
  assert.ok(!isCanonicalScalar(toLe(L)));
  assert.ok(!isCanonicalScalar(toLe(L + 1n)));
  assert.ok(!isCanonicalScalar(toLe(2n ** 256n - 1n)));
});

test('seed and raw key round trip through DER', () => {
  const seed = createHash('sha256').update('seed').digest();
  const priv = privateKeyFromSeed(seed);
  const pub = rawPublicKey(priv);
  const msg = Buffer.from('hello');
  const sig = sign(null, msg, priv);
  assert.ok(ed25519Verify(publicKeyFromRaw(pub), msg, sig));
});

// What OpenSSL itself does, recorded as diagnostics (it may change between versions);
// the assertions are about our checks, which must reject in every case.
test('non-canonical signatures and keys: OpenSSL versus our checks', (t) => {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  const msg = Buffer.from('statement');
  const sig = sign(null, msg, privateKey);

  const high = new Uint8Array(sig);
  high.set(toLe(le(sig.subarray(32)) + L), 32); // S + L: same point equation, second spelling
  t.diagnostic(`OpenSSL ${process.versions.openssl} accepts S + L: ${verify(null, msg, publicKey, high)}`);
  assert.equal(signatureProblem(high), 'the signature is not canonical (S >= L)');
  assert.equal(ed25519Verify(publicKey, msg, high), false);

  // Under the identity as key, (R = identity, S = 0) verifies for every message.
  const identity = toLe(1n);
  const forged = new Uint8Array(64);
  forged.set(identity, 0);
  t.diagnostic(`OpenSSL accepts a small-order key (forgery for any message): ${verify(null, msg, publicKeyFromRaw(identity), forged)}`);
  const nonCanonicalIdentity = toLe(P + 1n);
  t.diagnostic(`OpenSSL accepts a non-canonical key (y = p + 1): ${verify(null, msg, publicKeyFromRaw(nonCanonicalIdentity), forged)}`);
  const negativeZero = toLe(1n | (1n << 255n));
  t.diagnostic(`OpenSSL accepts a key with x = 0 and the sign bit set: ${verify(null, msg, publicKeyFromRaw(negativeZero), forged)}`);
  for (const bad of [identity, nonCanonicalIdentity, negativeZero]) {
    const vkey = `k+${keyHash('k', bad).toString(16).padStart(8, '0')}+${Buffer.from([1, ...bad]).toString('base64')}`;
    assert.throws(() => parseVerifierKey(vkey), /small order|not canonically encoded/);
  }

  // A non-canonical R (the identity as y = p + 1) under the identity key.
  const ncR = new Uint8Array(64);
  ncR.set(nonCanonicalIdentity, 0);
  t.diagnostic(`OpenSSL accepts a non-canonical R: ${verify(null, msg, publicKeyFromRaw(identity), ncR)}`);
  assert.match(signatureProblem(ncR)!, /R is not canonically encoded/);
  assert.equal(ed25519Verify(publicKeyFromRaw(identity), msg, ncR), false);

  assert.match(signatureProblem(sig.subarray(0, 63))!, /64 bytes/);
  assert.equal(signatureProblem(sig), undefined);
});

test('a signature whose R is the identity, made by the key’s holder: OpenSSL accepts it, the record refuses it, as libsodium does', (t) => {
  const { skey } = generateKey('il');
  const signer = parseSignerKey(skey);
  const msg = Buffer.from('a statement');
  const sig = identityRSignature(seedOf(skey), msg);
  t.diagnostic(`OpenSSL ${process.versions.openssl} accepts it: ${verify(null, msg, publicKeyFromRaw(signer.verifier.publicKey), sig)}`);
  assert.equal(sodium()!(sig, msg, signer.verifier.publicKey), false);
  assert.equal(signatureProblem(sig), 'the signature is not canonical (R has small order)');
  assert.equal(ed25519Verify(publicKeyFromRaw(signer.verifier.publicKey), msg, sig), false);
  assert.equal(signer.verifier.verify(msg, sig), false);
  // An honest signature by the same key passes, and every small-order R is refused.
  assert.equal(signatureProblem(signer.sign(msg)), undefined);
  for (const hex of SMALL_ORDER_POINTS) assert.match(signatureProblem(Buffer.concat([Buffer.from(hex, 'hex'), Buffer.alloc(32)]))!, /R has small order/);
});

test('under Node, libsodium verifies, and its verdicts are OpenSSL’s: honest, altered, every bit flipped, another key', () => {
  assert.equal(ed25519Engine(), 'libsodium');
  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  const other = rawPublicKey(generateKeyPairSync('ed25519').publicKey);
  const raw = rawPublicKey(publicKey);
  const cases: Array<[Uint8Array, Uint8Array, Uint8Array]> = [];
  for (let n = 0; n < 40; n++) {
    const msg = randomBytes(n * 13);
    const sig = new Uint8Array(sign(null, msg, privateKey));
    cases.push([msg, sig, raw], [msg, sig, other]);
    if (n > 0) cases.push([Uint8Array.from(msg, (b, i) => (i === n % msg.length ? b ^ 1 : b)), sig, raw]);
  }
  const msg = randomBytes(300);
  const sig = new Uint8Array(sign(null, msg, privateKey));
  for (let bit = 0; bit < 512; bit++) cases.push([msg, sig.map((b, i) => (i === bit >> 3 ? b ^ (1 << (bit & 7)) : b)), raw]);
  let accepted = 0;
  for (const [m, s, pub] of cases) {
    const key = publicKeyFromRaw(pub);
    const openssl = ed25519Verify(key, m, s);
    assert.equal(ed25519Verify(key, m, s, pub), openssl, `${Buffer.from(s).toString('hex')} over ${m.length} bytes`);
    if (openssl) accepted++;
  }
  assert.equal(accepted, 40); // the honest ones, under their own key
});
