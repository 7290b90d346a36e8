import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { generateKey, parseSignerKey } from '../record/keys.ts';
import { KeyBook } from '../record/key-book.ts';
import { statementId } from '../record/log.ts';
import { leafHash } from '../record/merkle.ts';
import { buildEntry, factsOf, parseEntry } from '../record/statement.ts';
import { EntryCheckPool } from './entry-check-pool.ts';
import { verifyEntries } from './verify-entries.ts';

const pool = new EntryCheckPool(2);
after(() => pool.close());
const il = parseSignerKey(generateKey('il').skey);
const sy = parseSignerKey(generateKey('sy').skey);
const entries = Array.from({ length: 40 }, (_, i) =>
  buildEntry(i % 2 ? sy : il, { type: 'report', arrangement: 'southern-syria', body: { seq: i }, time: new Date(1e12 + i * 1000).toISOString() }),
);
const text = (b: Uint8Array) => Buffer.from(b).toString('utf8');
const bytes = (s: string) => new Uint8Array(Buffer.from(s));

function legacyBook(): KeyBook {
  const b = new KeyBook([]);
  b.beginLegacy();
  return b;
}

test('good entries verify, with their leaves and facts', async () => {
  const { ok, failure } = await verifyEntries(pool, legacyBook(), 1, entries);
  assert.equal(failure, undefined);
  assert.equal(ok.entries.length, entries.length);
  assert.deepEqual(
    ok.authors,
    entries.map((e) => parseEntry(e).statement.author),
  );
  // Hashed and identified on the workers, exactly as the main thread would.
  assert.deepEqual(
    ok.leaves.map((l) => Buffer.from(l).toString('hex')),
    entries.map((e) => Buffer.from(leafHash(e)).toString('hex')),
  );
  assert.deepEqual(
    ok.ids.map((l) => Buffer.from(l).toString('hex')),
    entries.map((e) => Buffer.from(statementId(factsOf(parseEntry(e)))).toString('hex')),
  );
});

test('a signature that does not verify stops at its index; what came before is kept', async () => {
  const list = [...entries];
  // entry 17's signature swapped for entry 15's (same author, canonical, wrong message)
  list[17] = bytes(text(list[17]).replace(parseEntry(list[17]).sig, parseEntry(list[15]).sig));
  const { ok, failure } = await verifyEntries(pool, legacyBook(), 100, list);
  assert.equal(failure?.kind, 'bad-signature');
  assert.equal(failure?.index, 117);
  assert.equal(ok.entries.length, 17);
});

test('an entry not in canonical form is a bad entry at its index', async () => {
  const list = [...entries];
  list[3] = bytes(text(list[3]).replace('{"key"', '{ "key"'));
  const { ok, failure } = await verifyEntries(pool, legacyBook(), 0, list);
  assert.equal(failure?.kind, 'bad-entry');
  assert.equal(failure?.index, 3);
  assert.match(failure?.detail ?? '', /canonical/);
  assert.equal(ok.entries.length, 3);
});

test('an author signing with a second key in a legacy record is refused by the key book', async () => {
  const other = parseSignerKey(generateKey('il').skey);
  const list = [
    ...entries.slice(0, 4),
    buildEntry(other, { type: 'report', arrangement: 'southern-syria', body: { seq: 99 }, time: new Date(2e12).toISOString() }),
  ];
  const { failure } = await verifyEntries(pool, legacyBook(), 0, list);
  assert.equal(failure?.kind, 'key-refused');
  assert.equal(failure?.index, 4);
});
