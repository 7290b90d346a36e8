import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { canonicalJson } from './canonical.ts';
import { hasLoneSurrogate } from './encoding.ts';
import { isCanonicalText } from './canonical-text.ts';

/** The definition isCanonicalText must agree with: the text is what serialising its value gives. */
function reference(text: string): boolean {
  try {
    return canonicalJson(JSON.parse(text)) === text;
  } catch {
    return false; // not I-JSON (a lone surrogate, a number out of range, too deep)
  }
}

function agrees(text: string): void {
  // The contract: any text decoded from UTF-8 (so no unpaired surrogate), JSON or not.
  assert.ok(!hasLoneSurrogate(text));
  assert.equal(isCanonicalText(text), reference(text), `isCanonicalText(${JSON.stringify(text)})`);
}

test('canonical texts of random JSON values are recognised', () => {
  fc.assert(
    fc.property(fc.jsonValue({ maxDepth: 5, stringUnit: 'binary' }), (v) => {
      let text: string;
      try {
        text = canonicalJson(v);
      } catch {
        return; // -0 and the like are fine; a value with no canonical form is not the point here
      }
      assert.ok(isCanonicalText(text), text);
    }),
    { numRuns: 2000 },
  );
});

// Near-canonical texts: a canonical text with one small edit, each of a kind that makes
// some texts non-canonical and leaves others canonical (an escape of a character that
// needs none, a space, a re-spelt number, a reordered or repeated key).
const EDITS = [
  ' ',
  '\n',
  '\\u0041',
  '\\u001f',
  '\\u001F',
  '\\u0008',
  '\\b',
  '\\/',
  '\\ud800',
  '\\u00e9',
  '0',
  '.0',
  '.5',
  'e1',
  'E+2',
  '-',
  '"a":1,',
  '"a":1',
  ',"z":0',
  '{"b":1,"a":2}',
  '"\\u0061":3,',
];

test('near-canonical texts: the one-pass reading agrees with serialising again', () => {
  fc.assert(
    fc.property(fc.jsonValue({ maxDepth: 4, stringUnit: 'binary' }), fc.nat(), fc.constantFrom(...EDITS), fc.boolean(), (v, at, edit, cut) => {
      let text: string;
      try {
        text = canonicalJson(v);
      } catch {
        return;
      }
      const i = at % (text.length + 1);
      const edited = text.slice(0, i) + edit + text.slice(cut ? i + 1 : i);
      if (hasLoneSurrogate(edited)) return; // an edit inside a surrogate pair: not text UTF-8 decodes to
      agrees(edited);
    }),
    { numRuns: 20000 },
  );
});

// Texts that are not JSON, each near some that are: entry-scan.ts reads an entry by its
// fields' places once this says it is canonical, so a "true" here must mean JSON too.
const BREAKS = [
  '',
  '{',
  '}',
  '[',
  ']',
  '"',
  ':',
  ',',
  '-',
  '.',
  'e',
  '0',
  't',
  'tru',
  'nul',
  'fals',
  'x',
  '\\',
  '\n',
  '\u0000',
  '\u001f',
  '1]',
  '{"a"',
  '"a":',
  ':1',
];

test('texts that are not JSON: never canonical', () => {
  fc.assert(
    fc.property(fc.jsonValue({ maxDepth: 4, stringUnit: 'binary' }), fc.nat(), fc.constantFrom(...BREAKS), fc.nat({ max: 3 }), (v, at, edit, cut) => {
      let text: string;
      try {
        text = canonicalJson(v);
      } catch {
        return;
      }
      const i = at % (text.length + 1);
      const edited = text.slice(0, i) + edit + text.slice(i + cut);
      if (hasLoneSurrogate(edited)) return;
      agrees(edited);
    }),
    { numRuns: 30000 },
  );
  // Short texts over JSON's own characters, most of them not JSON.
  const chars = fc.constantFrom(...'{}[]":,-.0123456789eE+truefalsn\\ab');
  fc.assert(
    fc.property(fc.string({ unit: chars, maxLength: 12 }), (t) => agrees(t)),
    { numRuns: 30000 },
  );
  for (const t of [
    '',
    '-',
    '-.5',
    '.5',
    '-,',
    '[-]',
    '{"a"1}',
    '{"a":}',
    '{,"a":1}',
    '[1,]',
    '[,1]',
    '{"a":1,}',
    '[1 2]',
    '{"a":1"b":2}',
    '{"a":1]',
    '[1}',
    '}',
    ']',
    '1 ',
    '"a\nb"',
    '"a\u0000"',
    'tru',
    'trux',
    'nulL',
    '[true,nul]',
    '{"a":t}',
    '1 2',
    '[]]',
    '{}{}',
    '{"a"::1}',
    '{"a":1:2}',
    '{1:2}',
    '["a":1]',
  ]) {
    assert.equal(isCanonicalText(t), false, t);
  }
});

test('texts written by JSON.stringify in insertion order, indented or not', () => {
  fc.assert(
    fc.property(
      fc.dictionary(fc.string({ unit: 'binary', maxLength: 4 }), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 6 }),
      fc.constantFrom(0, 1, 2),
      (o, indent) => {
        agrees(JSON.stringify(o, null, indent));
      },
    ),
    { numRuns: 3000 },
  );
});

test('numbers as people write them: short and long decimals, zeros, exponents', () => {
  fc.assert(
    fc.property(fc.stringMatching(/^-?(0|[1-9][0-9]{0,17})(\.[0-9]{1,20})?([eE][+-]?[0-9]{1,3})?$/), (n) => {
      agrees(n);
      agrees(`[${n},{"a":${n}}]`);
    }),
    { numRuns: 20000 },
  );
  for (const n of ['0.000001', '0.0000001', '0.0000010', '123456789012.345', '1234567890123.456', '0.1000', '35.8123', '-0.5', '9007199254740993.5']) agrees(n);
});

test('the cases that decide it, each way', () => {
  const canonical = [
    '{}',
    '[]',
    '0',
    '-1',
    '123456789012345',
    '1234567890123456',
    '1e+21',
    '1.5e-7',
    '0.1',
    '-0.5',
    '"\\u001f\\b\\t\\n\\f\\r\\"\\\\"',
    '"é€😀/"',
    '{"":1,"a":[true,false,null],"b":{"\\n":1,"a":2}}',
    // Keys sort by UTF-16 code units: U+E000 after the surrogate pair of U+1F600.
    '{"😀":1,"\ue000":2}',
    '{"\\u0001":1,"\\u0002":2}',
  ];
  const not = [
    '-0',
    '1.0',
    '1E3',
    '1e3',
    '10.0',
    '12345678901234567890',
    '1e400',
    '"\\u0041"',
    '"\\u001F"',
    '"\\u0008"',
    '"\\/"',
    '"\\ud800"',
    '"\\ud83d\\ude00"',
    '{"b":1,"a":2}',
    '{"a":1,"a":1}',
    '{"a":1, "b":2}',
    ' {}',
    '{"\ue000":2,"😀":1}',
    '{"\\u0061":1}',
  ];
  for (const t of canonical) {
    assert.equal(isCanonicalText(t), true, t);
    assert.equal(reference(t), true, `reference: ${t}`);
  }
  for (const t of not) {
    assert.equal(isCanonicalText(t), false, t);
    assert.equal(reference(t), false, `reference: ${t}`);
  }
});

test('nesting: 64 levels are canonical, 65 are not (as canonicalJson)', () => {
  const deep = (n: number) => '['.repeat(n) + ']'.repeat(n);
  for (const n of [63, 64, 65, 66]) agrees(deep(n));
  assert.equal(isCanonicalText(deep(64)), true);
  assert.equal(isCanonicalText(deep(65)), false);
});
