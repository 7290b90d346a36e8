// The sealed openings checked by the workers that check the entries they belong to (each
// its own range) name the same problem as one pass: a whole body before any opening, and
// the opening of the lowest entry first.

import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import Database from 'better-sqlite3';
import { checkSealedItems, checkStore } from '../src/record/check-stored.ts';
import { seal } from '../src/record/sealed.ts';
import { makeEntry, signStatement } from '../src/record/statement.ts';
import { checkStoredRecordInWorker } from '../src/store/check-worker.ts';
import { openSqliteLog } from '../src/store/open-log.ts';
import { openSqliteStore } from '../src/store/sqlite.ts';
import { makeEntries, newSigner, ORIGIN } from './helpers/record-fixtures.ts';

const logSigner = newSigner(ORIGIN);
const authors = [newSigner('il'), newSigner('sy'), newSigner('ru')];
const HALF = 300;
// With chunks of 64 the two workers split the record at entry 320: the first batch of
// reports (entry 300) is in the first range, the second (entry 601) in the second.
const CHUNK = 64;

const root = mkdtempSync(join(tmpdir(), 'detente-check-sealed-split-'));
after(() => rmSync(root, { recursive: true, force: true }));
const original = join(root, 'original');

interface Built {
  body: string;
  items: string[];
}
let built: Promise<Built> | undefined;
const build = () =>
  (built ??= (async () => {
    const log = await openSqliteLog({ dir: original, origin: ORIGIN, logSigner, checkpointIntervalMs: 0 });
    const items: string[] = [];
    const batch = async (k: number) => {
      const item = seal(`{"lat":33.${k},"lon":35.8,"type":"position"}`, new Uint8Array(32).fill(k));
      const time = `2025-07-0${k}T00:00:00Z`;
      const reports = signStatement(authors[1], {
        type: 'reports',
        arrangement: 'southern-syria',
        body: { reports: [{ type: 'position' }, { sealed: item.sealed, time }] },
        time,
      });
      await log.append(makeEntry(reports, new Date(time)), [{ ...item, n: 1 }]);
      items.push(item.sealed);
    };
    for (const e of makeEntries(HALF, authors)) await log.append(e);
    await batch(1);
    for (const e of makeEntries(HALF, authors, HALF)) await log.append(e);
    await batch(2);
    const s = await log.putSealed('the annex', new Uint8Array(32).fill(7));
    const annex = signStatement(authors[0], { type: 'talks.annex', arrangement: 'southern-syria', body: { sealed: s.sealed }, time: '2025-07-03T00:00:00Z' });
    await log.appendStatement(annex, new Date('2025-07-03T00:00:01Z'));
    await log.close();
    return { body: s.sealed, items };
  })());

let copies = 0;
async function edited(edit: (sealed: Database.Database, b: Built) => void): Promise<string> {
  const b = await build();
  const dir = join(root, `copy-${copies++}`);
  cpSync(original, dir, { recursive: true });
  const db = new Database(join(dir, 'sealed.db'));
  try {
    edit(db, b);
  } finally {
    db.close();
  }
  return dir;
}

const spoilItem = (db: Database.Database, digest: string) =>
  db.prepare('UPDATE items SET content = ? WHERE digest = ?').run(Buffer.from('{"lat":0,"lon":0,"type":"position"}'), Buffer.from(digest, 'hex'));
const spoilBody = (db: Database.Database, digest: string) => db.prepare('UPDATE sealed SET content = ? WHERE digest = ?').run(Buffer.from('nothing'), digest);

/** One pass and two workers (each checking its range's openings) name the same problem. */
async function agree(dir: string) {
  const store = await openSqliteStore(dir, { readonly: true });
  let whole: Awaited<ReturnType<typeof checkStore>>;
  try {
    whole = await checkStore(store, { chunk: CHUNK });
  } finally {
    await store.close();
  }
  assert.deepEqual(await checkStoredRecordInWorker(dir, { workers: 2, chunk: CHUNK }), whole, 'two workers');
  return whole;
}

test('openings are checked by entry range: each range sees only its own', async () => {
  const { items } = await build();
  const dir = await edited((db, b) => spoilItem(db, b.items[1]));
  const store = await openSqliteStore(dir, { readonly: true });
  try {
    assert.equal(await checkSealedItems(store, 0, 320), undefined);
    assert.equal((await checkSealedItems(store, 320, Number.POSITIVE_INFINITY))?.sealed, items[1]);
  } finally {
    await store.close();
  }
});

test('a clean record with openings on both sides of the split passes on two workers', async () => {
  assert.equal(await agree(await edited(() => {})), undefined);
});

test("a spoiled opening in the second worker's range is named, and one in the first wins over it", async () => {
  const { items } = await build();
  const second = await agree(await edited((db, b) => spoilItem(db, b.items[1])));
  assert.equal(second?.sealed, items[1]);
  assert.match(second?.reason ?? '', new RegExp(`item 1 of entry ${2 * HALF + 1} does not match`));
  const both = await agree(
    await edited((db, b) => {
      spoilItem(db, b.items[1]);
      spoilItem(db, b.items[0]);
    }),
  );
  assert.equal(both?.sealed, items[0]);
});

test('a spoiled whole body is named before any opening, as one pass names it', async () => {
  const { body } = await build();
  const p = await agree(
    await edited((db, b) => {
      spoilItem(db, b.items[0]);
      spoilBody(db, b.body);
    }),
  );
  assert.equal(p?.sealed, body);
});
