import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { EMPTY_ROOT, leafHash, RootBuilder, rootOf, verifyConsistency, verifyInclusion } from './merkle.ts';
import { consistencyRanges, foldNodes, inclusionRanges, rangeNodes, type Range } from './proofs.ts';
import { MTH, PATH, PROOF, refLeafHash } from '../../test/helpers/record-reference.ts';

const dir = new URL('./testdata/', import.meta.url);

// The vectors hold 2^64 - 1 as a bare JSON number; read such numbers as strings, then bigints.
function readVectors(name: string): Array<Record<string, unknown>> {
  const text = readFileSync(new URL(name, dir), 'utf8').replace(/: (\d{16,})/g, ': "$1"');
  return JSON.parse(text);
}

// Hashes come back as Buffers (a Uint8Array subclass); compare contents, not classes.
const hex = (a: Uint8Array | Uint8Array[]) => (Array.isArray(a) ? a.map((x) => Buffer.from(x).toString('hex')) : Buffer.from(a).toString('hex'));
const b64 = (s: string) => new Uint8Array(Buffer.from(s, 'base64'));
const size = (v: unknown) => (typeof v === 'string' ? BigInt(v) : (v as number));
const proofOf = (p: unknown) => ((p as string[] | null) ?? []).map(b64);

test('RFC 6962 reference tree: roots of the first n leaves', () => {
  const ref = JSON.parse(readFileSync(new URL('reference-tree.json', dir), 'utf8')) as { leaves: string[]; roots: string[] };
  const b = new RootBuilder();
  ref.leaves.forEach((hex, i) => {
    b.push(leafHash(Buffer.from(hex, 'hex')));
    assert.equal(Buffer.from(b.root()).toString('hex'), ref.roots[i], `root of ${i + 1} leaves`);
  });
  assert.equal(hex(rootOf([])), hex(EMPTY_ROOT));
  assert.equal(Buffer.from(EMPTY_ROOT).toString('hex'), 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
});

test('inclusion vectors (transparency-dev/merkle)', () => {
  const vectors = readVectors('inclusion.json');
  assert.ok(vectors.length > 40);
  for (const v of vectors) {
    const ok = verifyInclusion(size(v.leafIdx), size(v.treeSize), b64(v.leafHash as string), proofOf(v.proof), b64(v.root as string));
    assert.equal(ok, !v.wantErr, `${v.source}: ${v.desc}`);
  }
});

test('consistency vectors (transparency-dev/merkle)', () => {
  const vectors = readVectors('consistency.json');
  assert.ok(vectors.length > 40);
  for (const v of vectors) {
    const ok = verifyConsistency(size(v.size1), size(v.size2), b64(v.root1 as string), b64(v.root2 as string), proofOf(v.proof));
    assert.equal(ok, !v.wantErr, `${v.source}: ${v.desc}`);
  }
});

test('verifiers refuse malformed input instead of throwing', () => {
  const h = leafHash(new Uint8Array([1]));
  assert.equal(verifyInclusion(0, 1, h, [], h), true);
  assert.equal(verifyInclusion(0n, 1n, h, [], h), true);
  assert.equal(verifyInclusion(-1, 1, h, [], h), false);
  assert.equal(verifyInclusion(0.5, 1, h, [], h), false);
  assert.equal(verifyInclusion(0, 2 ** 53, h, [], h), false);
  assert.equal(verifyInclusion(0, 1n << 64n, h, [], h), false);
  assert.equal(verifyInclusion(0, 1, h.subarray(1), [], h), false);
  assert.equal(verifyInclusion(0, 1, h, [], h.subarray(0, 31)), false);
  assert.equal(verifyConsistency(2, 1, h, h, []), false);
  assert.equal(verifyConsistency(0, 5, EMPTY_ROOT, h, []), true);
  assert.equal(verifyConsistency(0, 5, h, h, []), false);
  assert.equal(verifyConsistency(3, 3, h, h, []), true);
  assert.equal(verifyConsistency(3, 3, h, h, [h]), false);
});

// Proofs assembled from the ranges/nodes that the log uses, with node hashes taken from the reference.
function nodeSource(leaves: Uint8Array[]) {
  return (r: Range) => foldNodes(rangeNodes(r).map((n) => MTH(leaves.slice(n.index * 2 ** n.level, (n.index + 1) * 2 ** n.level))));
}

const leavesArb = fc.array(fc.uint8Array({ maxLength: 8 }), { minLength: 1, maxLength: 70 });

test('RootBuilder and range folding agree with the recursive MTH', () => {
  fc.assert(
    fc.property(leavesArb, (leaves) => {
      const b = new RootBuilder();
      leaves.forEach((d) => b.push(refLeafHash(d)));
      assert.equal(hex(b.root()), hex(MTH(leaves)));
      assert.equal(hex(nodeSource(leaves)({ lo: 0, hi: leaves.length })), hex(MTH(leaves)));
    }),
  );
});

test('inclusion ranges give RFC 6962 PATH, and it verifies', () => {
  fc.assert(
    fc.property(leavesArb, fc.nat(), (leaves, seed) => {
      const n = leaves.length;
      const m = seed % n;
      const hash = nodeSource(leaves);
      const proof = inclusionRanges(m, n).map(hash);
      assert.deepEqual(hex(proof), hex(PATH(m, leaves)));
      assert.ok(verifyInclusion(m, n, refLeafHash(leaves[m]), proof, MTH(leaves)));
      if (n > 1)
        assert.ok(!verifyInclusion((m + 1) % n, n, refLeafHash(leaves[m]), proof, MTH(leaves)) || leaves[m].toString() === leaves[(m + 1) % n].toString());
    }),
  );
});

test('consistency ranges give RFC 6962 PROOF, and it verifies', () => {
  fc.assert(
    fc.property(leavesArb, fc.nat(), (leaves, seed) => {
      const n = leaves.length;
      const m = 1 + (seed % n);
      const hash = nodeSource(leaves);
      const proof = consistencyRanges(m, n).map(hash);
      assert.deepEqual(hex(proof), m === n ? [] : hex(PROOF(m, leaves)));
      assert.ok(verifyConsistency(m, n, MTH(leaves.slice(0, m)), MTH(leaves), proof));
      if (m < n && proof.length > 0) {
        const bad = proof.map((p, i) => (i === 0 ? p.map((x, j) => (j === 0 ? x ^ 1 : x)) : p));
        assert.ok(!verifyConsistency(m, n, MTH(leaves.slice(0, m)), MTH(leaves), bad));
      }
    }),
  );
});
