// The stored-record check split into ranges (as workers run it) names the same problem
// as one pass: on a clean record, and with alterations below the split, above it and on
// both sides (the lower index wins), at every chunk-aligned split point.

import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import Database from 'better-sqlite3';
import { canonicalBytes, type Json } from '../src/record/canonical.ts';
import { checkRange, checkSealed, checkStore, combineRanges, planStoreCheck, type StoredRecordProblem } from '../src/record/check-stored.ts';
import { checkStoredRecordInWorker } from '../src/store/check-worker.ts';
import { openSqliteLog } from '../src/store/open-log.ts';
import { openSqliteStore } from '../src/store/sqlite.ts';
import { makeEntries, newSigner, ORIGIN } from './helpers/record-fixtures.ts';

const logSigner = newSigner(ORIGIN);
const authors = [newSigner('il'), newSigner('sy'), newSigner('ru')];
const N = 600;

const root = mkdtempSync(join(tmpdir(), 'detente-check-parallel-'));
after(() => rmSync(root, { recursive: true, force: true }));
const original = join(root, 'original');
let built: Promise<void> | undefined;
const build = () =>
  (built ??= (async () => {
    const log = await openSqliteLog({ dir: original, origin: ORIGIN, logSigner, checkpointIntervalMs: 0 });
    for (const e of makeEntries(N, authors)) await log.append(e);
    await log.close();
  })());

let copies = 0;
async function edited(edit: (db: Database.Database) => void): Promise<string> {
  await build();
  const dir = join(root, `copy-${copies++}`);
  cpSync(original, dir, { recursive: true });
  const db = new Database(join(dir, 'log.db'));
  try {
    edit(db);
  } finally {
    db.close();
  }
  return dir;
}

const entryAt = (db: Database.Database, i: number) => db.prepare('SELECT data FROM entries WHERE idx = ?').pluck().get(i) as Buffer;
const setEntry = (db: Database.Database, i: number, data: Uint8Array) => db.prepare('UPDATE entries SET data = ? WHERE idx = ?').run(data, i);
/** A byte flipped in the server-added time: the signature still verifies, the tree does not. */
const flip = (db: Database.Database, i: number) => {
  const e = Buffer.from(entryAt(db, i));
  e[e.indexOf('"received":"') + 20] ^= 0x01;
  setEntry(db, i, e);
};
/** Another key for the entry's author: the entry no longer keeps its author's key. */
const rekey = (db: Database.Database, i: number) => {
  const e = JSON.parse(entryAt(db, i).toString());
  e.key = newSigner(e.statement.author).verifier.vkey;
  setEntry(db, i, canonicalBytes(e as Json));
};

/** The single pass, and the check split at every multiple of 16 (and into 3 and 4 ranges), agree. */
async function agree(dir: string): Promise<StoredRecordProblem | undefined> {
  const store = await openSqliteStore(dir, { readonly: true });
  try {
    const whole = await checkStore(store, { chunk: 16 });
    const planned = await planStoreCheck(store);
    assert.ok('plan' in planned);
    const plan = planned.plan;
    const sealed = await checkSealed(store);
    const splits: number[][] = [];
    for (let at = 16; at < plan.signed; at += 16) splits.push([0, at, plan.size]);
    splits.push([0, 160, 320, plan.size], [0, 144, 288, 432, plan.size]);
    for (const bounds of splits) {
      const parts = [];
      for (let i = 0; i + 1 < bounds.length; i++) parts.push(await checkRange(store, plan, bounds[i], bounds[i + 1], { chunk: 16 }));
      assert.deepEqual(combineRanges(plan, parts, sealed), whole, `split at ${bounds.join(', ')}`);
    }
    assert.deepEqual(await checkStoredRecordInWorker(dir, { workers: 2, chunk: 64 }), whole, 'two workers');
    return whole;
  } finally {
    await store.close();
  }
}

test('a clean record passes split anywhere, and on two workers', async () => {
  assert.equal(await agree(await edited(() => {})), undefined);
});

test('an alteration in the first half, in the second, or in both is named by the lowest index', async () => {
  const first = await agree(await edited((db) => flip(db, 40)));
  assert.equal(first?.index, 40);
  const second = await agree(await edited((db) => flip(db, 500)));
  assert.equal(second?.index, 500);
  const both = await agree(
    await edited((db) => {
      flip(db, 500);
      flip(db, 40);
    }),
  );
  assert.equal(both?.index, 40);
});

test("an author's key changed past the split is named where it changes, and the lower problem wins", async () => {
  const above = await agree(await edited((db) => rekey(db, 450)));
  assert.equal(above?.index, 450);
  const both = await agree(
    await edited((db) => {
      rekey(db, 450);
      flip(db, 100);
    }),
  );
  assert.equal(both?.index, 100);
  const bothKeys = await agree(
    await edited((db) => {
      rekey(db, 520);
      rekey(db, 30);
    }),
  );
  assert.equal(bothKeys?.index, 30);
});

test('a corrupted tile above the split is named by two workers as by one', async () => {
  const tile = await agree(
    await edited((db) => {
      db.prepare('UPDATE tiles SET data = zeroblob(length(data)) WHERE id = 30').run();
    }),
  );
  assert.equal(tile?.tile, '0/30');
});
