// This device's Ed25519 key for an actor. Made in the page: with WebCrypto where the
// browser has Ed25519, non-extractable, so no script (ours included) can ever read the
// private key; otherwise with @noble/curves, whose seed is a byte array script can read
// (the page says so). The verifier key is in the record's signed-note form, built with
// the record's own keyHash and checked by its own parser.
import { encodeBase64 } from '../../../src/record/encoding.ts';
import { hashText, keyHash, parseVerifierKey } from '../../../src/record/keys.ts';
import { ed25519PublicKey, ed25519Seed, ed25519Sign } from '../shims/ed25519.ts';

export type KeyKind = 'webcrypto' | 'noble';

/** What is kept of a key (in IndexedDB: a CryptoKey survives structured cloning, still unreadable). */
export interface StoredKey {
  actor: string;
  kind: KeyKind;
  publicKey: Uint8Array;
  vkey: string;
  /** the non-extractable private key (webcrypto) */
  privateKey?: CryptoKey;
  /** the 32-byte seed (noble): readable by script on this origin */
  seed?: Uint8Array;
  created: string;
  /** the server accepted this key for the actor (self-enrolled, or enrolled from another device) */
  enrolled?: boolean;
}

export interface DeviceKey {
  readonly actor: string;
  readonly kind: KeyKind;
  readonly vkey: string;
  readonly publicKey: Uint8Array;
  /** whether script on this page could read the private key */
  readonly extractable: boolean;
  sign(message: Uint8Array): Promise<Uint8Array>;
}

/** `<name>+<hash>+base64(0x01 ‖ pub)`, checked by the record's parser (canonical, not small-order). */
export function verifierKeyText(name: string, publicKey: Uint8Array): string {
  const vkey = `${name}+${hashText(keyHash(name, publicKey))}+${encodeBase64(Uint8Array.of(0x01, ...publicKey))}`;
  parseVerifierKey(vkey);
  return vkey;
}

export function deviceKey(stored: StoredKey): DeviceKey {
  const { actor, kind, vkey, publicKey } = stored;
  if (kind === 'webcrypto') {
    const key = stored.privateKey;
    if (!key) throw new Error('the stored key has no private key');
    return {
      actor,
      kind,
      vkey,
      publicKey,
      extractable: key.extractable,
      sign: async (message) => new Uint8Array(await crypto.subtle.sign('Ed25519', key, Uint8Array.from(message))),
    };
  }
  const seed = stored.seed;
  if (!seed) throw new Error('the stored key has no seed');
  return { actor, kind, vkey, publicKey, extractable: true, sign: async (message) => ed25519Sign(seed, message) };
}

/**
 * Makes a key for `actor`. `subtle` is the WebCrypto to try first; without Ed25519 in
 * it (or with `subtle` null) the key is made with @noble/curves instead.
 */
export async function makeKey(actor: string, subtle: SubtleCrypto | null = globalThis.crypto?.subtle ?? null): Promise<StoredKey> {
  const created = new Date().toISOString();
  if (subtle) {
    try {
      const pair = (await subtle.generateKey({ name: 'Ed25519' }, false, ['sign', 'verify'])) as CryptoKeyPair;
      const publicKey = new Uint8Array(await subtle.exportKey('raw', pair.publicKey));
      return { actor, kind: 'webcrypto', publicKey, vkey: verifierKeyText(actor, publicKey), privateKey: pair.privateKey, created };
    } catch (e) {
      // Only a browser without Ed25519 falls back; anything else is a real failure.
      if (!(e instanceof Error) || (e.name !== 'NotSupportedError' && !/Ed25519|not supported|Unrecognized/i.test(e.message))) throw e;
    }
  }
  const seed = ed25519Seed();
  const publicKey = ed25519PublicKey(seed);
  return { actor, kind: 'noble', publicKey, vkey: verifierKeyText(actor, publicKey), seed, created };
}
