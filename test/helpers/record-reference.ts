// RFC 6962 §2.1 written as plainly as the RFC states it: MTH, PATH and PROOF by
// recursion over the list of leaves, with its own hashing. Tests compare the record's
// incremental tree and its proofs against these; nothing here is shared with src/record.

import { createHash } from 'node:crypto';

function sha256(...parts: Uint8Array[]): Uint8Array {
  const h = createHash('sha256');
  for (const p of parts) h.update(p);
  return new Uint8Array(h.digest());
}

/** The largest power of two smaller than n. */
function k(n: number): number {
  let p = 1;
  while (p * 2 < n) p *= 2;
  return p;
}

export function refLeafHash(d: Uint8Array): Uint8Array {
  return sha256(Uint8Array.of(0), d);
}

export function MTH(D: Uint8Array[]): Uint8Array {
  const n = D.length;
  if (n === 0) return sha256();
  if (n === 1) return refLeafHash(D[0]);
  return sha256(Uint8Array.of(1), MTH(D.slice(0, k(n))), MTH(D.slice(k(n))));
}

export function PATH(m: number, D: Uint8Array[]): Uint8Array[] {
  const n = D.length;
  if (n === 1) return [];
  const s = k(n);
  return m < s ? [...PATH(m, D.slice(0, s)), MTH(D.slice(s))] : [...PATH(m - s, D.slice(s)), MTH(D.slice(0, s))];
}

function SUBPROOF(m: number, D: Uint8Array[], b: boolean): Uint8Array[] {
  const n = D.length;
  if (m === n) return b ? [] : [MTH(D)];
  const s = k(n);
  return m <= s ? [...SUBPROOF(m, D.slice(0, s), b), MTH(D.slice(s))] : [...SUBPROOF(m - s, D.slice(s), false), MTH(D.slice(0, s))];
}

export function PROOF(m: number, D: Uint8Array[]): Uint8Array[] {
  return SUBPROOF(m, D, true);
}
