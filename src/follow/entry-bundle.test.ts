import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { encodeEntryBundle } from '../record/standard-tiles.ts';
import { BundleFormatError, decodeEntryBundle } from './entry-bundle.ts';

test('a bundle decodes to the entries it was encoded from', () => {
  fc.assert(
    fc.property(fc.array(fc.uint8Array({ maxLength: 600 }), { maxLength: 20 }), (entries) => {
      const back = decodeEntryBundle(encodeEntryBundle(entries));
      assert.deepEqual(
        back.map((e) => Buffer.from(e).toString('hex')),
        entries.map((e) => Buffer.from(e).toString('hex')),
      );
    }),
  );
});

test('a cut bundle is refused, saying where', () => {
  const b = encodeEntryBundle([new Uint8Array([1, 2, 3]), new Uint8Array([4, 5])]);
  assert.throws(() => decodeEntryBundle(b.subarray(0, b.length - 1)), BundleFormatError);
  assert.throws(() => decodeEntryBundle(b.subarray(0, 6)), /length prefix is cut off/);
});
