// A signature only a key's holder can make, valid under the cofactorless equation that
// OpenSSL checks, whose R is the identity (of small order): with S = k·a, [S]B − [k]A is
// the identity, and its encoding is R's. No honest signer makes one (R = [r]B); libsodium
// refuses it, and so does every verifier of the record (ed25519.ts's signatureProblem,
// the page's shim), so that all give the same verdict.
import { createHash } from 'node:crypto';
import { ed25519 } from '@noble/curves/ed25519.js';
import { bytesToNumberLE, numberToBytesLE } from '@noble/curves/utils.js';
import { splitPlus } from '../../src/record/keys.ts';

/** The signer key text's 32-byte seed (PRIVATE+KEY+name+hash+base64(0x01 ‖ seed), whose base64 may hold '+'). */
export function seedOf(skey: string): Uint8Array {
  return Uint8Array.from(Buffer.from(splitPlus(skey, 5)![4], 'base64').subarray(1));
}

/** The holder's signature of `message` with R the identity, from the key's seed. */
export function identityRSignature(seed: Uint8Array, message: Uint8Array): Uint8Array {
  const { scalar: a, pointBytes: pub } = ed25519.utils.getExtendedPublicKey(seed);
  const L = ed25519.Point.Fn.ORDER;
  const R = ed25519.Point.ZERO.toBytes();
  const k = bytesToNumberLE(createHash('sha512').update(R).update(pub).update(message).digest()) % L;
  return Uint8Array.from([...R, ...numberToBytesLE((k * a) % L, 32)]);
}
