// Ed25519 signature verification (RFC 8032 §5.1.7) in BigInt arithmetic, synchronous,
// because the record's note code calls verify() synchronously and WebCrypto's is async.
//
// It checks what OpenSSL checks, in the same way: the public key must decode to a curve
// point, S must be below L, and the signature holds when the encoding of [S]B − [k]A
// equals R's 32 bytes exactly (the cofactorless equation, compared as bytes). The record
// code adds its own stricter checks on keys and signatures before it gets here.
// Verification only: nothing here handles secrets, so constant time does not matter.

import { sha512 } from './sha2.ts';

const P = (1n << 255n) - 19n;
const L = (1n << 252n) + 27742317777372353535851937790883648493n;

function mod(a: bigint): bigint {
  const r = a % P;
  return r >= 0n ? r : r + P;
}

function pow(base: bigint, exp: bigint): bigint {
  let r = 1n;
  let b = mod(base);
  for (let e = exp; e > 0n; e >>= 1n) {
    if (e & 1n) r = (r * b) % P;
    b = (b * b) % P;
  }
  return r;
}

const inv = (a: bigint) => pow(a, P - 2n);
const D = mod(-121665n * inv(121666n));
const SQRT_M1 = pow(2n, (P - 1n) / 4n);

/** A point in extended coordinates: x = X/Z, y = Y/Z, x·y = T/Z. */
interface Point {
  X: bigint;
  Y: bigint;
  Z: bigint;
  T: bigint;
}

const ZERO: Point = { X: 0n, Y: 1n, Z: 1n, T: 0n };

// Addition on −x² + y² = 1 + d·x²·y² (Hisil–Wong–Carter–Dawson, extended coordinates).
// With d not a square it is complete, so it doubles as well.
function add(p: Point, q: Point): Point {
  const a = mod((p.Y - p.X) * (q.Y - q.X));
  const b = mod((p.Y + p.X) * (q.Y + q.X));
  const c = mod(2n * D * p.T * q.T);
  const d = mod(2n * p.Z * q.Z);
  const e = b - a;
  const f = d - c;
  const g = d + c;
  const h = b + a;
  return { X: mod(e * f), Y: mod(g * h), Z: mod(f * g), T: mod(e * h) };
}

function negate(p: Point): Point {
  return { X: mod(-p.X), Y: p.Y, Z: p.Z, T: mod(-p.T) };
}

function multiply(k: bigint, p: Point): Point {
  let r = ZERO;
  for (let i = BigInt(k.toString(2).length) - 1n; i >= 0n; i--) {
    r = add(r, r);
    if ((k >> i) & 1n) r = add(r, p);
  }
  return r;
}

function littleEndian(bytes: Uint8Array): bigint {
  let n = 0n;
  for (let i = bytes.length - 1; i >= 0; i--) n = (n << 8n) | BigInt(bytes[i]);
  return n;
}

/** The x with x² = u/v, or undefined when u/v is not a square (RFC 8032 §5.1.3). */
function sqrtRatio(u: bigint, v: bigint): bigint | undefined {
  const v3 = mod(v * v * v);
  const x = mod(u * v3 * pow(u * v3 * v3 * v, (P - 5n) / 8n));
  const vx2 = mod(v * x * x);
  if (vx2 === mod(u)) return x;
  if (vx2 === mod(-u)) return mod(x * SQRT_M1);
  return undefined;
}

function fromAffine(x: bigint, y: bigint): Point {
  return { X: x, Y: y, Z: 1n, T: mod(x * y) };
}

/** Decodes a 32-byte point encoding, or undefined when it is not a curve point. */
function decode(bytes: Uint8Array): Point | undefined {
  if (bytes.length !== 32) return undefined;
  const sign = bytes[31] >> 7;
  const y = littleEndian(bytes) & ((1n << 255n) - 1n);
  if (y >= P) return undefined;
  const y2 = mod(y * y);
  let x = sqrtRatio(y2 - 1n, D * y2 + 1n);
  if (x === undefined) return undefined;
  if (x === 0n && sign === 1) return undefined;
  if (Number(x & 1n) !== sign) x = P - x;
  return fromAffine(x, y);
}

function encode(p: Point): Uint8Array {
  const zi = inv(p.Z);
  const x = mod(p.X * zi);
  let y = mod(p.Y * zi);
  const out = new Uint8Array(32);
  for (let i = 0; i < 32; i++) {
    out[i] = Number(y & 0xffn);
    y >>= 8n;
  }
  out[31] |= Number(x & 1n) << 7;
  return out;
}

// The base point: y = 4/5, x the even root.
const B: Point = (() => {
  const y = mod(4n * inv(5n));
  const x = sqrtRatio(mod(y * y - 1n), mod(D * y * y + 1n))!;
  return fromAffine(x & 1n ? P - x : x, y);
})();

/** True when `signature` (R ‖ S) is a valid Ed25519 signature of `message` by `publicKey`. */
export function ed25519Verify(publicKey: Uint8Array, message: Uint8Array, signature: Uint8Array): boolean {
  if (signature.length !== 64) return false;
  const A = decode(publicKey);
  if (!A) return false;
  const R = signature.subarray(0, 32);
  const S = littleEndian(signature.subarray(32));
  if (S >= L) return false;
  const input = new Uint8Array(64 + message.length);
  input.set(R, 0);
  input.set(publicKey, 32);
  input.set(message, 64);
  const k = littleEndian(sha512(input)) % L;
  const check = encode(add(multiply(S, B), multiply(k, negate(A))));
  for (let i = 0; i < 32; i++) if (check[i] !== R[i]) return false;
  return true;
}
