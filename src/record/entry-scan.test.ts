import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { canonicalJson, type JsonObject } from './canonical.ts';
import { scanEntry } from './entry-scan.ts';
import { generateKey, parseSignerKey } from './keys.ts';
import { buildEntry, type Entry, parseEntry } from './statement.ts';

// One name outside ASCII: the statement then begins at a byte that is not its character's index.
const signers = ['il', 'sy', 'délégation-ru'].map((name) => parseSignerKey(generateKey(name).skey));

/** parseEntry's answer, or undefined where it throws. */
function parsed(bytes: Uint8Array): Entry | undefined {
  try {
    return parseEntry(bytes);
  } catch {
    return undefined;
  }
}

/** The contract: whatever scanEntry answers, parseEntry accepts the entry and reads the same fields. */
function agrees(bytes: Uint8Array): boolean {
  const scanned = scanEntry(bytes);
  if (scanned === undefined) return false;
  const entry = parsed(bytes);
  assert.ok(entry, `scanEntry read an entry parseEntry refuses: ${Buffer.from(bytes).toString()}`);
  const { body, ...statement } = entry.statement;
  assert.deepEqual(
    { key: scanned.key, received: scanned.received, sig: scanned.sig, statement: scanned.statement },
    { key: entry.key, received: entry.received, sig: entry.sig, statement },
  );
  assert.equal(scanned.bodyText, canonicalJson(body));
  // What the author signed: the statement's canonical bytes, found where the scan says.
  assert.equal(Buffer.from(bytes.subarray(scanned.statementAt, bytes.length - 1)).toString(), canonicalJson(entry.statement));
  assert.equal(entry.custodial, undefined);
  assert.equal(entry.endorsements, undefined);
  return true;
}

const plain = fc.stringMatching(/^[a-z][a-z0-9-]{0,11}$/);
const bodies = fc.dictionary(fc.string({ unit: 'binary', maxLength: 6 }), fc.jsonValue({ maxDepth: 3, stringUnit: 'binary' }), { maxKeys: 5 });

test('ordinary entries are read by their fields’ places, as parseEntry reads them', () => {
  fc.assert(
    fc.property(
      fc.nat({ max: 2 }),
      plain,
      plain,
      bodies,
      fc.date({ min: new Date(0), max: new Date(4e12), noInvalidDate: true }),
      (k, type, arrangement, body, received) => {
        let bytes: Uint8Array;
        try {
          bytes = buildEntry(signers[k], { type, arrangement, body: body as JsonObject }, received);
        } catch {
          return; // a body with no canonical form (-0 and the like)
        }
        assert.ok(agrees(bytes), `an ordinary entry was not read: ${Buffer.from(bytes).toString()}`);
      },
    ),
    { numRuns: 3000 },
  );
});

test('escapes in the envelope, custodial entries: left to parseEntry', () => {
  const odd = buildEntry(signers[0], { type: 'a"b', arrangement: 'x', body: {} });
  assert.equal(scanEntry(odd), undefined);
  assert.ok(parsed(odd));
  const custodial = buildEntry(signers[0], { type: 'report', arrangement: 'x', body: {} }, undefined, true);
  assert.equal(scanEntry(custodial), undefined);
  assert.ok(parsed(custodial));
});

test('edited entries: read only where parseEntry reads them too, and the same', () => {
  const base = buildEntry(signers[1], {
    type: 'report',
    arrangement: 'southern-syria',
    body: { id: 'f-1', position: [35.8123, 33.0541], holdings: { troops: 4 }, note: 'a "b" \\ c', ok: true, none: null },
  });
  const text = Buffer.from(base).toString();
  const pieces = [
    '',
    '"',
    '{',
    '}',
    '[',
    ']',
    ',',
    ':',
    '1',
    '-',
    't',
    'x',
    ' ',
    '\\',
    '"v":1',
    '"z":0,',
    '"time":"2026-01-01T00:00:00Z",',
    ',"time":"',
    '}}',
    '\n',
  ];
  let read = 0;
  fc.assert(
    fc.property(fc.nat(), fc.constantFrom(...pieces), fc.nat({ max: 4 }), (at, piece, cut) => {
      const i = at % (text.length + 1);
      if (agrees(Buffer.from(text.slice(0, i) + piece + text.slice(i + cut)))) read++;
    }),
    { numRuns: 20000 },
  );
  assert.ok(read > 0, 'no edit left an entry scanEntry reads (the unedited piece at least should be)');
});

test('wrong fields are refused as parseEntry refuses them', () => {
  const base = Buffer.from(buildEntry(signers[1], { type: 'report', arrangement: 'a', body: {} })).toString();
  const bad = [
    base.replace('"author":"sy"', '"author":"il"'), // the key is not named after the author
    base.replace(/"time":"[^"]*"/, '"time":"yesterday"'),
    base.replace(/"received":"[^"]*"/, '"received":"2026-13-01T00:00:00Z"'),
    base.replace(/"sig":"[^"]*"/, '"sig":"AAAA"'),
    base.replace('"v":1', '"v":2'),
    base.replace('"type":"report"', '"type":""'),
    base.replace('"arrangement":"a"', '"arrangement":""'),
    base.replace('"body":{}', '"body":[]'),
    base.replace('"body":{}', '"body":{},"extra":1'),
    base.replace('"body":{}', '"body":{"a":tru}'),
  ];
  for (const t of bad) {
    assert.equal(scanEntry(Buffer.from(t)), undefined, t);
    assert.equal(parsed(Buffer.from(t)), undefined, t);
  }
});
