// The witness's own key, kept in its data directory (owner only) as one line:
//   PRIVATE+KEY+<name>+<hex key ID>+base64(0x04 ‖ Ed25519 seed)
// the signed-note private-key form (as `detente keys new` writes for logs and actors)
// with the cosignature/v1 key type, so the file says what the key signs and cannot be
// mistaken for a log or actor key (type 0x01), which signs any note.

import { chmodSync, closeSync, existsSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { COSIGNATURE_V1, type Cosigner, cosignerFromSeed, generateCosigner } from '../record/cosignature.ts';
import { decodeBase64, encodeBase64 } from '../record/encoding.ts';
import { hashText, parseHash, splitPlus } from '../record/keys.ts';

export const KEY_FILE = 'witness.key';
export const VKEY_FILE = 'witness.vkey';

export class WitnessKeyError extends Error {}

export function formatWitnessKey(name: string, seed: Uint8Array): string {
  const c = cosignerFromSeed(name, seed);
  return `PRIVATE+KEY+${name}+${hashText(c.keyId)}+${encodeBase64(Uint8Array.of(COSIGNATURE_V1, ...seed))}`;
}

export function parseWitnessKey(text: string): Cosigner {
  const parts = splitPlus(text, 5);
  if (parts?.[0] !== 'PRIVATE' || parts[1] !== 'KEY') throw new WitnessKeyError('a witness key must be PRIVATE+KEY+name+keyID+key');
  const [, , name, idPart, keyPart] = parts;
  const id = parseHash(idPart, 'witness key');
  const raw = decodeBase64(keyPart, 'witness key');
  if (raw.length !== 33 || raw[0] !== COSIGNATURE_V1) throw new WitnessKeyError('a witness key is 0x04 (cosignature/v1) followed by a 32-byte seed');
  const c = cosignerFromSeed(name, raw.subarray(1));
  if (c.keyId !== id) throw new WitnessKeyError(`witness key: key ID ${idPart} does not match the key`);
  return c;
}

function writeNew(path: string, text: string, mode: number): void {
  const fd = openSync(path, 'wx', mode);
  try {
    writeSync(fd, text);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

function fsyncDir(dir: string): void {
  const fd = openSync(dir, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/**
 * The witness key in `dir`: made on first start (dir 0700, key 0600, never over an
 * existing file), read afterwards. `name`, when given, must be the stored key's name;
 * without it a new key is named `defaultName`.
 */
export function loadOrCreateWitnessKey(dir: string, name: string | undefined, defaultName: string): { cosigner: Cosigner; created: boolean } {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const keyPath = join(dir, KEY_FILE);
  if (existsSync(keyPath)) {
    const cosigner = parseWitnessKey(readFileSync(keyPath, 'utf8').trim());
    if (name !== undefined && name !== cosigner.name)
      throw new WitnessKeyError(`${keyPath} is the key of witness "${cosigner.name}", not "${name}"; a witness keeps its name`);
    writeVkey(dir, cosigner.vkey);
    return { cosigner, created: false };
  }
  const { seed, cosigner } = generateCosigner(name ?? defaultName);
  // A directory made by hand before the first start is made owner-only too.
  chmodSync(dir, 0o700);
  writeNew(keyPath, `${formatWitnessKey(cosigner.name, seed)}\n`, 0o600);
  writeVkey(dir, cosigner.vkey);
  fsyncDir(dir);
  return { cosigner, created: true };
}

function writeVkey(dir: string, vkey: string): void {
  const path = join(dir, VKEY_FILE);
  if (existsSync(path) && readFileSync(path, 'utf8') === `${vkey}\n`) return;
  const tmp = `${path}.tmp`;
  const fd = openSync(tmp, 'w', 0o644);
  try {
    writeSync(fd, `${vkey}\n`);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  // rename over any stale copy: the key file is the truth, witness.vkey its public half
  renameSync(tmp, path);
}
