import assert from 'node:assert/strict';
import { test } from 'node:test';
import { memoryDerivedStore } from '../../store/derived-memory.ts';
import type { SealedAt } from '../../store/derived.ts';
import { SealedIndex } from './sealed-index.ts';

const digest = (i: number) => i.toString(16).padStart(64, '0');

test('rows held before a write are found; a flush writes them all, each once, in one write', async () => {
  const store = memoryDerivedStore();
  const writes: SealedAt[][] = [];
  const put = store.putSealedAt;
  store.putSealedAt = (rows) => {
    writes.push([...rows]);
    put(rows);
  };
  const index = new SealedIndex(store);
  for (let e = 0; e < 50; e++) index.add([0, 1, 2].map((n) => ({ digest: digest(e * 3 + n), entry: e, n })));
  assert.deepEqual(index.at(digest(100)), { entry: 33, n: 1 }, 'a held row is found before it is written');
  await new Promise((r) => setImmediate(r));
  assert.equal(store.sealedAt(digest(100)), undefined, 'a few rows are not written a transaction per turn: they gather');
  index.flush();
  assert.equal(writes.length, 1);
  assert.equal(writes[0].length, 150);
  assert.deepEqual(store.sealedAt(digest(100)), { entry: 33, n: 1 });
  assert.deepEqual(index.at(digest(149)), { entry: 49, n: 2 });
  index.add([{ digest: digest(999), entry: 60, n: 0 }]);
  index.close();
  assert.deepEqual(store.sealedAt(digest(999)), { entry: 60, n: 0 }, 'closing writes what is held');
  assert.equal(writes.length, 2);
});

test('a large batch of rows is written at once, without waiting', () => {
  const store = memoryDerivedStore();
  const index = new SealedIndex(store);
  const rows = Array.from({ length: 70_000 }, (_, i) => ({ digest: digest(i), entry: i >> 4, n: i & 15 }));
  index.add(rows);
  assert.deepEqual(store.sealedAt(digest(69_999)), { entry: 4374, n: 15 });
  index.close();
});
