import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { leafHash } from './merkle.ts';
import { hashAt, locate, openTileSources, TILE_NODES, tileRoot, TileWriter } from './tiles.ts';
import { MTH } from '../../test/helpers/record-reference.ts';

const hex = (a: Uint8Array) => Buffer.from(a).toString('hex');

function grow(n: number) {
  const leaves = Array.from({ length: n }, (_, i) => Uint8Array.of(i & 255, i >> 8));
  const writer = new TileWriter(0, []);
  leaves.forEach((d) => writer.addLeaf(leafHash(d)));
  const full = new Map(writer.takeFinished().map((t) => [t.id, t.data]));
  return { leaves, writer, full };
}

test('every full subtree hash sits where locate says, in a full or an open tile', () => {
  fc.assert(
    fc.property(fc.integer({ min: 1, max: 600 }), (n) => {
      const { leaves, writer, full } = grow(n);
      for (const t of full.values()) assert.equal(t.length, TILE_NODES * 32);
      for (let level = 0; 2 ** level <= n; level++) {
        for (let index = 0; (index + 1) * 2 ** level <= n; index++) {
          const at = locate(level, index);
          const tile = full.get(at.id) ?? writer.openTile(at.tileLevel, at.tileIndex);
          assert.ok(tile, `node ${level}/${index}: no tile`);
          assert.equal(hex(hashAt(tile, at.pos)), hex(MTH(leaves.slice(index * 2 ** level, (index + 1) * 2 ** level))), `node ${level}/${index} of ${n}`);
        }
      }
    }),
    { numRuns: 60 },
  );
});

test('open tiles rebuilt from their sources equal the ones grown leaf by leaf', () => {
  for (const n of [0, 1, 15, 16, 17, 255, 256, 257, 4095, 4096, 4097, 5000]) {
    const { leaves, writer, full } = grow(n);
    const { leaves: last, below } = openTileSources(n);
    const bases = [leaves.slice(n - last).map(leafHash), ...below.slice(1).map((ids) => ids.map((id) => tileRoot(full.get(id)!)))];
    const rebuilt = new TileWriter(n, bases);
    for (let level = 0; 16 ** level <= n; level++) {
      const index = Math.floor(n / 16 ** level / 16);
      assert.deepEqual(rebuilt.openTile(level, index), writer.openTile(level, index), `size ${n}, tile level ${level}`);
    }
    // Both keep growing the same way.
    writer.addLeaf(leafHash(Uint8Array.of(1)));
    rebuilt.addLeaf(leafHash(Uint8Array.of(1)));
    assert.deepEqual(rebuilt.takeFinished(), writer.takeFinished());
  }
  assert.throws(() => new TileWriter(17, [[]]), /needs 1 base nodes, got 0/);
});
