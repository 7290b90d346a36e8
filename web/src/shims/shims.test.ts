// The browser stand-ins for node:crypto (on @noble/hashes and @noble/curves) against
// node:crypto itself: digests of every length around the block boundaries, fed whole and
// in pieces, and Ed25519 verification of good, altered, non-canonical, small-order and
// mixed-order signatures. Run: node --import tsx --test web/src/shims/shims.test.ts
import assert from 'node:assert/strict';
import * as nodeCrypto from 'node:crypto';
import { test } from 'node:test';
import { ED25519_TORSION_SUBGROUP, ed25519 } from '@noble/curves/ed25519.js';
import { bytesToNumberLE, numberToBytesLE } from '@noble/curves/utils.js';
import { identityRSignature } from '../../../test/helpers/identity-r.ts';
import * as shim from './crypto.ts';
import { ed25519PublicKey, ed25519Seed, ed25519Sign, ed25519Verify } from './ed25519.ts';

const sha256 = (d: Uint8Array) => shim.createHash('sha256').update(d).digest();
const sha512 = (d: Uint8Array) => shim.createHash('sha512').update(d).digest();

const SPKI_PREFIX = Buffer.from('302a300506032b6570032100', 'hex');

test('SHA-256 and SHA-512 agree with node:crypto for lengths 0..300', () => {
  for (let n = 0; n <= 300; n++) {
    const data = nodeCrypto.randomBytes(n);
    assert.equal(Buffer.from(sha256(data)).toString('hex'), nodeCrypto.createHash('sha256').update(data).digest('hex'), `sha256, ${n} bytes`);
    assert.equal(Buffer.from(sha512(data)).toString('hex'), nodeCrypto.createHash('sha512').update(data).digest('hex'), `sha512, ${n} bytes`);
  }
});

test('SHA-256 and SHA-512 agree on a large input (64 KiB + 3)', () => {
  const data = nodeCrypto.randomBytes(65539);
  assert.deepEqual(Buffer.from(sha256(data)), nodeCrypto.createHash('sha256').update(data).digest());
  assert.deepEqual(Buffer.from(sha512(data)), nodeCrypto.createHash('sha512').update(data).digest());
  // In pieces, one buffer reused between updates: each update takes the bytes as they were.
  const h = shim.createHash('sha512');
  const reused = new Uint8Array(1000);
  for (let at = 0; at < data.length; at += 1000) {
    reused.set(data.subarray(at, at + 1000));
    h.update(reused.subarray(0, Math.min(1000, data.length - at)));
  }
  assert.deepEqual(Buffer.from(h.digest()), nodeCrypto.createHash('sha512').update(data).digest());
});

test('createHash and hash behave as node:crypto for what the record calls', () => {
  const h = shim
    .createHash('sha256')
    .update('abc')
    .update(Uint8Array.of(1, 2, 3))
    .digest();
  const n = nodeCrypto
    .createHash('sha256')
    .update('abc')
    .update(Uint8Array.of(1, 2, 3))
    .digest();
  assert.equal(Buffer.from(h).toString('hex'), n.toString('hex'));
  assert.equal(h.readUInt32BE(0), n.readUInt32BE(0));
  assert.equal(shim.createHash('sha256').update('x').digest('hex'), nodeCrypto.createHash('sha256').update('x').digest('hex'));
  assert.equal(
    Buffer.from(shim.hash('sha256', Uint8Array.of(0), 'buffer') as Uint8Array).toString('hex'),
    nodeCrypto.createHash('sha256').update(Uint8Array.of(0)).digest('hex'),
  );
  assert.throws(() => shim.createHash('md5'));
});

test('the patched Buffer#equals takes a plain Uint8Array, as Node does', () => {
  const a = shim.createHash('sha256').update('same').digest();
  const b = new Uint8Array(nodeCrypto.createHash('sha256').update('same').digest());
  assert.equal(a.equals(b), true);
  assert.equal(a.equals(new Uint8Array(32)), false);
});

test('Ed25519: signatures made by node:crypto verify; altered ones do not', () => {
  for (let i = 0; i < 20; i++) {
    const { publicKey, privateKey } = nodeCrypto.generateKeyPairSync('ed25519');
    const raw = new Uint8Array(publicKey.export({ format: 'der', type: 'spki' }).subarray(SPKI_PREFIX.length));
    const msg = nodeCrypto.randomBytes(i * 13);
    const sig = new Uint8Array(nodeCrypto.sign(null, msg, privateKey));
    assert.equal(ed25519Verify(raw, msg, sig), true);
    const key = shim.createPublicKey({ key: Buffer.concat([SPKI_PREFIX, raw]), format: 'der', type: 'spki' });
    assert.equal(shim.verify(null, msg, key, sig), true);
    const badSig = sig.slice();
    badSig[i % 64] ^= 1;
    assert.equal(ed25519Verify(raw, msg, badSig), nodeCrypto.verify(null, msg, publicKey, badSig));
    const badMsg = Buffer.concat([msg, Uint8Array.of(0)]);
    assert.equal(ed25519Verify(raw, badMsg, sig), false);
  }
});

test('Ed25519: RFC 8032 test vector 1 (empty message)', () => {
  const pub = Buffer.from('d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a', 'hex');
  const sig = Buffer.from(
    'e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b',
    'hex',
  );
  assert.equal(ed25519Verify(pub, new Uint8Array(0), sig), true);
});

test('Ed25519: S >= L and S + L are refused, as by OpenSSL', () => {
  const { publicKey, privateKey } = nodeCrypto.generateKeyPairSync('ed25519');
  const raw = new Uint8Array(publicKey.export({ format: 'der', type: 'spki' }).subarray(SPKI_PREFIX.length));
  const msg = Buffer.from('checkpoint');
  const sig = new Uint8Array(nodeCrypto.sign(null, msg, privateKey));
  const L = (1n << 252n) + 27742317777372353535851937790883648493n;
  let s = 0n;
  for (let i = 63; i >= 32; i--) s = (s << 8n) | BigInt(sig[i]);
  s += L;
  const malleated = sig.slice();
  for (let i = 32; i < 64; i++) {
    malleated[i] = Number(s & 0xffn);
    s >>= 8n;
  }
  assert.equal(ed25519Verify(raw, msg, malleated), false);
  assert.equal(nodeCrypto.verify(null, msg, publicKey, malleated), false);
});

test('Ed25519: a key that is not a curve point does not verify', () => {
  // y = 2 is not the y of any point on the curve.
  const bad = new Uint8Array(32);
  bad[0] = 2;
  assert.equal(ed25519Verify(bad, new Uint8Array(0), new Uint8Array(64)), false);
});

test('Ed25519: no small-order key verifies, not even the signature that fits every message', () => {
  for (const hex of ED25519_TORSION_SUBGROUP) {
    const pub = Buffer.from(hex, 'hex');
    // R = the identity, S = 0: [S]B - [k]A = -[k]A, which is the identity whenever k is a multiple of A's order.
    const sig = new Uint8Array(64);
    sig[0] = 1;
    for (let i = 0; i < 8; i++) assert.equal(ed25519Verify(pub, Uint8Array.of(i), sig), false, hex);
  }
});

test('Ed25519: a signature whose R has a small-order part is refused, as OpenSSL refuses it', () => {
  // Signed as an honest signer would, but with R' = rB + T (T of order 8): the cofactored
  // equation (noble's alone) accepts it, the cofactorless one (OpenSSL's) does not.
  const seed = ed25519Seed();
  const { scalar: a, pointBytes: pub } = ed25519.utils.getExtendedPublicKey(seed);
  const L = ed25519.Point.Fn.ORDER;
  const T = ed25519.Point.fromBytes(Buffer.from(ED25519_TORSION_SUBGROUP[1], 'hex'));
  const msg = Buffer.from('checkpoint');
  const r = 123456789n;
  const R = ed25519.Point.BASE.multiply(r).add(T).toBytes();
  const k = bytesToNumberLE(nodeCrypto.createHash('sha512').update(R).update(pub).update(msg).digest()) % L;
  const sig = Uint8Array.from([...R, ...numberToBytesLE((r + k * a) % L, 32)]);
  assert.equal(ed25519.verify(sig, msg, pub, { zip215: false }), true, 'the cofactored equation holds');
  const spki = nodeCrypto.createPublicKey({ key: Buffer.concat([SPKI_PREFIX, pub]), format: 'der', type: 'spki' });
  assert.equal(nodeCrypto.verify(null, msg, spki, sig), false, 'OpenSSL refuses it');
  assert.equal(ed25519Verify(pub, msg, sig), false, 'and so does the page');
});

test('Ed25519: a signature whose R is the identity is refused, though OpenSSL accepts it (libsodium refuses it)', () => {
  // Only the key's holder can make one (test/helpers/identity-r.ts). The record refuses it
  // everywhere, the page included.
  const seed = ed25519Seed();
  const pub = ed25519PublicKey(seed);
  const msg = Buffer.from('a statement');
  const sig = identityRSignature(seed, msg);
  const spki = nodeCrypto.createPublicKey({ key: Buffer.concat([SPKI_PREFIX, pub]), format: 'der', type: 'spki' });
  assert.equal(nodeCrypto.verify(null, msg, spki, sig), true, 'OpenSSL accepts it');
  assert.equal(ed25519Verify(pub, msg, sig), false, 'the page does not');
  assert.equal(ed25519Verify(pub, msg, ed25519Sign(seed, msg)), true, 'an honest signature by the same key verifies');
});

test('Ed25519: keys and signatures made from a seed here are the ones node:crypto makes', () => {
  for (let i = 0; i < 10; i++) {
    const seed = ed25519Seed();
    const priv = nodeCrypto.createPrivateKey({
      key: Buffer.concat([Buffer.from('302e020100300506032b657004220420', 'hex'), seed]),
      format: 'der',
      type: 'pkcs8',
    });
    const raw = nodeCrypto.createPublicKey(priv).export({ format: 'der', type: 'spki' }).subarray(SPKI_PREFIX.length);
    assert.deepEqual(Buffer.from(ed25519PublicKey(seed)), raw);
    const msg = nodeCrypto.randomBytes(i * 7);
    assert.deepEqual(Buffer.from(ed25519Sign(seed, msg)), nodeCrypto.sign(null, msg, priv));
  }
});
