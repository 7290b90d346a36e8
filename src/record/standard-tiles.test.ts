import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { RecordError } from './errors.ts';
import { encodeEntryBundle, formatTileIndex, parseStandardTilePath, standardTilePath, standardTileWidth } from './standard-tiles.ts';

test('tile indexes are written in 3-digit groups, all but the last prefixed with x (the spec examples)', () => {
  assert.equal(formatTileIndex(0), '000');
  assert.equal(formatTileIndex(999), '999');
  assert.equal(formatTileIndex(1000), 'x001/000');
  assert.equal(formatTileIndex(1234067), 'x001/x234/067');
  assert.equal(standardTilePath({ kind: 'hashes', level: 1, index: 1234067, width: 8 }), 'tile/1/x001/x234/067.p/8');
  assert.equal(standardTilePath({ kind: 'entries', index: 3, width: 256 }), 'tile/entries/003');
});

test('every tile path parses back to its tile', () => {
  const tile = fc.oneof(
    fc.record({
      kind: fc.constant('hashes' as const),
      level: fc.integer({ min: 0, max: 63 }),
      index: fc.maxSafeNat(),
      width: fc.integer({ min: 1, max: 256 }),
    }),
    fc.record({ kind: fc.constant('entries' as const), index: fc.maxSafeNat(), width: fc.integer({ min: 1, max: 256 }) }),
  );
  fc.assert(
    fc.property(tile, (t) => {
      const path = standardTilePath(t);
      assert.deepEqual(parseStandardTilePath(path.slice('tile/'.length)), { ...t });
    }),
  );
});

test('only the one spelling of each tile is accepted', () => {
  const bad = [
    '0/x000/001', // leading x000 group
    '0/1', // not 3 digits
    '0/0001',
    '0/001/002', // inner group without x
    '0/x001', // last group with x
    '00/000', // leading zero in L
    '64/000', // L too big
    '-1/000',
    '0/000.p/0', // W = 0
    '0/000.p/256', // W = 256 is the full tile, written without .p
    '0/000.p/07', // leading zero in W
    '0/000.p/',
    'entries/000.p/1000',
    '0/../000',
    '../0/000',
    '0/000/',
    '000',
    '',
    'data/000',
  ];
  for (const p of bad)
    assert.throws(
      () => parseStandardTilePath(p),
      (e: unknown) => e instanceof RecordError && e.code === 'invalid',
      p,
    );
  // An index beyond any safe integer is well formed: it names a tile beyond the tree.
  assert.equal(parseStandardTilePath('0/x999/x999/x999/x999/x999/999').index, Number.POSITIVE_INFINITY);
});

test('widths follow the spec: a tree of 70,000 has 273 full level-0 tiles, one of 112, one full and one of 17 at level 1, one of 1 at level 2', () => {
  const size = 70_000;
  assert.equal(standardTileWidth(size, 0, 272), 256);
  assert.equal(standardTileWidth(size, 0, 273), 112);
  assert.equal(standardTileWidth(size, 0, 274), 0);
  assert.equal(standardTileWidth(size, 1, 0), 256);
  assert.equal(standardTileWidth(size, 1, 1), 17);
  assert.equal(standardTileWidth(size, 2, 0), 1);
  assert.equal(standardTileWidth(size, 3, 0), 0);
  // "a tree of size 256 will be represented by a full level 0 tile and a partial level 1 tile of width 1"
  assert.equal(standardTileWidth(256, 0, 0), 256);
  assert.equal(standardTileWidth(256, 0, 1), 0);
  assert.equal(standardTileWidth(256, 1, 0), 1);
  assert.equal(standardTileWidth(255, 1, 0), 0);
  assert.equal(standardTileWidth(size, 0, Number.POSITIVE_INFINITY), 0);
});

test('a bundle is each entry after its big-endian uint16 length; longer entries are refused', () => {
  const a = new Uint8Array([7, 8, 9]);
  const b = new Uint8Array(300).fill(1);
  const bundle = encodeEntryBundle([a, b]);
  assert.deepEqual([...bundle.subarray(0, 5)], [0, 3, 7, 8, 9]);
  assert.deepEqual([...bundle.subarray(5, 7)], [1, 44]);
  assert.equal(bundle.length, 2 + 3 + 2 + 300);
  assert.equal(encodeEntryBundle([new Uint8Array(0xffff)]).length, 0x10001);
  assert.throws(
    () => encodeEntryBundle([a, new Uint8Array(0x10000)], 512),
    (e: unknown) => e instanceof RecordError && e.code === 'too-large' && e.index === 513,
  );
});
