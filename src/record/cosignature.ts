// Witness cosignatures, C2SP tlog-cosignature v1 (Ed25519, key type 0x04).
//
// A witness signs, for one checkpoint, the message
//   "cosignature/v1\ntime <POSIX seconds>\n" + <the checkpoint text, every line>
// and writes it as a signed-note line
//   — <witness name> base64(keyID(4) ‖ u64be(time) ‖ signature(64))
// with keyID = SHA-256(name ‖ 0x0A ‖ 0x04 ‖ public key)[:4]. Its verifier key is
// <name>+<hex keyID>+base64(0x04 ‖ public key). Because the key type differs from the
// log's (0x01), a cosignature line never verifies as a note signature and a log
// signature never as a cosignature: openNote sets cosignature lines aside as unknown.

import { createHash, generateKeyPairSync } from 'node:crypto';
import { ed25519Sign, ed25519Verify, privateKeyFromSeed, publicKeyFromRaw, publicKeyProblem, rawPublicKey, rawSeed } from './ed25519.ts';
import { decodeBase64, encodeBase64, fromUtf8, utf8 } from './encoding.ts';
import { RecordError } from './errors.ts';
import { hashText, isValidKeyName, parseHash, splitPlus } from './keys.ts';

export const COSIGNATURE_V1 = 0x04;
const SIGNATURE_BYTES = 4 + 8 + 64;

export interface Cosigner {
  readonly name: string;
  readonly keyId: number;
  /** the verifier key text */
  readonly vkey: string;
  /** The whole signature line (with its newline) cosigning `checkpointText` at `time` (POSIX seconds). */
  cosign(checkpointText: string, time: number): string;
}

export interface CosignatureVerifier {
  readonly name: string;
  readonly keyId: number;
  readonly publicKey: Uint8Array;
  readonly vkey: string;
  /** The time the signature carries when it is this key's valid cosignature of `checkpointText`, else undefined. */
  verify(checkpointText: string, signatureBase64: string): number | undefined;
}

/** First 4 bytes, big-endian, of SHA-256(name ‖ 0x0A ‖ 0x04 ‖ public key). */
export function cosignatureKeyId(name: string, publicKey: Uint8Array): number {
  return createHash('sha256').update(utf8(name)).update(Uint8Array.of(0x0a, COSIGNATURE_V1)).update(publicKey).digest().readUInt32BE(0);
}

/** The bytes a witness signs. `checkpointText` is the note's text: every line up to the blank line, newline-terminated. */
export function cosignedMessage(checkpointText: string, time: number): Uint8Array {
  if (!Number.isSafeInteger(time) || time < 0) throw new RecordError('invalid', `cosignature time must be a non-negative integer, got ${time}`);
  if (!checkpointText.endsWith('\n')) throw new RecordError('invalid', 'checkpoint text must end with a newline');
  return utf8(`cosignature/v1\ntime ${time}\n${checkpointText}`);
}

function vkeyOf(name: string, keyId: number, publicKey: Uint8Array): string {
  return `${name}+${hashText(keyId)}+${encodeBase64(Uint8Array.of(COSIGNATURE_V1, ...publicKey))}`;
}

/** A cosigner from its name and 32-byte Ed25519 seed. */
export function cosignerFromSeed(name: string, seed: Uint8Array): Cosigner {
  if (!isValidKeyName(name)) throw new RecordError('invalid', `invalid witness name "${name}"`);
  if (seed.length !== 32) throw new RecordError('invalid', 'a cosigner seed is 32 bytes');
  const key = privateKeyFromSeed(seed);
  const publicKey = rawPublicKey(key);
  const keyId = cosignatureKeyId(name, publicKey);
  return {
    name,
    keyId,
    vkey: vkeyOf(name, keyId, publicKey),
    cosign(checkpointText, time) {
      const blob = new Uint8Array(SIGNATURE_BYTES);
      const view = new DataView(blob.buffer);
      view.setUint32(0, keyId);
      view.setBigUint64(4, BigInt(time));
      blob.set(ed25519Sign(key, cosignedMessage(checkpointText, time)), 12);
      return `— ${name} ${encodeBase64(blob)}\n`;
    },
  };
}

/** A fresh cosigner key: its seed (keep it secret) and the cosigner. */
export function generateCosigner(name: string): { seed: Uint8Array; cosigner: Cosigner } {
  const seed = rawSeed(generateKeyPairSync('ed25519').privateKey);
  return { seed, cosigner: cosignerFromSeed(name, seed) };
}

/** Parses a cosignature/v1 verifier key (`name+keyID+base64(0x04 ‖ key)`), rejecting any other key type. */
export function parseCosignatureKey(vkey: string): CosignatureVerifier {
  const parts = splitPlus(vkey, 3);
  if (!parts) throw new RecordError('invalid', 'witness key must be name+hash+key');
  const [name, idPart, keyPart] = parts;
  if (!isValidKeyName(name)) throw new RecordError('invalid', `witness key: invalid name "${name}"`);
  const keyId = parseHash(idPart, 'witness key');
  const raw = decodeBase64(keyPart, 'witness key');
  if (raw.length !== 33 || raw[0] !== COSIGNATURE_V1)
    throw new RecordError('invalid', 'witness key: expected 0x04 (cosignature/v1) followed by a 32-byte Ed25519 public key');
  const publicKey = raw.slice(1);
  const problem = publicKeyProblem(publicKey);
  if (problem) throw new RecordError('invalid', `witness key: ${problem}`);
  if (cosignatureKeyId(name, publicKey) !== keyId) throw new RecordError('invalid', `witness key: key ID ${idPart} does not match the key`);
  const key = publicKeyFromRaw(publicKey);
  return {
    name,
    keyId,
    publicKey,
    vkey: vkeyOf(name, keyId, publicKey),
    verify(checkpointText, signatureBase64) {
      let blob: Uint8Array;
      try {
        blob = decodeBase64(signatureBase64, 'cosignature');
      } catch {
        return undefined;
      }
      if (blob.length !== SIGNATURE_BYTES) return undefined;
      const view = new DataView(blob.buffer, blob.byteOffset, blob.byteLength);
      if (view.getUint32(0) !== keyId) return undefined;
      const time = view.getBigUint64(4);
      if (time > BigInt(Number.MAX_SAFE_INTEGER)) return undefined;
      const t = Number(time);
      return ed25519Verify(key, cosignedMessage(checkpointText, t), blob.subarray(12), publicKey) ? t : undefined;
    },
  };
}

export interface NoteParts {
  /** the signed text, newline-terminated */
  text: string;
  /** each signature line as name and base64, in order */
  lines: { name: string; base64: string; line: string }[];
}

/** Splits a signed note into its text and signature lines (no verification). */
export function noteParts(note: string | Uint8Array): NoteParts {
  const msg = typeof note === 'string' ? note : fromUtf8(note, 'note');
  const split = msg.lastIndexOf('\n\n');
  if (split < 0 || !msg.endsWith('\n')) throw new RecordError('invalid', 'malformed note: no blank line before the signatures');
  const text = msg.slice(0, split + 1);
  const lines = msg
    .slice(split + 2, -1)
    .split('\n')
    .map((line) => {
      if (!line.startsWith('— ')) throw new RecordError('invalid', 'malformed note: a signature line does not start with "— "');
      const rest = line.slice(2);
      const space = rest.indexOf(' ');
      if (space < 0) throw new RecordError('invalid', 'malformed note: a signature line has no signature');
      return { name: rest.slice(0, space), base64: rest.slice(space + 1), line: `${line}\n` };
    });
  return { text, lines };
}

/** Which of `witnesses` validly cosigned the note's checkpoint, with the time each signed. */
export function cosignaturesOf(note: string | Uint8Array, witnesses: Iterable<CosignatureVerifier>): Map<string, number> {
  const { text, lines } = noteParts(note);
  const out = new Map<string, number>();
  const byName = new Map<string, CosignatureVerifier[]>();
  for (const w of witnesses) byName.set(w.name, [...(byName.get(w.name) ?? []), w]);
  for (const l of lines) {
    for (const w of byName.get(l.name) ?? []) {
      if (out.has(w.vkey)) continue;
      const t = w.verify(text, l.base64);
      if (t !== undefined) out.set(w.vkey, t);
    }
  }
  return out;
}
