// The body budget is what an entry leaves for a body: a body of exactly the budget fits
// in one entry even with the longest envelope the server writes, so a body the server
// accepts never fails later at the record.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { newSigner } from '../../test/helpers/record-fixtures.ts';
import { MAX_BODY_BYTES } from './body-budget.ts';
import { buildEntry, MAX_ENTRY_BYTES } from './statement.ts';

// Ids are at most 64 characters (the talks' limit), and key names are actor ids.
const LONGEST_ID = 'a'.repeat(64);

test('a body of exactly the budget fits in an entry, with the longest ids, a key and a custodial receipt', () => {
  const pad = MAX_BODY_BYTES - JSON.stringify({ text: '' }).length;
  const body = { text: 'x'.repeat(pad) };
  assert.equal(JSON.stringify(body).length, MAX_BODY_BYTES);
  const bytes = buildEntry(
    newSigner(LONGEST_ID),
    { type: 'talks.issue.open', arrangement: LONGEST_ID, body, time: '2026-01-01T00:00:00.123Z' },
    new Date('2026-01-01T00:00:00.456Z'),
    true,
  );
  assert.ok(bytes.length <= MAX_ENTRY_BYTES, `${bytes.length} > ${MAX_ENTRY_BYTES}`);
});

test('the budget is below the entry limit: a body at the entry limit itself cannot fit', () => {
  assert.ok(MAX_BODY_BYTES < MAX_ENTRY_BYTES);
  const body = { text: 'x'.repeat(MAX_ENTRY_BYTES) };
  assert.throws(() => buildEntry(newSigner('il'), { type: 'report', arrangement: 'a', body, time: '2026-01-01T00:00:00Z' }), /too-large|limit/);
});
