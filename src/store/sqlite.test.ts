import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { tempDir } from '../../test/helpers/record-fixtures.ts';
import { findLogDir, LayoutError, logDir } from './layout.ts';
import { MemoryStore } from './memory.ts';
import { SqliteStore } from './sqlite.ts';
import { batch, storeContract } from '../../test/helpers/store-contract.ts';

// The same contract, checked on every store (test/helpers/store-contract.ts).
storeContract('sqlite', (t) => new SqliteStore(tempDir(t)));
storeContract('memory', () => new MemoryStore());
// The contract again on 64 KiB pages, as a follower's mirror keeps them.
storeContract('sqlite, 64 KiB pages', (t) => new SqliteStore(tempDir(t), { pageSize: 65536 }));

test('sqlite: a page size holds for a log created with it; an existing log keeps its own', async (t) => {
  const dir = tempDir(t);
  const pageSize = (d: string) => new Database(join(d, 'log.db'), { readonly: true }).pragma('page_size', { simple: true });
  const big = new SqliteStore(dir, { pageSize: 65536 });
  await big.init({ origin: 'detente/t/a', logKey: 'k' });
  await big.append(batch(0, 200));
  await big.close();
  assert.equal(pageSize(dir), 65536);
  const again = new SqliteStore(dir, { pageSize: 4096 });
  assert.equal((await again.load()).size, 200);
  assert.equal((await again.readEntries(0, 200)).length, 200);
  await again.close();
  assert.equal(pageSize(dir), 65536);
  const plain = tempDir(t);
  const s = new SqliteStore(plain);
  await s.init({ origin: 'detente/t/a', logKey: 'k' });
  await s.close();
  assert.equal(pageSize(plain), 4096);
});

test('sqlite: a reader in read-only mode sees a consistent log while the writer appends', async (t) => {
  const dir = tempDir(t);
  const writer = new SqliteStore(dir);
  await writer.init({ origin: 'detente/t/a', logKey: 'k' });
  await writer.append(batch(0, 2));
  const reader = new SqliteStore(dir, { readonly: true });
  assert.equal((await reader.load()).size, 2);
  await writer.append(batch(2, 2));
  assert.equal((await reader.load()).size, 4);
  await assert.rejects(reader.append(batch(4, 1)), /read-only/);
  await reader.close();
  await writer.close();
  assert.equal(statSync(dir).mode & 0o777, 0o700);
});

test('layout: a data directory or a log directory', (t) => {
  const data = tempDir(t);
  assert.throws(() => findLogDir(join(data, 'nope')), LayoutError);
  assert.throws(() => findLogDir(data), /holds no log/);
  const a = logDir(data, 'southern-syria');
  mkdirSync(a, { recursive: true });
  writeFileSync(join(a, 'log.db'), '');
  assert.equal(findLogDir(data), a);
  assert.equal(findLogDir(a), a);
  const b = logDir(data, 'sinai-1979');
  mkdirSync(b, { recursive: true });
  writeFileSync(join(b, 'log.db'), '');
  assert.throws(() => findLogDir(data), /several arrangements \(sinai-1979, southern-syria\); choose one with --arrangement/);
  assert.equal(findLogDir(data, 'sinai-1979'), b);
  assert.throws(() => findLogDir(data, 'golan'), /no log for arrangement "golan"/);
});

test('sqlite: an append is written off the main thread, which goes on turning while the disk syncs', async (t) => {
  const dir = tempDir(t);
  const store = new SqliteStore(dir);
  await store.init({ origin: 'detente/t/a', logKey: 'k' });
  for (const [first, n] of [
    [0, 1],
    [1, 50],
  ]) {
    const appended = store.append(batch(first, n)).then(() => 'appended');
    const turned = new Promise((r) => setImmediate(() => r('turned')));
    assert.equal(await Promise.race([appended, turned]), 'turned', 'the event loop turns before the batch is durable');
    assert.equal(await appended, 'appended');
  }
  assert.equal((await store.load()).size, 51, 'what the thread wrote, this thread reads');
  await store.close();
  const again = new SqliteStore(dir);
  assert.equal((await again.load()).size, 51);
  await again.close();
});
