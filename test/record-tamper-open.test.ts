// A record edited on disk, the ways someone with the files might try, must not be opened
// as if nothing happened: each edit below is made with SQLite directly on a copy of a real
// record, and the check names the entry (or tile, or sealed content) and what is wrong.
// Before the check existed, opening re-hashed only the last partial tile, and all of
// these opened and were served.

import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import Database from 'better-sqlite3';
import { canonicalBytes, type Json } from '../src/record/canonical.ts';
import { checkStore, type StoredRecordProblem } from '../src/record/check-stored.ts';
import { RecordError } from '../src/record/errors.ts';
import { seal } from '../src/record/sealed.ts';
import { buildEntry, makeEntry, signStatement } from '../src/record/statement.ts';
import { checkStoredRecord, checkStoredRecordInWorker } from '../src/store/check-worker.ts';
import { logDir } from '../src/store/layout.ts';
import { MemoryStore } from '../src/store/memory.ts';
import { openSqliteLog } from '../src/store/open-log.ts';
import { detente } from './helpers/record-bundle.ts';
import { makeEntries, newSigner, ORIGIN } from './helpers/record-fixtures.ts';

const logSigner = newSigner(ORIGIN);
const authors = [newSigner('il'), newSigner('sy'), newSigner('ru')];
// 16 × 16 = 256 entries fill the first tile of level 1; the rest leave open tiles.
const N = 300; // entry N refers to sealed content, and entry N + 1 seals one report of two

const root = mkdtempSync(join(tmpdir(), 'detente-tamper-open-'));
after(() => rmSync(root, { recursive: true, force: true }));
const data = join(root, 'data');
const original = logDir(data, 'southern-syria');
let built: Promise<{ digest: string; item: string }> | undefined;

function build(): Promise<{ digest: string; item: string }> {
  built ??= (async () => {
    const log = await openSqliteLog({ dir: original, origin: ORIGIN, logSigner, checkpointIntervalMs: 0 });
    for (const e of makeEntries(N, authors)) await log.append(e);
    const s = await log.putSealed('the annex: positions of the 61st brigade', new Uint8Array(32).fill(7));
    const signed = signStatement(authors[0], { type: 'talks.annex', arrangement: 'southern-syria', body: { sealed: s.sealed }, time: '2025-06-02T00:00:00Z' });
    await log.appendStatement(signed, new Date('2025-06-02T00:00:01Z'));
    // A batch of reports whose second is sealed apart: its opening is kept at its place.
    const item = seal('{"lat":33.1,"lon":35.8,"type":"position"}', new Uint8Array(32).fill(9));
    const reports = signStatement(authors[1], {
      type: 'reports',
      arrangement: 'southern-syria',
      body: { reports: [{ type: 'position' }, { sealed: item.sealed, time: '2025-06-02T00:00:02Z' }] },
      time: '2025-06-02T00:00:02Z',
    });
    await log.append(makeEntry(reports, new Date('2025-06-02T00:00:03Z')), [{ ...item, n: 1 }]);
    await log.close();
    return { digest: s.sealed, item: item.sealed };
  })();
  return built;
}

let copies = 0;
/** A copy of the record, changed by `edit` on its SQLite files. */
async function edited(edit: (log: Database.Database, sealed: Database.Database) => void): Promise<string> {
  await build();
  const dir = join(root, `copy-${copies++}`);
  cpSync(original, dir, { recursive: true });
  const log = new Database(join(dir, 'log.db'));
  const sealed = new Database(join(dir, 'sealed.db'));
  try {
    edit(log, sealed);
  } finally {
    log.close();
    sealed.close();
  }
  return dir;
}

function entryAt(db: Database.Database, index: number): Buffer {
  return db.prepare('SELECT data FROM entries WHERE idx = ?').pluck().get(index) as Buffer;
}

function setEntry(db: Database.Database, index: number, data: Uint8Array): void {
  db.prepare('UPDATE entries SET data = ? WHERE idx = ?').run(data, index);
}

function flipAfter(db: Database.Database, index: number, marker: string): void {
  const e = Buffer.from(entryAt(db, index));
  const at = e.indexOf(marker);
  assert.ok(at >= 0, `entry ${index} holds ${marker}`);
  e[at + marker.length] ^= 0x01;
  setEntry(db, index, e);
}

/** Asserts that the record is refused everywhere it is opened: the check, openLog, and the worker. */
async function refused(dir: string, expect: Partial<Pick<StoredRecordProblem, 'index' | 'tile' | 'sealed'>>, reason: RegExp): Promise<void> {
  const problem = await checkStoredRecord(dir);
  assert.ok(problem, 'the check finds the edit');
  assert.match(problem.reason, reason);
  for (const [k, v] of Object.entries(expect)) assert.equal(problem[k as keyof StoredRecordProblem], v, `${k} of ${problem.reason}`);
  // Two workers, each on a range (entries 0..127 and 128..), name the problem one pass does (with the same chunks).
  assert.deepEqual(await checkStoredRecordInWorker(dir, { workers: 2, chunk: 64 }), await checkStoredRecord(dir, { chunk: 64 }));
  await assert.rejects(openSqliteLog({ dir, origin: ORIGIN, logSigner }), (e: unknown) => {
    assert.ok(e instanceof RecordError, String(e));
    assert.equal(e.code, 'tampered');
    assert.equal(e.index, expect.index);
    assert.match(e.message, reason);
    return true;
  });
}

test('an untouched record passes the check, opens, and passes in a worker too', async () => {
  await build();
  const dir = await edited(() => {});
  assert.equal(await checkStoredRecord(dir), undefined);
  assert.equal(await checkStoredRecordInWorker(dir), undefined);
  assert.equal(await checkStoredRecordInWorker(dir, { workers: 2, chunk: 64 }), undefined);
  const log = await openSqliteLog({ dir, origin: ORIGIN, logSigner });
  assert.equal(log.size, N + 2);
  assert.equal(await log.checkStored(), undefined);
  await log.close();
});

test('a flipped byte in an old entry is named: in the signed statement, and in the server-added time', async () => {
  await refused(await edited((db) => flipAfter(db, 5, '"text":"report ')), { index: 5 }, /entry 5: signature does not verify under ru's key/);
  await refused(
    await edited((db) => flipAfter(db, 40, '"received":"2025-06-01T00:00:')),
    { index: 40 },
    /entry 40: not the entry the stored tree holds at index 40/,
  );
});

test('two swapped entries are named by the first', async () => {
  const dir = await edited((db) => {
    const a = entryAt(db, 3);
    const b = entryAt(db, 130);
    setEntry(db, 3, b);
    setEntry(db, 130, a);
  });
  await refused(dir, { index: 3 }, /entry 3: not the entry the stored tree holds at index 3/);
});

test('an edited signature is named', async () => {
  const dir = await edited((db) => {
    const e = JSON.parse(entryAt(db, 9).toString());
    const sig = Buffer.from(e.sig, 'base64');
    sig[10] ^= 0xff;
    e.sig = sig.toString('base64');
    setEntry(db, 9, canonicalBytes(e as Json));
  });
  await refused(dir, { index: 9 }, /entry 9: signature does not verify/);
});

test('an entry re-signed with a real key from keys/ (its own author, or another) is named', async () => {
  // The author's own key over a changed statement: every signature checks out.
  const own = await edited((db) => {
    const e = JSON.parse(entryAt(db, 12).toString());
    const forged = buildEntry(authors[0], { ...e.statement, body: { ...e.statement.body, text: 'withdrawn' } }, e.received);
    setEntry(db, 12, forged);
  });
  await refused(own, { index: 12 }, /entry 12: not the entry the stored tree holds at index 12/);
  // Another party's key, the statement made out in its name.
  const other = await edited((db) => {
    const e = JSON.parse(entryAt(db, 13).toString());
    setEntry(db, 13, buildEntry(authors[2], { ...e.statement, author: 'ru' }, e.received));
  });
  await refused(other, { index: 13 }, /entry 13: not the entry the stored tree holds at index 13/);
});

test('an edited author key in an entry is named', async () => {
  const inEntry = await edited((db) => {
    const e = JSON.parse(entryAt(db, 15).toString());
    e.key = newSigner(e.statement.author).verifier.vkey;
    setEntry(db, 15, canonicalBytes(e as Json));
  });
  await refused(inEntry, { index: 15 }, /entry 15: signature does not verify/);
});

test('a corrupted tile is named, at the bottom level and above', async () => {
  const bottom = await edited((db) => {
    const t = Buffer.from(db.prepare('SELECT data FROM tiles WHERE id = 2').pluck().get() as Buffer);
    t[30 * 32 - 1] ^= 0x01; // inside the tile's root
    db.prepare('UPDATE tiles SET data = ? WHERE id = 2').run(t);
  });
  await refused(bottom, { tile: '0/2' }, /tile 0\/2 does not hold the hashes of the stored entries/);
  const leafInTile = await edited((db) => {
    db.prepare('UPDATE tiles SET data = zeroblob(length(data)) WHERE id = 7').run();
  });
  await refused(leafInTile, { tile: '0/7' }, /tile 0\/7 holds a leaf hash that is not that of the signed entry 112/);
  const upper = await edited((db) => {
    const id = 2 ** 40; // tile level 1, index 0
    const t = Buffer.from(db.prepare('SELECT data FROM tiles WHERE id = ?').pluck().get(id) as Buffer);
    t[100] ^= 0x80;
    db.prepare('UPDATE tiles SET data = ? WHERE id = ?').run(t, id);
  });
  await refused(upper, { tile: '1/0' }, /tile 1\/0 does not hold the hashes/);
});

test('changed sealed content is named by its commitment', async () => {
  const { digest } = await build();
  const dir = await edited((_log, sealed) => {
    sealed.prepare('UPDATE sealed SET content = ? WHERE digest = ?').run(Buffer.from('the annex: no positions at all'), digest);
  });
  await refused(dir, { sealed: digest }, new RegExp(`sealed content ${digest} does not match its commitment`));
  const salt = await edited((_log, sealed) => {
    sealed.prepare('UPDATE sealed SET salt = zeroblob(32) WHERE digest = ?').run(digest);
  });
  await refused(salt, { sealed: digest }, /does not match its commitment/);
});

test('a changed opening of one report of a batch is named by its place and commitment', async () => {
  const { item } = await build();
  const dir = await edited((_log, sealed) => {
    sealed.prepare('UPDATE items SET content = ? WHERE digest = ?').run(Buffer.from('{"lat":32.0,"lon":35.8,"type":"position"}'), Buffer.from(item, 'hex'));
  });
  await refused(dir, { sealed: item }, new RegExp(`item 1 of entry ${N + 1} does not match its commitment ${item}`));
});

test('an entry in the open tiles, a dropped entry, and an edited checkpoint are refused', async () => {
  // Entries past the last full tile have no stored leaf hash to be compared with: the
  // signed root still refuses them.
  const open = await edited((db) => flipAfter(db, 290, '"received":"2025-06-01T00:0'));
  const problem = await checkStoredRecord(open);
  assert.match(problem?.reason ?? '', /the stored entries hash to .*, not to the checkpoint's root/);
  await assert.rejects(openSqliteLog({ dir: open, origin: ORIGIN, logSigner }), (e: unknown) => e instanceof RecordError && e.code === 'tampered');
  await refused(
    await edited((db) => db.prepare('DELETE FROM entries WHERE idx = ?').run(N + 1)),
    { index: N + 1 },
    new RegExp(`entry ${N + 1}: missing: the checkpoint covers ${N + 2} entries, ${N + 1} are stored`),
  );
  await refused(await edited((db) => db.prepare('DELETE FROM entries WHERE idx = 200').run()), { index: 0 }, /entries 0\.\.\d+: .*not all stored/);
  const checkpoint = await edited((db) => {
    const note = db.prepare('SELECT note FROM checkpoint').pluck().get() as string;
    db.prepare('UPDATE checkpoint SET note = ?').run(note.replace(`\n${N + 2}\n`, `\n${N + 1}\n`));
  });
  assert.match((await checkStoredRecord(checkpoint))?.reason ?? '', /the stored checkpoint: .*signature/);
});

test('the check runs on any store, and a tampered memory store is named too', async () => {
  const store = new MemoryStore();
  const { openLog } = await import('../src/record/log.ts');
  const log = await openLog({ store, origin: ORIGIN, logSigner, checkpointIntervalMs: 0 });
  for (const e of makeEntries(40, authors)) await log.append(e);
  assert.equal(await log.checkStored(), undefined);
  // Replace entry 20 behind the log's back, through the store's own array.
  const entries = (store as unknown as { entries: Uint8Array[] }).entries;
  entries[20] = entries[21];
  const problem = await checkStore(store);
  assert.equal(problem?.index, 20);
  await log.close();
});

test('detente export on a tampered record names the first bad index', async () => {
  const dir = await edited((db) => flipAfter(db, 77, '"text":"report '));
  const r = detente(['export', '--data', dir, '--out', join(root, 'bundle-77')]);
  assert.equal(r.code, 1, r.stdout + r.stderr);
  assert.match(r.stderr, /the stored record was altered: entry 77: signature does not verify/);
});
