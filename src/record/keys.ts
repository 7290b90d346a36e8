// Signer and verifier keys in the Go sumdb/note text forms (C2SP signed-note):
//   signer   PRIVATE+KEY+<name>+<hash>+<base64(0x01 || 32-byte seed)>
//   verifier <name>+<hash>+<base64(0x01 || 32-byte public key)>
// where hash is 8 hex digits of the first 4 bytes (big-endian) of
// SHA-256(name || "\n" || 0x01 || public key). Keys are parsed once and cached with
// their KeyObject, because building a KeyObject costs more than a verification.

import { createHash, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { decodeBase64, encodeBase64, utf8 } from './encoding.ts';
import { ed25519Sign, ed25519Verify, privateKeyFromSeed, publicKeyFromRaw, publicKeyProblem, rawPublicKey, rawSeed } from './ed25519.ts';
import { RecordError } from './errors.ts';

const ALG_ED25519 = 0x01;

export interface Verifier {
  readonly name: string;
  /** the 32-bit key hash that prefixes each signature */
  readonly keyHash: number;
  /** raw 32-byte Ed25519 public key */
  readonly publicKey: Uint8Array;
  /** the verifier key text, name+hash+base64 */
  readonly vkey: string;
  verify(message: Uint8Array, signature: Uint8Array): boolean;
}

export interface Signer {
  readonly name: string;
  readonly keyHash: number;
  readonly verifier: Verifier;
  sign(message: Uint8Array): Uint8Array;
}

// Go's unicode.IsSpace: ASCII white space, NEL, NBSP and the Unicode space separators
// (not U+FEFF, which JavaScript's \s would include).
const SPACE = /[\t\n\v\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]/u;

/** A key name as Go's note package accepts it: non-empty, no white space, no '+'. */
export function isValidKeyName(name: string): boolean {
  return name !== '' && !SPACE.test(name) && !name.includes('+') && !/[\uD800-\uDFFF]/u.test(name);
}

/** First 4 bytes, big-endian, of SHA-256(name || "\n" || 0x01 || publicKey). */
export function keyHash(name: string, publicKey: Uint8Array): number {
  const digest = createHash('sha256').update(utf8(name)).update(Uint8Array.of(0x0a, ALG_ED25519)).update(publicKey).digest();
  return digest.readUInt32BE(0);
}

/** A key hash as the 8 hex digits the key texts carry. */
export function hashText(hash: number): string {
  return hash.toString(16).padStart(8, '0');
}

export function parseHash(text: string, what: string): number {
  // Go's strconv.ParseUint(hash, 16, 32) with a length check: 8 hex digits, either case.
  if (!/^[0-9a-fA-F]{8}$/.test(text)) throw new RecordError('invalid', `${what}: key hash "${text}" is not 8 hex digits`);
  return Number.parseInt(text, 16);
}

/**
 * Splits at the first n - 1 '+' signs, as Go's chop does: the last part is base64,
 * which may itself contain '+'. Returns undefined when there are fewer parts.
 */
export function splitPlus(text: string, n: number): string[] | undefined {
  const parts: string[] = [];
  let rest = text;
  for (let i = 1; i < n; i++) {
    const at = rest.indexOf('+');
    if (at < 0) return undefined;
    parts.push(rest.slice(0, at));
    rest = rest.slice(at + 1);
  }
  parts.push(rest);
  return parts;
}

function makeVerifier(name: string, hash: number, publicKey: Uint8Array, key: KeyObject): Verifier {
  const vkey = `${name}+${hashText(hash)}+${encodeBase64(Uint8Array.of(ALG_ED25519, ...publicKey))}`;
  return {
    name,
    keyHash: hash,
    publicKey,
    vkey,
    verify: (message, signature) => ed25519Verify(key, message, signature, publicKey),
  };
}

// Verifier keys are public and few (one per author and per log), so an unbounded-looking
// cache is bounded in practice; it is cleared if it ever grows past CACHE_LIMIT.
const CACHE_LIMIT = 4096;
const verifierCache = new Map<string, Verifier>();

/** Parses a verifier key, rejecting non-canonical and small-order public keys. */
export function parseVerifierKey(vkey: string): Verifier {
  const cached = verifierCache.get(vkey);
  if (cached) return cached;
  const parts = splitPlus(vkey, 3);
  if (!parts) throw new RecordError('invalid', 'verifier key must be name+hash+key');
  const [name, hashPart, keyPart] = parts;
  if (!isValidKeyName(name)) throw new RecordError('invalid', `verifier key: invalid key name "${name}"`);
  const hash = parseHash(hashPart, 'verifier key');
  const raw = decodeBase64(keyPart, 'verifier key');
  if (raw.length !== 33 || raw[0] !== ALG_ED25519) {
    throw new RecordError('invalid', 'verifier key: expected 0x01 (Ed25519) followed by a 32-byte public key');
  }
  const publicKey = raw.slice(1);
  const problem = publicKeyProblem(publicKey);
  if (problem) throw new RecordError('invalid', `verifier key: ${problem}`);
  if (keyHash(name, publicKey) !== hash) throw new RecordError('invalid', `verifier key: key hash ${hashPart} does not match the key`);
  const verifier = makeVerifier(name, hash, publicKey, publicKeyFromRaw(publicKey));
  if (verifierCache.size >= CACHE_LIMIT) verifierCache.clear();
  verifierCache.set(vkey, verifier);
  return verifier;
}

function makeSigner(name: string, privateKey: KeyObject): Signer {
  const publicKey = rawPublicKey(privateKey);
  const problem = publicKeyProblem(publicKey);
  if (problem) throw new RecordError('invalid', `signer key: ${problem}`);
  const hash = keyHash(name, publicKey);
  const verifier = makeVerifier(name, hash, publicKey, publicKeyFromRaw(publicKey));
  return { name, keyHash: hash, verifier, sign: (message) => ed25519Sign(privateKey, message) };
}

/** Parses a signer key (it holds the seed; the public key and hash are derived and checked). */
export function parseSignerKey(skey: string): Signer {
  const parts = splitPlus(skey, 5);
  if (parts?.[0] !== 'PRIVATE' || parts[1] !== 'KEY') {
    throw new RecordError('invalid', 'signer key must be PRIVATE+KEY+name+hash+key');
  }
  const [, , name, hashPart, keyPart] = parts;
  if (!isValidKeyName(name)) throw new RecordError('invalid', `signer key: invalid key name "${name}"`);
  const hash = parseHash(hashPart, 'signer key');
  const raw = decodeBase64(keyPart, 'signer key');
  if (raw.length !== 33 || raw[0] !== ALG_ED25519) {
    throw new RecordError('invalid', 'signer key: expected 0x01 (Ed25519) followed by a 32-byte seed');
  }
  const signer = makeSigner(name, privateKeyFromSeed(raw.subarray(1)));
  if (signer.keyHash !== hash) throw new RecordError('invalid', `signer key: key hash ${hashPart} does not match the key`);
  return signer;
}

/** A fresh key pair for `name`, as the two texts. */
export function generateKey(name: string): { skey: string; vkey: string } {
  if (!isValidKeyName(name)) throw new RecordError('invalid', `invalid key name "${name}": it must be non-empty, without spaces or '+'`);
  const { privateKey } = generateKeyPairSync('ed25519');
  const signer = makeSigner(name, privateKey);
  const seed = rawSeed(privateKey);
  const skey = `PRIVATE+KEY+${name}+${hashText(signer.keyHash)}+${encodeBase64(Uint8Array.of(ALG_ED25519, ...seed))}`;
  return { skey, vkey: signer.verifier.vkey };
}
