import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatCheckpoint, openCheckpoint, parseCheckpoint, signCheckpoint } from './checkpoint.ts';
import { RecordError } from './errors.ts';
import { generateKey, parseSignerKey } from './keys.ts';
import { EMPTY_ROOT, leafHash } from './merkle.ts';

const origin = 'detente/test/southern-syria';
const signer = parseSignerKey(generateKey(origin).skey);
const root = leafHash(new Uint8Array([1, 2, 3]));

test('format, sign, open', () => {
  const text = formatCheckpoint({ origin, size: 7, root, extensions: [] });
  assert.equal(text, `${origin}\n7\n${Buffer.from(root).toString('base64')}\n`);
  const note = signCheckpoint({ origin, size: 7, root, extensions: ['x-ext value'] }, signer);
  assert.match(note, /^detente\/test\/southern-syria\n7\n[A-Za-z0-9+/]{43}=\nx-ext value\n\n— detente\/test\/southern-syria [A-Za-z0-9+/]+=*\n$/);
  const cp = openCheckpoint(note, signer.verifier.vkey, origin);
  assert.equal(cp.size, 7);
  assert.deepEqual([...cp.root], [...root]);
  assert.deepEqual(cp.extensions, ['x-ext value']);
  assert.throws(() => openCheckpoint(note, signer.verifier.vkey, 'detente/test/other'), /origin is "detente\/test\/southern-syria"/);
  const other = parseSignerKey(generateKey(origin).skey);
  assert.throws(() => openCheckpoint(note, other.verifier.vkey), /no signature by a known key/);
});

test('the empty tree has a checkpoint too', () => {
  const cp = parseCheckpoint(formatCheckpoint({ origin, size: 0, root: EMPTY_ROOT, extensions: [] }));
  assert.equal(cp.size, 0);
});

test('malformed checkpoint bodies are rejected with the reason', () => {
  const r = Buffer.from(root).toString('base64');
  const cases: Array<[string, RegExp]> = [
    [`${origin}\n7\n${r}`, /end with a newline/],
    [`${origin}\n7\n`, /needs origin, size and root/],
    [`\n7\n${r}\n`, /empty origin/],
    [`${origin}\n07\n${r}\n`, /leading zeros/],
    [`${origin}\n-1\n${r}\n`, /not a decimal/],
    [`${origin}\n18446744073709551615\n${r}\n`, /too large/],
    [`${origin}\n7\n${r.slice(0, -1)}\n`, /not canonical base64/],
    [`${origin}\n7\n${Buffer.alloc(31).toString('base64')}\n`, /31 bytes/],
    [`${origin}\n7\n${r}\n\n`, /extension line 1 is empty/],
  ];
  for (const [text, why] of cases) {
    assert.throws(
      () => parseCheckpoint(text),
      (e: unknown) => e instanceof RecordError && why.test(e.message),
      JSON.stringify(text),
    );
  }
  assert.throws(() => formatCheckpoint({ origin: 'a\nb', size: 1, root, extensions: [] }), /origin/);
  assert.throws(() => formatCheckpoint({ origin, size: 1.5, root, extensions: [] }), /size/);
});
