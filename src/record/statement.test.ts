import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { canonicalJson, type Json } from './canonical.ts';
import { RecordError } from './errors.ts';
import { generateKey, parseSignerKey } from './keys.ts';
import { buildEntry, isSignatureText, makeEntry, MAX_ENTRY_BYTES, parseEntry, signStatement, verifyEntry, verifyStatement } from './statement.ts';

const il = parseSignerKey(generateKey('il').skey);
const sy = parseSignerKey(generateKey('sy').skey);
const input = { type: 'talks.submission', arrangement: 'southern-syria', body: { text: 'a position', issue: 'i-1' }, time: '2025-06-01T10:00:00Z' };
const received = '2025-06-01T10:00:01.250Z';
const text = (b: Uint8Array) => Buffer.from(b).toString('utf8');
const bytes = (s: string) => new Uint8Array(Buffer.from(s, 'utf8'));
const L = 2n ** 252n + 27742317777372353535851937790883648493n;

test('an entry is the canonical JSON of statement, sig, key, received', () => {
  const entry = buildEntry(il, input, received);
  const parsed = JSON.parse(text(entry));
  assert.equal(text(entry), canonicalJson(parsed));
  assert.deepEqual(Object.keys(parsed), ['key', 'received', 'sig', 'statement']);
  assert.deepEqual(parsed.statement, {
    arrangement: 'southern-syria',
    author: 'il',
    body: { issue: 'i-1', text: 'a position' },
    time: '2025-06-01T10:00:00Z',
    type: 'talks.submission',
    v: 1,
  });
  assert.equal(parsed.key, il.verifier.vkey);
  assert.equal(parsed.received, received);
  const e = verifyEntry(entry);
  assert.equal(e.statement.author, 'il');
});

test('the signature covers the statement, not the server’s received time', () => {
  const signed = signStatement(il, input);
  assert.doesNotThrow(() => verifyEntry(makeEntry(signed, '2030-01-01T00:00:00Z')));
  const changed = { ...signed, statement: { ...signed.statement, body: { text: 'another position' } } };
  assert.throws(
    () => verifyStatement(changed),
    (e: unknown) => e instanceof RecordError && e.code === 'bad-signature' && /does not verify under il's key/.test(e.message),
  );
});

test('non-canonical signatures are rejected even though they encode the same equation', () => {
  const signed = signStatement(il, input);
  const sig = Buffer.from(signed.sig, 'base64');
  let s = 0n;
  for (let i = 63; i >= 32; i--) s = (s << 8n) | BigInt(sig[i]);
  s += L;
  for (let i = 32; i < 64; i++, s >>= 8n) sig[i] = Number(s & 255n);
  assert.throws(() => verifyStatement({ ...signed, sig: sig.toString('base64') }), /S >= L/);
});

test('a key must be named after the author', () => {
  const signed = signStatement(il, input);
  assert.throws(() => makeEntry({ ...signed, key: sy.verifier.vkey }), /key is named "sy", not after the author "il"/);
  assert.throws(() => verifyStatement({ ...signed, key: sy.verifier.vkey }), /named "sy"/);
});

test('parseEntry rejects what is not a well-formed canonical entry, saying where', () => {
  const good = text(buildEntry(il, input, received));
  const obj = JSON.parse(good);
  const cases: Array<[string, RegExp]> = [
    [good.replace('{"key"', '{ "key"'), /not in canonical/],
    [JSON.stringify({ statement: obj.statement, sig: obj.sig, key: obj.key, received: obj.received }), /not in canonical/],
    [good.slice(0, -1), /not JSON/],
    [canonicalJson({ ...obj, extra: 1 }), /entry: unknown field "extra"/],
    [canonicalJson({ ...obj, received: 'yesterday' }), /entry\.received: must be an RFC 3339/],
    [canonicalJson({ ...obj, statement: { ...obj.statement, v: 2 } }), /statement\.v: must be 1/],
    [canonicalJson({ ...obj, statement: { ...obj.statement, body: [] } }), /statement\.body: must be a JSON object/],
    [canonicalJson({ ...obj, statement: { ...obj.statement, time: '2025-13-01T00:00:00Z' } }), /statement\.time/],
    [canonicalJson({ ...obj, statement: { ...obj.statement, time: '2025-02-29T00:00:00Z' } }), /statement\.time/],
    [canonicalJson({ ...obj, statement: { ...obj.statement, time: '2025-06-01T24:00:00Z' } }), /statement\.time/],
    [canonicalJson({ ...obj, statement: { ...obj.statement, time: '2025-06-01 10:00:00Z' } }), /statement\.time/],
    [canonicalJson({ ...obj, statement: { ...obj.statement, author: 'a b' } }), /cannot name a key/],
    [canonicalJson({ ...obj, sig: 'AAAA' }), /sig: must be the base64 of a 64-byte signature/],
    [good.replace('"v":1}', '"v":1.0}'), /not in canonical/],
    [good.replace('"v":1}', '"v":1,"v":1}'), /not in canonical/],
  ];
  for (const [t, why] of cases)
    assert.throws(
      () => parseEntry(bytes(t)),
      (e: unknown) => e instanceof RecordError && why.test(e.message),
      t,
    );
  assert.throws(() => parseEntry(new Uint8Array([0x7b, 0xff, 0x7d])), /not valid UTF-8/);
});

test('escaped lone surrogates are refused; a literal backslash-u is text', () => {
  const good = text(buildEntry(il, { ...input, body: { text: 'C:\\ud800' } }, received)); // a backslash, then "ud800"
  assert.ok(good.includes('"C:\\\\ud800"'));
  assert.doesNotThrow(() => parseEntry(bytes(good)));
  const lone = good.replace('"C:\\\\ud800"', '"C:\\ud800"'); // now the JSON escape of a lone surrogate
  assert.throws(() => parseEntry(bytes(lone)), /unpaired surrogate/);
});

test('entries are at most 65,535 bytes (the uint16 length of a tlog-tiles bundle): 65,535 accepted, 65,536 refused saying so', () => {
  assert.equal(MAX_ENTRY_BYTES, 65_535);
  // Padding is ASCII, so each character is one byte of the entry.
  const padded = (n: number) => ({ ...input, body: { text: 'x'.repeat(n) } });
  const overhead = buildEntry(il, padded(0), received).length;
  const fits = buildEntry(il, padded(MAX_ENTRY_BYTES - overhead), received);
  assert.equal(fits.length, 65_535);
  assert.equal(verifyEntry(fits).statement.author, 'il');
  const tooLarge = (e: unknown) => e instanceof RecordError && e.code === 'too-large' && /65536 bytes; the limit is 65535/.test(e.message);
  assert.throws(() => buildEntry(il, padded(MAX_ENTRY_BYTES - overhead + 1), received), tooLarge);
  // The same bytes with one more character, as a client might post them.
  const over = bytes(text(fits).replace('"text":"', '"text":"x'));
  assert.equal(over.length, 65_536);
  assert.throws(() => parseEntry(over), tooLarge);
  assert.throws(() => verifyEntry(over), tooLarge);
});

test('a statement the server signed for its author says so: custodial is true or absent', () => {
  const entry = buildEntry(il, input, received, true);
  const parsed = JSON.parse(text(entry));
  assert.deepEqual(Object.keys(parsed), ['custodial', 'key', 'received', 'sig', 'statement']);
  assert.equal(verifyEntry(entry).custodial, true);
  assert.equal(verifyEntry(buildEntry(il, input, received)).custodial, undefined);
  const falsy = canonicalJson({ ...parsed, custodial: false });
  assert.throws(
    () => parseEntry(bytes(falsy)),
    (e: RecordError) => /entry.custodial/.test(e.message),
  );
  const other = canonicalJson({ ...parsed, custody: true });
  assert.throws(
    () => parseEntry(bytes(other)),
    (e: RecordError) => /unknown field "custody"/.test(e.message),
  );
});

test('an entry assembled around a given body text is byte for byte the canonical entry', () => {
  const body = fc.dictionary(fc.string(), fc.jsonValue({ maxDepth: 3 }), { maxKeys: 6 });
  fc.assert(
    fc.property(body, fc.string({ minLength: 1 }), fc.boolean(), (b, type, custodial) => {
      const value = JSON.parse(JSON.stringify(b)) as Record<string, Json>; // plain JSON, as a request body is
      let direct: Uint8Array;
      try {
        direct = buildEntry(il, { type, arrangement: 'southern-syria', body: value, time: input.time }, received, custodial);
      } catch {
        return; // not I-JSON (a lone surrogate): refused either way
      }
      const assembled = buildEntry(
        il,
        { type, arrangement: 'southern-syria', body: value, bodyText: canonicalJson(value), time: input.time },
        received,
        custodial,
      );
      assert.equal(text(assembled), text(direct));
      assert.equal(text(assembled), canonicalJson(JSON.parse(text(assembled))));
      verifyEntry(assembled);
    }),
    { numRuns: 300 },
  );
});

test('isSignatureText: exactly the canonical base64 of 64 bytes', () => {
  // The definition, written the other way: 85 characters of the alphabet, one whose low
  // 4 bits are zero (64 bytes end 4 bits into a character), and the padding.
  const reference = /^[A-Za-z0-9+/]{85}[AQgw]==$/;
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=-_ .\n\u00e9';
  fc.assert(
    fc.property(fc.uint8Array({ minLength: 64, maxLength: 64 }), fc.nat(), fc.constantFrom(...alphabet), fc.nat({ max: 2 }), (bytes, at, c, cut) => {
      const text = Buffer.from(bytes).toString('base64');
      assert.equal(isSignatureText(text), true);
      const i = at % (text.length + 1);
      const edited = text.slice(0, i) + c + text.slice(i + cut);
      assert.equal(isSignatureText(edited), reference.test(edited), edited);
    }),
    { numRuns: 20000 },
  );
  for (const t of ['', '==', `${'A'.repeat(86)}==`, `${'A'.repeat(85)}B==`, `${'A'.repeat(88)}`, `${'A'.repeat(86)}=`, `${'-'.repeat(86)}==`])
    assert.equal(isSignatureText(t), reference.test(t), t);
});
