// The one function of sodium-native (libsodium's bindings) this project calls. ed25519.ts
// loads it at run time where it is installed (the page has no use for it); tests import it
// to compare its verdicts.
declare module 'sodium-native' {
  /** libsodium's crypto_sign_verify_detached: true when `signature` is `publicKey`'s Ed25519 signature of `message` */
  export function crypto_sign_verify_detached(signature: Uint8Array, message: Uint8Array, publicKey: Uint8Array): boolean;
  const sodium: { crypto_sign_verify_detached: typeof crypto_sign_verify_detached };
  export default sodium;
}
