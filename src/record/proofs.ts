// Which subtree hashes make up a proof (RFC 9162 §2.1.3.1 PATH and §2.1.4.1 PROOF),
// computed without any hashing: a proof is a list of RFC 6962 subtrees [lo, hi),
// and each subtree is a few maximal full subtrees ("nodes": level, index) that a
// store keeps. The log fetches those nodes and folds them (hashRange).
//
// Sizes here are JavaScript numbers (safe integers): a log past 2^53 entries is not a concern.

import { nodeHash } from './merkle.ts';

/** Leaves [lo, hi): always an RFC 6962 subtree (lo is a multiple of the largest power of two below hi - lo). */
export interface Range {
  lo: number;
  hi: number;
}

/** A full subtree: leaves [index * 2^level, (index + 1) * 2^level). */
export interface NodeId {
  level: number;
  index: number;
}

/** The largest power of two strictly below n (n >= 2). */
export function splitPoint(n: number): number {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

/** The audit path of leaf `index` in the tree of `size` leaves, leaf-side first (RFC 9162 PATH). */
export function inclusionRanges(index: number, size: number): Range[] {
  const out: Range[] = [];
  let lo = 0;
  let hi = size;
  while (hi - lo > 1) {
    const k = splitPoint(hi - lo);
    if (index < lo + k) {
      out.push({ lo: lo + k, hi });
      hi = lo + k;
    } else {
      out.push({ lo, hi: lo + k });
      lo += k;
    }
  }
  return out.reverse();
}

/** The consistency proof between the trees of sizes m and n, 0 < m < n (RFC 9162 PROOF/SUBPROOF). */
export function consistencyRanges(m: number, n: number): Range[] {
  const out: Range[] = [];
  if (m <= 0 || m >= n) return out;
  let lo = 0;
  let hi = n;
  let rest = m; // how much of the old tree lies in [lo, hi)
  let whole = true; // SUBPROOF's b: [lo, hi) is still the old tree's own root
  while (rest !== hi - lo) {
    const k = splitPoint(hi - lo);
    if (rest <= k) {
      out.push({ lo: lo + k, hi });
      hi = lo + k;
    } else {
      out.push({ lo, hi: lo + k });
      lo += k;
      rest -= k;
      whole = false;
    }
  }
  if (!whole) out.push({ lo, hi });
  return out.reverse();
}

/** The maximal full subtrees making up the range, left to right. */
export function rangeNodes(r: Range): NodeId[] {
  const out: NodeId[] = [];
  let lo = r.lo;
  let left = r.hi - r.lo;
  // Taking the highest power of two first keeps every piece aligned, because lo starts
  // at a multiple of a power of two at least as large as the range.
  for (let size = 2 ** Math.floor(Math.log2(left)) * 2; left > 0; ) {
    while (size > left) size /= 2;
    out.push({ level: Math.log2(size), index: lo / size });
    lo += size;
    left -= size;
  }
  return out;
}

/** The tree hash of a range from the hashes of its rangeNodes (folded right to left, as MTH splits). */
export function foldNodes(hashes: readonly Uint8Array[]): Uint8Array {
  let h = hashes[hashes.length - 1];
  for (let i = hashes.length - 2; i >= 0; i--) h = nodeHash(hashes[i], h);
  return h;
}
