// Ed25519 for the page, from @noble/curves (audited), held to what the record's own
// src/record/ed25519.ts holds node:crypto to, so that the page and `detente verify`
// never disagree on a signature:
//   - RFC 8032 strict decoding (zip215: false): A and R canonical, S < L; small-order
//     keys refused (noble refuses them in strict mode), and small-order R too (as
//     libsodium, and src/record/ed25519.ts's signatureProblem, refuse it);
//   - the cofactorless equation, as OpenSSL checks it: the encoding of [S]B − [k]A must
//     equal R's bytes. noble checks the cofactored one, which also accepts an R with a
//     small-order part that OpenSSL refuses; both must hold here.
import { ed25519 } from '@noble/curves/ed25519.js';
import { bytesToNumberLE, equalBytes } from '@noble/curves/utils.js';
import { sha512 } from '@noble/hashes/sha2.js';

const { Point } = ed25519;
const L = Point.Fn.ORDER;

export function ed25519Verify(publicKey: Uint8Array, message: Uint8Array, signature: Uint8Array): boolean {
  if (publicKey.length !== 32 || signature.length !== 64) return false;
  // Plain Uint8Arrays: noble accepts Buffer subclasses too, but copies keep it simple.
  const pub = Uint8Array.from(publicKey);
  const sig = Uint8Array.from(signature);
  const msg = Uint8Array.from(message);
  if (!ed25519.verify(sig, msg, pub, { zip215: false })) return false;
  const R = sig.subarray(0, 32);
  if (Point.fromBytes(R, false).isSmallOrder()) return false;
  const s = bytesToNumberLE(sig.subarray(32));
  const k = bytesToNumberLE(sha512(Uint8Array.from([...R, ...pub, ...msg]))) % L;
  const A = Point.fromBytes(pub, false);
  const SB = s === 0n ? Point.ZERO : Point.BASE.multiply(s);
  const kA = k === 0n ? Point.ZERO : A.multiply(k);
  return equalBytes(SB.subtract(kA).toBytes(), R);
}

/** The public key of a 32-byte seed (RFC 8032 §5.1.5). */
export function ed25519PublicKey(seed: Uint8Array): Uint8Array {
  return ed25519.getPublicKey(Uint8Array.from(seed));
}

/** Signs with a 32-byte seed (deterministic, RFC 8032 §5.1.6). */
export function ed25519Sign(seed: Uint8Array, message: Uint8Array): Uint8Array {
  return ed25519.sign(Uint8Array.from(message), Uint8Array.from(seed));
}

/** A fresh 32-byte seed from the platform's CSPRNG. */
export function ed25519Seed(): Uint8Array {
  return ed25519.utils.randomSecretKey();
}
