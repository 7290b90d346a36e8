// The one function of sodium-native (libsodium's bindings) this project calls: the
// verify pool's workers (plain JavaScript) verify with it, and tests compare its verdicts.
declare module 'sodium-native' {
  /** libsodium's crypto_sign_verify_detached: true when `signature` is `publicKey`'s Ed25519 signature of `message` */
  export function crypto_sign_verify_detached(signature: Uint8Array, message: Uint8Array, publicKey: Uint8Array): boolean;
  const sodium: { crypto_sign_verify_detached: typeof crypto_sign_verify_detached };
  export default sodium;
}
