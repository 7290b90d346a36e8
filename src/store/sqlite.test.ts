import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir } from '../../test/helpers/record-fixtures.ts';
import { findLogDir, LayoutError, logDir } from './layout.ts';
import { MemoryStore } from './memory.ts';
import { SqliteStore } from './sqlite.ts';
import type { AppendBatch, LogStore } from './store.ts';

const bytes = (s: string) => new Uint8Array(Buffer.from(s));
const id = (n: number) => Uint8Array.from({ length: 16 }, (_, i) => (i === 15 ? n : 0));

function batch(first: number, n: number, extra: Partial<AppendBatch> = {}): AppendBatch {
  return {
    first,
    entries: Array.from({ length: n }, (_, i) => bytes(`entry ${first + i}`)),
    statementIds: Array.from({ length: n }, (_, i) => id(first + i)),
    tiles: [{ id: 0, data: new Uint8Array(32).fill(first + n) }],
    ...extra,
  };
}

// The same contract, checked on both stores.
for (const [name, make] of [
  ['sqlite', (dir: string) => new SqliteStore(dir)],
  ['memory', () => new MemoryStore()],
] as const) {
  test(`${name} store: batches land whole and in order`, async (t) => {
    const store: LogStore = make(tempDir(t));
    await store.init({ origin: 'detente/t/a', logKey: 'k+00000000+AA' });
    await store.append(batch(0, 3));
    await store.append(batch(3, 2));
    await assert.rejects(store.append(batch(4, 2)), /batch starts at 4 but the log holds 5 entries/);
    // A batch that breaks a constraint half way leaves nothing behind.
    await assert.rejects(store.append(batch(5, 2, { statementIds: [id(9), id(1)] })));
    const snap = await store.load();
    assert.equal(snap.size, 5);
    assert.deepEqual(snap.meta, { origin: 'detente/t/a', logKey: 'k+00000000+AA' });
    assert.deepEqual(
      (await store.readEntries(1, 4)).map((e) => Buffer.from(e).toString()),
      ['entry 1', 'entry 2', 'entry 3'],
    );
    await assert.rejects(store.readEntries(4, 6), /not all stored/);
    assert.deepEqual(await store.findStatements([id(4), id(9)]), [4, undefined]);
    const [tile, none] = await store.readTiles([0, 1]);
    assert.equal(tile![0], 5, 'the newest write of a tile wins');
    assert.equal(none, undefined);
    await store.close();
  });

  test(`${name} store: the checkpoint only grows`, async (t) => {
    const store: LogStore = make(tempDir(t));
    await store.saveCheckpoint({ size: 5, issuedAt: 1, note: 'five' });
    await store.saveCheckpoint({ size: 5, issuedAt: 2, note: 'five again' });
    await assert.rejects(store.saveCheckpoint({ size: 4, issuedAt: 3, note: 'four' }), /would replace one for 5/);
    assert.deepEqual((await store.load()).checkpoint, { size: 5, issuedAt: 2, note: 'five again' });
    await store.putSealed('ab', { salt: bytes('salt'), content: bytes('secret') });
    await store.putSealed('ab', { salt: bytes('other'), content: bytes('other') });
    assert.equal(Buffer.from((await store.getSealed('ab'))!.content).toString(), 'secret');
    await store.close();
  });

  test(`${name} store: item openings are kept by their place, and a batch that never committed gives way`, async (t) => {
    const store: LogStore = make(tempDir(t));
    const item = (entry: number, n: number, text: string) => ({ entry, n, digest: Buffer.from(text).toString('hex'), salt: bytes('s'), content: bytes(text) });
    await store.append(
      batch(0, 2, { sealed: [item(0, 0, 'a'), item(0, 3, 'b'), item(1, 1, 'c')], loose: [{ digest: 'dd', salt: bytes('s'), content: bytes('whole') }] }),
    );
    assert.equal(Buffer.from((await store.getSealedAt(0, 3))!.content).toString(), 'b');
    assert.equal((await store.getSealedAt(1, 1))!.digest, Buffer.from('c').toString('hex'));
    assert.equal(await store.getSealedAt(1, 0), undefined);
    assert.equal(Buffer.from((await store.getSealed('dd'))!.content).toString(), 'whole');
    // A batch refused whole (a replayed statement) may leave its openings; the batch that
    // takes those places next replaces them all, also where it has fewer.
    await assert.rejects(store.append(batch(2, 2, { statementIds: [id(7), id(1)], sealed: [item(2, 0, 'x'), item(2, 1, 'y'), item(3, 0, 'z')] })));
    await store.append(batch(2, 2, { sealed: [item(3, 5, 'w')] }));
    assert.equal(await store.getSealedAt(2, 0), undefined);
    assert.equal(await store.getSealedAt(3, 0), undefined);
    assert.deepEqual(
      (await store.listSealedItems(0, 10)).map((i) => [i.entry, i.n, Buffer.from(i.content).toString()]),
      [
        [0, 0, 'a'],
        [0, 3, 'b'],
        [1, 1, 'c'],
        [3, 5, 'w'],
      ],
    );
    assert.deepEqual(
      (await store.listSealedItems(1, 2)).map((i) => [i.entry, i.n]),
      [
        [1, 1],
        [3, 5],
      ],
    );
    await store.close();
  });
}

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
