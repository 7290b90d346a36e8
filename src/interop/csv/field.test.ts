import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { parseRfc4180 } from '../../../test/helpers/rfc4180.ts';
import { csvField, csvLine } from './field.ts';

test('any text round-trips through a record and a strict RFC 4180 reader', () => {
  // Full Unicode, with the characters that need quoting made frequent.
  const cell = fc.oneof(fc.string({ unit: 'grapheme' }), fc.string({ unit: fc.constantFrom('"', ',', '\r', '\n', 'a', ' ', '=', '-', 'ש', 'ع') }));
  fc.assert(
    fc.property(fc.array(fc.array(cell, { minLength: 3, maxLength: 3 }), { minLength: 1, maxLength: 20 }), (rows) => {
      const text = rows.map((r) => csvLine(r)).join('');
      assert.deepEqual(parseRfc4180(text).records, rows);
    }),
    { numRuns: 500 },
  );
});

test('quotes only what needs it; numbers, flags and absent cells as they print', () => {
  assert.equal(csvField('plain text'), 'plain text');
  assert.equal(csvField('a,b'), '"a,b"');
  assert.equal(csvField('say "no"'), '"say ""no"""');
  assert.equal(csvField('two\r\nlines'), '"two\r\nlines"');
  assert.equal(csvField('cr\ronly'), '"cr\ronly"');
  assert.equal(csvField(-35.5), '-35.5');
  assert.equal(csvField(Number.NaN), '');
  assert.equal(csvField(true), 'true');
  assert.equal(csvField(undefined), '');
  assert.equal(csvField(null), '');
  assert.equal(csvLine(['a', undefined, 1]), 'a,,1\r\n');
});

test('the spreadsheet guard prefixes text that a spreadsheet would run as a formula, and nothing else', () => {
  const s = { spreadsheet: true };
  for (const v of ['=1+1', '+1', '-2', '@SUM(A1)', '\tx', '\rx']) assert.equal(csvField(v, s).replace(/^"|"$/g, '').startsWith("'"), true, JSON.stringify(v));
  assert.equal(csvField('=HYPERLINK("http://x")', s), '"\'=HYPERLINK(""http://x"")"');
  assert.equal(csvField('safe', s), 'safe');
  // Numbers are data: a negative longitude stays a number.
  assert.equal(csvField(-35.5, s), '-35.5');
  // Off by default: the data as it is.
  assert.equal(csvField('=1+1'), '=1+1');
});
