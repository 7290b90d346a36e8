import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import fc from 'fast-check';
import { tempDir } from '../../test/helpers/record-fixtures.ts';
import { statementId } from '../../test/helpers/store-contract.ts';
import { packable, preparePacked, readPacked } from './sqlite-packed.ts';
import { SqliteStore } from './sqlite.ts';
import { encodeEntryBundle } from '../record/standard-tiles.ts';

// Any bytes: zeros, bytes that are not UTF-8 (a lone 0x80, 0xff), and the empty blob.
const blob = (max: number) =>
  fc.oneof(fc.uint8Array({ maxLength: max }), fc.constantFrom(new Uint8Array([0]), new Uint8Array([0x80, 0, 0xff]), new Uint8Array(0)));
const hex = (b: Uint8Array | undefined) => (b ? Buffer.from(b).toString('hex') : 'none');

test('sqlite packed reads: entries, tiles and sealed openings read in pages are the bytes read row by row', async (t) => {
  await fc.assert(
    fc.asyncProperty(
      fc.array(blob(300), { minLength: 1, maxLength: 120 }),
      fc.array(fc.record({ id: fc.integer({ min: 0, max: 200 }), data: blob(200) }), { maxLength: 60 }),
      fc.array(fc.record({ n: fc.integer({ min: 0, max: 3 }), salt: blob(40), content: blob(300) }), { maxLength: 120 }),
      async (entries, tiles, items) => {
        const dir = join(tempDir(t), 'log');
        const store = new SqliteStore(dir);
        try {
          await store.init({ origin: 'detente/t/a', logKey: 'k+00000000+AA' });
          const sealed = items
            .map((it, i) => ({ entry: i % entries.length, n: it.n, digest: Buffer.from(`d${i}`).toString('hex'), salt: it.salt, content: it.content }))
            .filter((s, i, all) => all.findIndex((o) => o.entry === s.entry && o.n === s.n) === i);
          await store.append({ first: 0, entries, statementIds: entries.map((_, i) => statementId(i)), tiles, sealed });

          // Every range of entries, paged or not, against one row at a time.
          for (const [from, to] of [
            [0, entries.length],
            [1, entries.length],
            [0, Math.min(entries.length, 17)],
          ]) {
            const got = await store.readEntries(from, to);
            assert.deepEqual(got.map(hex), entries.slice(from, to).map(hex));
            // As a tile bundle built by SQLite: the same bytes encodeEntryBundle makes, or none for a short range.
            const bundle = await store.readEntryBundle(from, to);
            if (to - from >= 16) assert.equal(hex(bundle), hex(encodeEntryBundle(entries.slice(from, to))));
            else assert.equal(bundle, undefined);
          }
          // Tiles asked for in runs of consecutive ids with gaps and ids never written.
          const ids = Array.from({ length: 210 }, (_, i) => i).filter((i) => i % 37 !== 5);
          const newest = new Map(tiles.map((x) => [x.id, x.data]));
          assert.deepEqual(
            (await store.readTiles(ids)).map(hex),
            ids.map((id) => hex(newest.get(id))),
          );
          // Openings in place order, from any entry and any limit.
          const inOrder = [...sealed].sort((a, b) => a.entry - b.entry || a.n - b.n);
          for (const [from, limit] of [
            [0, 10_000],
            [1, 20],
            [0, 16],
          ]) {
            const got = await store.listSealedItems(from, limit);
            const want = inOrder.filter((s) => s.entry >= from).slice(0, limit);
            assert.deepEqual(
              got.map((s) => [s.entry, s.n, s.digest, hex(s.salt), hex(s.content)]),
              want.map((s) => [s.entry, s.n, s.digest, hex(s.salt), hex(s.content)]),
            );
          }
        } finally {
          await store.close();
        }
      },
    ),
    { numRuns: 25 },
  );
});

test('sqlite packed reads: a page whose keys do not ascend, or a database not in UTF-8, is not read packed', (t) => {
  const db = new Database(join(tempDir(t), 'x.db'));
  try {
    db.exec('CREATE TABLE t (k INTEGER PRIMARY KEY, v BLOB NOT NULL)');
    const put = db.prepare('INSERT INTO t (k, v) VALUES (?, ?)');
    for (let k = 0; k < 40; k++) put.run(k, Buffer.from([k, 0, 0xff]));
    assert.equal(packable(db), true);
    const up = readPacked(preparePacked(db, 'SELECT k, v FROM t WHERE k >= ? ORDER BY k', 'k', ['v']), [3], 1);
    assert.deepEqual(
      up?.keys,
      Array.from({ length: 37 }, (_, i) => i + 3),
    );
    assert.equal(
      up?.blobs.reduce((n, b) => n + b.length, 0),
      37 * 3,
    );
    assert.equal(readPacked(preparePacked(db, 'SELECT k, v FROM t WHERE k >= ? ORDER BY k DESC', 'k', ['v']), [3], 1), undefined);
    assert.deepEqual(readPacked(preparePacked(db, 'SELECT k, v FROM t WHERE k >= ? ORDER BY k', 'k', ['v']), [99], 1), { keys: [], blobs: [] });
  } finally {
    db.close();
  }
  const utf16 = new Database(join(tempDir(t), 'y.db'));
  try {
    utf16.pragma('encoding = "UTF-16le"');
    utf16.exec('CREATE TABLE t (k INTEGER PRIMARY KEY)');
    assert.equal(packable(utf16), false);
  } finally {
    utf16.close();
  }
});

test('sqlite bundles: a range with an entry too long for a bundle, or a missing one, is not built (the log says why instead)', async (t) => {
  const dir = join(tempDir(t), 'log');
  const entries = Array.from({ length: 40 }, (_, i) => new Uint8Array(100).fill(i));
  entries[21] = new Uint8Array(65_535).fill(7); // the longest a bundle holds
  const writer = new SqliteStore(dir);
  await writer.init({ origin: 'detente/t/a', logKey: 'k+00000000+AA' });
  await writer.append({ first: 0, entries, statementIds: entries.map((_, i) => statementId(i)), tiles: [] });
  await writer.close();
  // An entry longer than a bundle holds, as a record from before the limit may keep (no append makes one now).
  const db = new Database(join(dir, 'log.db'));
  db.prepare('UPDATE entries SET data = zeroblob(65536) WHERE idx = 20').run();
  db.close();
  const store = new SqliteStore(dir);
  try {
    assert.equal(await store.readEntryBundle(0, 40), undefined);
    assert.equal(hex(await store.readEntryBundle(21, 40)), hex(encodeEntryBundle(entries.slice(21, 40))));
    assert.equal(await store.readEntryBundle(30, 50), undefined);
  } finally {
    await store.close();
  }
});
