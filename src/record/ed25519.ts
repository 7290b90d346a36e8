// Ed25519 through node:crypto (OpenSSL), with the strictness OpenSSL leaves out.
//
// What OpenSSL 3.0 does (checked in ed25519.test.ts): it rejects S >= L, and a
// non-canonical R cannot verify because it compares R's bytes with a recomputed,
// canonically encoded point. But it decodes the public key A leniently: y >= p,
// and "negative zero" (x = 0 with the sign bit set) are accepted, and so are
// small-order keys, under which one signature verifies for every message.
// So: scalars and R (canonical, and not of small order, as libsodium has it) are
// checked here before calling OpenSSL, and keys are checked once when parsed (see
// keys.ts), which also builds and caches their KeyObject.
//
// Under Node, libsodium verifies instead where it loads (sodium() below): the same
// verdicts, in about two thirds of the time.

import { createPrivateKey, createPublicKey, sign, verify, type KeyObject } from 'node:crypto';

// DER wrappers around raw keys (RFC 8410): PKCS#8 for the 32-byte seed, SPKI for the public key.
const PKCS8_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');
/** SPKI's DER prefix of a raw Ed25519 public key, in hex (the verify pool's plain-JS workers build keys with it too). */
export const SPKI_PREFIX_HEX = '302a300506032b6570032100';
const SPKI_PREFIX = Buffer.from(SPKI_PREFIX_HEX, 'hex');

export function privateKeyFromSeed(seed: Uint8Array): KeyObject {
  return createPrivateKey({ key: Buffer.concat([PKCS8_PREFIX, seed]), format: 'der', type: 'pkcs8' });
}

export function publicKeyFromRaw(pub: Uint8Array): KeyObject {
  return createPublicKey({ key: Buffer.concat([SPKI_PREFIX, pub]), format: 'der', type: 'spki' });
}

export function rawPublicKey(key: KeyObject): Uint8Array {
  const der = (key.type === 'public' ? key : createPublicKey(key)).export({ format: 'der', type: 'spki' });
  return new Uint8Array(der.subarray(SPKI_PREFIX.length));
}

export function rawSeed(key: KeyObject): Uint8Array {
  const der = key.export({ format: 'der', type: 'pkcs8' });
  return new Uint8Array(der.subarray(PKCS8_PREFIX.length));
}

export function ed25519Sign(key: KeyObject, message: Uint8Array): Uint8Array {
  return new Uint8Array(sign(null, message, key));
}

// L = 2^252 + 27742317777372353535851937790883648493, little-endian.
const L = Buffer.from('edd3f55c1a631258d69cf7a2def9de1400000000000000000000000000000010', 'hex');

/** True when the 32-byte little-endian scalar is below the group order L. */
export function isCanonicalScalar(s: Uint8Array): boolean {
  for (let i = 31; i >= 0; i--) {
    if (s[i] !== L[i]) return s[i] < L[i];
  }
  return false; // s == L
}

/**
 * True when a 32-byte point encoding is the canonical one: y < p = 2^255 - 19, and the
 * sign bit is clear when x = 0 (y = 1 or y = p - 1), since -0 = 0.
 * It does not check that the point is on the curve; OpenSSL does that.
 */
export function isCanonicalPoint(p: Uint8Array): boolean {
  const top = p[31] & 0x7f;
  let middleAllOnes = true;
  let middleAllZero = true;
  for (let i = 1; i < 31; i++) {
    if (p[i] !== 0xff) middleAllOnes = false;
    if (p[i] !== 0) middleAllZero = false;
  }
  if (top === 0x7f && middleAllOnes) {
    if (p[0] >= 0xed) return false; // y >= p
    if (p[0] === 0xec && p[31] & 0x80) return false; // y = p - 1, x = 0, sign set
  }
  if (top === 0 && middleAllZero && p[0] === 1 && p[31] & 0x80) return false; // y = 1, x = 0, sign set
  return true;
}

// The eight points of order dividing 8 (canonical encodings). A key among them
// makes signatures meaningless; the list is checked by multiplying by 8 in ed25519.test.ts.
const SMALL_ORDER = [
  '0100000000000000000000000000000000000000000000000000000000000000',
  'ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f',
  '0000000000000000000000000000000000000000000000000000000000000000',
  '0000000000000000000000000000000000000000000000000000000000000080',
  '26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc05',
  '26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc85',
  'c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac037a',
  'c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac03fa',
];
export const SMALL_ORDER_POINTS: readonly string[] = SMALL_ORDER;
const smallOrder = new Set(SMALL_ORDER);

// Their first bytes: most points are told apart by that alone (every signature's R is asked).
const smallOrderFirst = new Set(SMALL_ORDER.map((hex) => Number.parseInt(hex.slice(0, 2), 16)));

export function isSmallOrderPoint(p: Uint8Array): boolean {
  if (p.length !== 32 || !smallOrderFirst.has(p[0])) return false;
  return smallOrder.has(Buffer.from(p.buffer, p.byteOffset, p.byteLength).toString('hex'));
}

/** Why a public key is unusable, or undefined when it is fine. */
export function publicKeyProblem(pub: Uint8Array): string | undefined {
  if (pub.length !== 32) return `an Ed25519 public key has 32 bytes, not ${pub.length}`;
  if (!isCanonicalPoint(pub)) return 'the public key is not canonically encoded';
  if (isSmallOrderPoint(pub)) return 'the public key has small order';
  return undefined;
}

/** Why a signature is rejected before any curve arithmetic, or undefined. */
export function signatureProblem(sig: Uint8Array): string | undefined {
  if (sig.length !== 64) return `an Ed25519 signature has 64 bytes, not ${sig.length}`;
  const R = sig.subarray(0, 32);
  if (!isCanonicalPoint(R)) return 'the signature is not canonical (R is not canonically encoded)';
  // An honest R is [r]B, never of small order. OpenSSL accepts one that the key's holder
  // crafted (R the identity, S = k·a); libsodium, which verifies under Node (sodium()
  // below), does not. So nobody accepts it: every verifier gives the same verdict.
  if (isSmallOrderPoint(R)) return 'the signature is not canonical (R has small order)';
  if (!isCanonicalScalar(sig.subarray(32))) return 'the signature is not canonical (S >= L)';
  return undefined;
}

/** libsodium's crypto_sign_verify_detached. */
type SodiumVerify = (signature: Uint8Array, message: Uint8Array, publicKey: Uint8Array) => boolean;

/**
 * Node's require, from this module (undefined in the page, where there is no `process`).
 * Not called `require`: the page's bundler would take a call of that name for one and
 * look for the package.
 */
function nodeRequire(): NodeJS.Require | undefined {
  return globalThis.process?.getBuiltinModule?.('node:module')?.createRequire(import.meta.url);
}

/** sodiumPath()'s answer: undefined, not asked yet; null, not installed */
let sodiumFile: string | null | undefined;
/** sodium()'s answer: undefined, not asked yet; null, not there */
let loaded: SodiumVerify | null | undefined;

/** Where libsodium's bindings (sodium-native) are installed, found without loading them. */
export function sodiumPath(): string | undefined {
  if (sodiumFile === undefined) {
    try {
      sodiumFile = nodeRequire()?.resolve('sodium-native') ?? null;
    } catch {
      sodiumFile = null;
    }
  }
  return sodiumFile ?? undefined;
}

/**
 * libsodium's verification (sodium-native, its prebuilt bindings), where it loads. It
 * takes about two thirds of OpenSSL's time a signature here (47.5 against 75 µs, one
 * core, 450-byte messages). Its checks are the record's (signatureProblem and
 * publicKeyProblem, which run first) and its equation OpenSSL's (cofactorless, R
 * compared as bytes), so both give the same verdicts (compared bit by bit in
 * ed25519.test.ts and verify-pool.test.ts). In the page there is no `process`:
 * node:crypto's stand-in (web/src/shims) verifies there. Loaded on first use (~16 ms),
 * not by every process that imports the record.
 */
export function sodium(): SodiumVerify | undefined {
  if (loaded === undefined) {
    loaded = null;
    const path = sodiumPath();
    try {
      if (path) loaded = (nodeRequire()!(path) as { crypto_sign_verify_detached: SodiumVerify }).crypto_sign_verify_detached;
    } catch {
      // no build for this platform: OpenSSL verifies
    }
  }
  return loaded ?? undefined;
}

/** What verifies Ed25519 signatures: libsodium, or node:crypto (OpenSSL, or the page's stand-in). */
export type Ed25519Engine = 'libsodium' | 'node:crypto';

/** What verifies a signature in this process: libsodium where it loads, else node:crypto. */
export function ed25519Engine(): Ed25519Engine {
  return sodium() ? 'libsodium' : 'node:crypto';
}

/**
 * Strict verification. `key` must come from a public key that passed publicKeyProblem
 * (keys.ts guarantees it); given that key's raw bytes too, libsodium verifies where it
 * loaded, else OpenSSL.
 */
export function ed25519Verify(key: KeyObject, message: Uint8Array, sig: Uint8Array, publicKey?: Uint8Array): boolean {
  if (signatureProblem(sig) !== undefined) return false;
  const fast = publicKey && sodium();
  if (fast) return fast(sig, message, publicKey);
  return verify(null, message, key, sig);
}
