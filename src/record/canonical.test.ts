import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { canonicalJson } from './canonical.ts';
import { RecordError } from './errors.ts';

// RFC 8785 §3.2.2: the whole transformation on its sample input.
test('RFC 8785 sample: values, strings and literals', () => {
  const input = JSON.parse(
    '{"numbers": [333333333.33333329, 1E30, 4.50, 2e-3, 0.000000000000000000000000001],' +
      ' "string": "\\u20ac$\\u000F\\u000aA\'\\u0042\\u0022\\u005c\\\\\\"\\/", "literals": [null, true, false]}',
  );
  assert.equal(
    canonicalJson(input),
    '{"literals":[null,true,false],"numbers":[333333333.3333333,1e+30,4.5,0.002,1e-27],"string":"€$\\u000f\\nA\'B\\"\\\\\\\\\\"/"}',
  );
});

// RFC 8785 §3.2.3: properties sorted by UTF-16 code units.
test('RFC 8785 sorting example', () => {
  const input = {
    '\u20ac': 'Euro Sign',
    '\r': 'Carriage Return',
    '\ufb33': 'Hebrew Letter Dalet With Dagesh',
    '1': 'One',
    '\ud83d\ude00': 'Emoji: Grinning Face',
    '\u0080': 'Control',
    '\u00f6': 'Latin Small Letter O With Diaeresis',
  };
  assert.equal(
    canonicalJson(input),
    '{"\\r":"Carriage Return","1":"One","\u0080":"Control","\u00f6":"Latin Small Letter O With Diaeresis","\u20ac":"Euro Sign","\ud83d\ude00":"Emoji: Grinning Face","\ufb33":"Hebrew Letter Dalet With Dagesh"}',
  );
});

// RFC 8785 Appendix B: IEEE 754 doubles and their canonical spelling.
const APPENDIX_B: Array<[string, string]> = [
  ['0000000000000000', '0'],
  ['8000000000000000', '0'],
  ['0000000000000001', '5e-324'],
  ['8000000000000001', '-5e-324'],
  ['7fefffffffffffff', '1.7976931348623157e+308'],
  ['ffefffffffffffff', '-1.7976931348623157e+308'],
  ['4340000000000000', '9007199254740992'],
  ['c340000000000000', '-9007199254740992'],
  ['4430000000000000', '295147905179352830000'],
  ['44b52d02c7e14af5', '9.999999999999997e+22'],
  ['44b52d02c7e14af6', '1e+23'],
  ['44b52d02c7e14af7', '1.0000000000000001e+23'],
  ['444b1ae4d6e2ef4e', '999999999999999700000'],
  ['444b1ae4d6e2ef4f', '999999999999999900000'],
  ['444b1ae4d6e2ef50', '1e+21'],
  ['3eb0c6f7a0b5ed8c', '9.999999999999997e-7'],
  ['3eb0c6f7a0b5ed8d', '0.000001'],
  ['41b3de4355555553', '333333333.3333332'],
  ['41b3de4355555554', '333333333.33333325'],
  ['41b3de4355555555', '333333333.3333333'],
  ['41b3de4355555556', '333333333.3333334'],
  ['41b3de4355555557', '333333333.33333343'],
  ['becbf647612f3696', '-0.0000033333333333333333'],
  ['43143ff3c1cb0959', '1424953923781206.2'],
];

test('RFC 8785 Appendix B: number serialisation', () => {
  for (const [bits, expected] of APPENDIX_B) {
    const value = Buffer.from(bits, 'hex').readDoubleBE(0);
    assert.equal(canonicalJson(value), expected, bits);
    assert.equal(canonicalJson([value]), `[${expected}]`, bits);
  }
});

test('values JSON cannot carry are rejected, naming where', () => {
  const bad: Array<[unknown, RegExp]> = [
    [{ a: Number.NaN }, /\$\.a: NaN/],
    [{ a: [1, Number.POSITIVE_INFINITY] }, /\$\.a\[1\]: Infinity/],
    [{ a: undefined }, /\$\.a: a undefined is not JSON/],
    [{ a: 1n }, /bigint is not JSON/],
    [{ d: new Date(0) }, /\$\.d: Date is not a plain JSON object/],
    [{ s: 'x\ud800y' }, /unpaired surrogate/],
    [{ '\udc00': 1 }, /key holds an unpaired surrogate/],
  ];
  for (const [value, message] of bad) {
    assert.throws(
      () => canonicalJson(value),
      (e: unknown) => e instanceof RecordError && e.code === 'invalid' && message.test(e.message),
    );
  }
  let deep: unknown = 1;
  for (let i = 0; i < 100; i++) deep = [deep];
  assert.throws(() => canonicalJson(deep), /nested deeper/);
});

test('surrogate pairs and null-prototype objects are fine', () => {
  assert.equal(canonicalJson({ e: '😀' }), '{"e":"😀"}');
  const o = Object.create(null) as Record<string, number>;
  o.b = 1;
  o.a = 2;
  assert.equal(canonicalJson(o), '{"a":2,"b":1}');
});

test('agrees with the canonicalize package (an independent RFC 8785 implementation) on random JSON', async () => {
  const { default: fc } = await import('fast-check');
  const reference = createRequire(import.meta.url)('canonicalize') as (v: unknown) => string;
  fc.assert(
    fc.property(fc.jsonValue({ maxDepth: 5 }), fc.dictionary(fc.string({ unit: 'grapheme' }), fc.double({ noNaN: true, noDefaultInfinity: true })), (v, d) => {
      assert.equal(canonicalJson(v), reference(v));
      assert.equal(canonicalJson(d), reference(d));
    }),
    { numRuns: 2000 },
  );
});
