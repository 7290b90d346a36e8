// What the record's verification code asks of node:crypto, for the browser: digests
// (createHash, and the one-shot hash) and Ed25519 verification of raw public keys
// wrapped in SPKI DER (createPublicKey + verify). The build maps `node:crypto` here.
// The arithmetic is @noble/hashes' and @noble/curves' (audited), not ours.
// Signing with node:crypto's private KeyObjects stays on the server: asking for it here
// is an error (the page signs with its own key, see ../keys).
import './buffer-global.ts';
import { sha256, sha512 } from '@noble/hashes/sha2.js';
import { Buffer } from 'buffer';
import { ed25519Verify } from './ed25519.ts';

type Encoding = 'hex' | 'base64';

interface Digest {
  (data: Uint8Array): Uint8Array;
  create(): { update(data: Uint8Array): unknown; digest(): Uint8Array };
}

const DIGESTS: Record<string, Digest> = { sha256, sha512 };

function digestOf(algorithm: string): Digest {
  const fn = Object.hasOwn(DIGESTS, algorithm.toLowerCase()) ? DIGESTS[algorithm.toLowerCase()] : undefined;
  if (!fn) throw new Error(`Digest method not supported: ${algorithm}`);
  return fn;
}

function bytesOf(data: Uint8Array | string): Uint8Array {
  return typeof data === 'string' ? new TextEncoder().encode(data) : data;
}

export class Hash {
  private readonly state: ReturnType<Digest['create']>;
  private done = false;
  constructor(fn: Digest) {
    this.state = fn.create();
  }

  update(data: Uint8Array | string): this {
    if (this.done) throw new Error('Digest already called');
    // A plain Uint8Array view: noble takes the bytes as they are now.
    const bytes = bytesOf(data);
    this.state.update(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength));
    return this;
  }

  digest(): Buffer;
  digest(encoding: Encoding): string;
  digest(encoding?: Encoding): Buffer | string {
    if (this.done) throw new Error('Digest already called');
    this.done = true;
    const out = Buffer.from(this.state.digest());
    return encoding ? out.toString(encoding) : out;
  }
}

export function createHash(algorithm: string): Hash {
  return new Hash(digestOf(algorithm));
}

/** One-shot digest, as crypto.hash in Node 20.12+ (default output: hex). */
export function hash(algorithm: string, data: Uint8Array | string, outputEncoding: Encoding | 'buffer' = 'hex'): Buffer | string {
  const out = Buffer.from(digestOf(algorithm)(bytesOf(data)));
  return outputEncoding === 'buffer' ? out : out.toString(outputEncoding);
}

// SPKI DER of an Ed25519 public key (RFC 8410): this prefix, then the 32 raw bytes.
const SPKI_ED25519 = Uint8Array.from([0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03, 0x21, 0x00]);

export class PublicKeyObject {
  readonly type = 'public';
  readonly asymmetricKeyType = 'ed25519';
  constructor(readonly raw: Uint8Array) {}
  export(options: { format: 'der'; type: 'spki' }): Buffer {
    if (options.format !== 'der' || options.type !== 'spki') throw new Error('only DER SPKI export is available here');
    return Buffer.concat([SPKI_ED25519, this.raw]);
  }
}

export function createPublicKey(input: { key: Uint8Array; format: 'der'; type: 'spki' }): PublicKeyObject {
  const der = input.key;
  const prefixed = der.length === SPKI_ED25519.length + 32 && SPKI_ED25519.every((b, i) => der[i] === b);
  if (input.format !== 'der' || input.type !== 'spki' || !prefixed) throw new Error('only Ed25519 public keys in DER SPKI form are supported here');
  return new PublicKeyObject(Uint8Array.from(der.subarray(SPKI_ED25519.length)));
}

export function verify(algorithm: null | undefined, data: Uint8Array, key: PublicKeyObject, signature: Uint8Array): boolean {
  if (algorithm !== null && algorithm !== undefined) throw new Error('Ed25519 takes no digest algorithm');
  if (!(key instanceof PublicKeyObject)) throw new Error('verify needs a key from createPublicKey');
  return ed25519Verify(key.raw, data, signature);
}

export function randomBytes(size: number): Buffer {
  const out = new Uint8Array(size);
  globalThis.crypto.getRandomValues(out);
  return Buffer.from(out.buffer);
}

function serverOnly(what: string): never {
  throw new Error(`${what} is not available in the browser: signing keys stay with their holders`);
}

export function createPrivateKey(): never {
  return serverOnly('createPrivateKey');
}
export function sign(): never {
  return serverOnly('sign');
}
export function generateKeyPairSync(): never {
  return serverOnly('generateKeyPairSync');
}
