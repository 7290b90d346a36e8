import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { statSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import fc from 'fast-check';
import { MemoryStore } from '../src/store/memory.ts';
import { SqliteStore } from '../src/store/sqlite.ts';
import type { AppendBatch, LogStore } from '../src/record/log-store.ts';
import { openCheckpoint } from '../src/record/checkpoint.ts';
import { generateKey } from '../src/record/keys.ts';
import { RecordError } from '../src/record/errors.ts';
import { type LogOptions, openLog as openInStore } from '../src/record/log.ts';
import { openSqliteLog } from '../src/store/open-log.ts';
import { leafHash, rootOf, verifyConsistency, verifyInclusion } from '../src/record/merkle.ts';
import { buildEntry, signStatement } from '../src/record/statement.ts';
import { makeEntries, newSigner, ORIGIN, tempDir } from './helpers/record-fixtures.ts';
import { settle, TestClock } from './helpers/record-clock.ts';
import { MTH, PATH, PROOF } from './helpers/record-reference.ts';

const logSigner = newSigner(ORIGIN);
const authors = [newSigner('il'), newSigner('sy'), newSigner('ru')];
const pool = makeEntries(700, authors);
const hex = (a: Uint8Array | Uint8Array[]) => (Array.isArray(a) ? a.map((x) => Buffer.from(x).toString('hex')) : Buffer.from(a).toString('hex'));
const isCode = (code: string, msg?: RegExp) => (e: unknown) => e instanceof RecordError && e.code === code && (!msg || msg.test(e.message));

type TestOptions = Omit<LogOptions, 'store'> & ({ store: LogStore } | { dir: string });

function options(extra: Partial<LogOptions> & ({ store: LogStore } | { dir: string })): TestOptions {
  return { origin: ORIGIN, logSigner, verifySignatures: false, checkpointIntervalMs: 0, ...extra };
}

/** Opens a log in the given store, or in SQLite under `dir`. */
function openLog(o: TestOptions) {
  return 'dir' in o ? openSqliteLog(o) : openInStore(o);
}

/** A store that records each batch and can be told to fail. */
class SpyStore implements LogStore {
  batches: number[] = [];
  committed = 0;
  failOnAppend = false;
  constructor(readonly inner: LogStore) {}
  get location() {
    return 'spy:' + this.inner.location;
  }
  load = () => this.inner.load();
  init = (m: Parameters<LogStore['init']>[0]) => this.inner.init(m);
  readTiles = (ids: readonly number[]) => this.inner.readTiles(ids);
  readEntries = (a: number, b: number) => this.inner.readEntries(a, b);
  findStatements = (ids: readonly Uint8Array[]) => this.inner.findStatements(ids);
  saveCheckpoint = (cp: Parameters<LogStore['saveCheckpoint']>[0]) => this.inner.saveCheckpoint(cp);
  putSealed = (d: string, r: Parameters<LogStore['putSealed']>[1]) => this.inner.putSealed(d, r);
  getSealed = (d: string) => this.inner.getSealed(d);
  listSealed = (after: string | undefined, limit: number) => this.inner.listSealed(after, limit);
  getSealedAt = (e: number, n: number) => this.inner.getSealedAt(e, n);
  listSealedItems = (from: number, limit: number) => this.inner.listSealedItems(from, limit);
  putAttachment = (...a: Parameters<LogStore['putAttachment']>) => this.inner.putAttachment(...a);
  getAttachment = (sha256: string) => this.inner.getAttachment(sha256);
  close = () => this.inner.close();
  async append(batch: AppendBatch): Promise<void> {
    if (this.failOnAppend) throw new Error('disk full');
    await this.inner.append(batch);
    this.batches.push(batch.entries.length);
    this.committed = batch.first + batch.entries.length;
  }
}

test('append gives indexes in order; root, entries and leaf hashes agree', async () => {
  const log = await openLog(options({ store: new MemoryStore() }));
  assert.equal(log.size, 0);
  assert.equal(hex(log.root()), hex(MTH([])));
  for (let i = 0; i < 5; i++) {
    const r = await log.append(pool[i]);
    assert.equal(r.index, i);
    assert.equal(hex(r.leafHash), hex(leafHash(pool[i])));
  }
  assert.equal(log.size, 5);
  assert.equal(hex(log.root()), hex(MTH(pool.slice(0, 5))));
  assert.deepEqual(hex(await log.entries(1, 4)), hex(pool.slice(1, 4)));
  assert.equal(hex(await log.entry(4)), hex(pool[4]));
  await assert.rejects(log.entry(5), isCode('out-of-range', /index 5 is outside 0\.\.4/));
  await log.close();
});

test('property: proofs from the stored tree are RFC 6962’s, and verify', async () => {
  await fc.assert(
    fc.asyncProperty(fc.integer({ min: 1, max: 300 }), fc.array(fc.tuple(fc.nat(), fc.nat()), { minLength: 1, maxLength: 6 }), async (n, queries) => {
      const log = await openLog(options({ store: new MemoryStore(), tileCacheSize: 4 }));
      await Promise.all(pool.slice(0, n).map((e) => log.append(e)));
      const leaves = pool.slice(0, n);
      const root = MTH(leaves);
      assert.equal(hex(log.root()), hex(root));
      for (const [a, b] of queries) {
        const size = 1 + (a % n);
        const index = b % size;
        const proof = await log.inclusionProof(index, size);
        assert.deepEqual(hex(proof), hex(PATH(index, leaves.slice(0, size))));
        assert.ok(verifyInclusion(index, size, leafHash(leaves[index]), proof, MTH(leaves.slice(0, size))));
        const m = 1 + (b % size);
        const cproof = await log.consistencyProof(m, size);
        assert.deepEqual(hex(cproof), m === size ? [] : hex(PROOF(m, leaves.slice(0, size))));
        assert.ok(verifyConsistency(m, size, MTH(leaves.slice(0, m)), MTH(leaves.slice(0, size)), cproof));
        assert.equal(hex(await log.rootAt(m)), hex(MTH(leaves.slice(0, m))));
      }
      await log.close();
    }),
    { numRuns: 100 },
  );
});

test('SQLite: the tree survives reopening at tile boundaries, and keeps growing', async (t) => {
  const dir = tempDir(t);
  const sizes = [1, 15, 16, 17, 31, 255, 256, 257, 300, 511, 512, 513, 700];
  let done = 0;
  for (const size of sizes) {
    const log = await openLog(options({ dir, checkpointIntervalMs: 0 }));
    assert.equal(log.size, done);
    assert.equal(hex(log.root()), hex(MTH(pool.slice(0, done))));
    await Promise.all(pool.slice(done, size).map((e) => log.append(e)));
    done = size;
    for (const index of [0, Math.floor(size / 2), size - 1]) {
      assert.deepEqual(hex(await log.inclusionProof(index, size)), hex(PATH(index, pool.slice(0, size))));
    }
    if (size > 1) assert.deepEqual(hex(await log.consistencyProof(size - 1, size)), hex(PROOF(size - 1, pool.slice(0, size))));
    await log.close();
  }
  // A fresh process state: every proof read back from disk.
  const log = await openLog(options({ dir, tileCacheSize: 1 }));
  assert.deepEqual(hex(await log.inclusionProof(3, 700)), hex(PATH(3, pool)));
  assert.deepEqual(hex(await log.consistencyProof(17, 513)), hex(PROOF(17, pool.slice(0, 513))));
  const cp = openCheckpoint(log.checkpoint(), logSigner.verifier.vkey, ORIGIN);
  assert.equal(cp.size, 700);
  assert.equal(hex(cp.root), hex(MTH(pool)));
  await log.close();
});

test('group commit: concurrent appends share transactions, and resolve only once committed', async () => {
  const spy = new SpyStore(new MemoryStore());
  const log = await openLog(options({ store: spy }));
  const results = await Promise.all(
    pool.slice(0, 300).map((e) =>
      log.append(e).then((r) => {
        assert.ok(r.index < spy.committed, `entry ${r.index} resolved before its batch was committed (${spy.committed})`);
        return r.index;
      }),
    ),
  );
  assert.deepEqual(
    results,
    Array.from({ length: 300 }, (_, i) => i),
  );
  assert.ok(spy.batches.length <= 3, `300 concurrent appends took ${spy.batches.length} transactions`);
  await log.close();
});

test('group commit on SQLite: one transaction per batch, durable on resolution', async (t) => {
  const dir = tempDir(t);
  const spy = new SpyStore(new SqliteStore(dir));
  const log = await openLog(options({ store: spy, maxBatch: 100 }));
  await Promise.all(
    pool.slice(0, 450).map((e) =>
      log.append(e).then((r) => {
        // Read back through a separate connection: the entry must already be on disk.
        const db = new Database(join(dir, 'log.db'), { readonly: true });
        const row = db.prepare('SELECT data FROM entries WHERE idx = ?').pluck().get(r.index) as Buffer | undefined;
        db.close();
        assert.ok(row?.equals(pool[r.index]), `entry ${r.index} not readable on resolution`);
      }),
    ),
  );
  assert.deepEqual(spy.batches, [100, 100, 100, 100, 50]);
  await log.close();
});

test('a replayed statement is refused, in the same batch, later, and after reopening', async (t) => {
  const dir = tempDir(t);
  const log = await openLog(options({ dir }));
  const signed = signStatement(authors[0], { type: 'talks.accept', arrangement: 'southern-syria', body: { clause: 3 } });
  const [a, b] = await Promise.allSettled([log.appendStatement(signed), log.appendStatement(signed, new Date(Date.now() + 5))]);
  assert.equal(a.status, 'fulfilled');
  assert.ok(b.status === 'rejected' && isCode('duplicate', /appended twice \(as entry 0\)/)(b.reason));
  await assert.rejects(log.appendStatement(signed), isCode('duplicate', /already in the log as entry 0/));
  await log.close();
  const again = await openLog(options({ dir }));
  await assert.rejects(again.appendStatement(signed), isCode('duplicate'));
  assert.equal((await again.append(pool[1])).index, 1);
  await again.close();
});

test('a replay in a batch is refused alone; the rest of the batch commits', async () => {
  const log = await openLog(options({ store: new MemoryStore() }));
  await Promise.all(pool.slice(0, 5).map((e) => log.append(e)));
  const replay = makeEntries(1, authors, 2)[0]; // entry 2's statement, received again later
  const results = await Promise.allSettled([log.append(pool[5]), log.append(replay), log.append(pool[6])]);
  assert.deepEqual(
    results.map((r) => (r.status === 'fulfilled' ? r.value.index : (r.reason as Error).message)),
    [5, 'statement already in the log as entry 2', 6],
  );
  assert.equal(hex(log.root()), hex(MTH(pool.slice(0, 7))));
  assert.deepEqual(hex(await log.inclusionProof(6, 7)), hex(PATH(6, pool.slice(0, 7))));
  await log.close();
});

test('bytes changed after makeEntry are parsed again, not trusted', async () => {
  const log = await openLog(options({ store: new MemoryStore() }));
  const entry = buildEntry(authors[0], { type: 't', arrangement: 'a', body: { text: 'x' } });
  entry[0] = 0x20; // no longer JSON that starts with '{'
  await assert.rejects(log.append(entry), isCode('invalid', /not in canonical|not JSON/));
  await log.close();
});

test('who signs for whom is the key book’s, not the log’s: a second key is stored, and the stored-record check names it', async () => {
  const store = new MemoryStore();
  const log = await openLog(options({ store }));
  const impostor = newSigner('il');
  await log.append(buildEntry(authors[0], { type: 't', arrangement: 'a', body: {} }));
  const { index } = await log.append(buildEntry(impostor, { type: 't', arrangement: 'a', body: {} }));
  const problem = await log.checkStored();
  assert.equal(problem?.index, index);
  assert.match(problem!.reason, new RegExp(`entry ${index}: il\\+\\w+\\+\\S+ is not a key of "il"`));
  await log.close();
});

test('signatures are verified on append by default', async () => {
  const log = await openLog({ origin: ORIGIN, logSigner, store: new MemoryStore(), checkpointIntervalMs: 0 });
  const entry = JSON.parse(Buffer.from(pool[0]).toString());
  entry.statement.body.text = 'altered';
  const { canonicalBytes } = await import('../src/record/canonical.ts');
  await assert.rejects(log.append(canonicalBytes(entry)), isCode('bad-signature'));
  await assert.rejects(log.append(new TextEncoder().encode('{"not":"an entry"}')), isCode('invalid', /entry: missing "statement"/));
  assert.equal((await log.append(pool[0])).index, 0);
  await log.close();
});

test('checkpoints: one at creation, then at most one per interval, growing, stored before published', async () => {
  const store = new MemoryStore();
  const clock = new TestClock();
  const seen: Array<{ size: number; at: number }> = [];
  const log = await openLog(
    options({
      store,
      checkpointIntervalMs: 150,
      now: clock.now,
      setTimer: clock.setTimer,
      onCheckpoint: (_note, size) => seen.push({ size, at: clock.now() }),
    }),
  );
  assert.deepEqual(
    seen.map((s) => s.size),
    [0],
  );
  for (let i = 0; i < 40; i++) {
    await log.append(pool[i]);
    clock.advance(10);
    await settle();
    const stored = (await store.load()).checkpoint!;
    assert.equal(log.checkpoint(), stored.note, 'the published checkpoint is the stored one');
  }
  // While the log stays open, the pending timer signs the last entries by itself.
  const before = seen.length;
  await settle(() => clock.pending > 0);
  clock.advance(150);
  await settle(() => seen[seen.length - 1].size === 40);
  assert.equal(seen.length, before + 1, 'the timer signs once');
  await log.close();
  const sizes = seen.map((s) => s.size);
  assert.equal(sizes[sizes.length - 1], 40, 'the last entries get a checkpoint without another append');
  assert.ok(sizes.length > 2, 'entries arriving for longer than an interval get checkpoints on the way');
  for (let i = 1; i < seen.length; i++) {
    assert.ok(sizes[i] > sizes[i - 1], 'the tree head never moves backwards');
    assert.ok(seen[i].at - seen[i - 1].at >= 150, 'checkpoints are at least an interval apart');
  }
  assert.equal(openCheckpoint((await store.load()).checkpoint!.note, logSigner.verifier.vkey).size, 40);
});

test('the log reads its time from its clock: received times and checkpoint times', async () => {
  const store = new MemoryStore();
  const clock = new TestClock(Date.UTC(2031, 6, 4, 12));
  const log = await openLog(options({ store, checkpointIntervalMs: 1000, now: clock.now, setTimer: clock.setTimer }));
  assert.equal((await store.load()).checkpoint!.issuedAt, clock.now());
  const signed = signStatement(authors[0], { type: 'monitor.report', arrangement: 'southern-syria', body: { n: 1 }, time: '2031-07-04T11:59:00Z' });
  const { index } = await log.appendStatement(signed);
  assert.equal(JSON.parse(Buffer.from(await log.entry(index)).toString()).received, '2031-07-04T12:00:00.000Z');
  // close() waits out the interval on the same clock before signing the last entry.
  const closing = log.close();
  await settle(() => clock.pending > 0);
  clock.advance(1000);
  await closing;
  const cp = (await store.load()).checkpoint!;
  assert.equal(cp.size, 1);
  assert.equal(cp.issuedAt, Date.UTC(2031, 6, 4, 12) + 1000);
});

test('a restart signs the entries a crash left without a checkpoint', async () => {
  const store = new MemoryStore();
  const clock = new TestClock();
  const log = await openLog(options({ store, checkpointIntervalMs: 60_000, now: clock.now, setTimer: clock.setTimer }));
  await Promise.all(pool.slice(0, 10).map((e) => log.append(e)));
  assert.equal(openCheckpoint(log.checkpoint(), logSigner.verifier.vkey).size, 0);
  // No close(): as if the process died here. Reopen on the same store.
  const sizes: number[] = [];
  const again = await openLog(options({ store, checkpointIntervalMs: 0, now: clock.now, setTimer: clock.setTimer, onCheckpoint: (_n, s) => sizes.push(s) }));
  await settle(() => sizes.length > 0);
  assert.deepEqual(sizes, [10]);
  await again.close();
});

test('a failed commit stops the log; reopening recovers', async () => {
  const spy = new SpyStore(new MemoryStore());
  const log = await openLog(options({ store: spy }));
  await log.append(pool[0]);
  spy.failOnAppend = true;
  const results = await Promise.allSettled(pool.slice(1, 4).map((e) => log.append(e)));
  for (const r of results) assert.ok(r.status === 'rejected' && isCode('failed', /disk full.*reopen the log/)(r.reason));
  await assert.rejects(log.append(pool[5]), isCode('failed'));
  await log.close();
  spy.failOnAppend = false;
  const again = await openLog(options({ store: spy }));
  assert.equal(again.size, 1);
  assert.equal((await again.append(pool[1])).index, 1);
  await again.close();
});

test('close finishes queued appends; a closed log refuses more', async () => {
  const log = await openLog(options({ store: new MemoryStore() }));
  const pending = pool.slice(0, 20).map((e) => log.append(e));
  await log.close();
  assert.equal((await Promise.all(pending)).length, 20);
  await assert.rejects(log.append(pool[20]), isCode('closed'));
});

test('opening checks the store: origin, key, origin form, tampered tiles', async (t) => {
  const dir = tempDir(t);
  const log = await openLog(options({ dir }));
  await Promise.all(pool.slice(0, 20).map((e) => log.append(e)));
  await log.close();
  await assert.rejects(openLog(options({ dir, origin: 'detente/test/other' })), isCode('config', /is the log of detente\/test\/southern-syria/));
  await assert.rejects(openLog(options({ dir, logSigner: newSigner(ORIGIN) })), isCode('config', /is signed by/));
  await assert.rejects(openLog(options({ dir, origin: 'southern-syria' })), isCode('config', /detente\/<deployment>\/<arrangement>/));
  const db = new Database(join(dir, 'log.db'));
  db.prepare('UPDATE tiles SET data = zeroblob(length(data)) WHERE id = (SELECT max(id) FROM tiles)').run();
  db.close();
  await assert.rejects(openLog(options({ dir })), isCode('tampered', /tile 0\/0 holds a leaf hash that is not that of the signed entry 0/));
  // Opened without the full check, the right edge alone still shows the damage.
  await assert.rejects(openLog(options({ dir, checkOnOpen: false })), isCode('corrupt', /does not match its checkpoint|incomplete|not in an open tile/));
});

test('proof arguments are checked', async () => {
  const log = await openLog(options({ store: new MemoryStore() }));
  await Promise.all(pool.slice(0, 10).map((e) => log.append(e)));
  await assert.rejects(log.inclusionProof(0, 11), isCode('out-of-range', /size 11 is outside 1\.\.10/));
  await assert.rejects(log.inclusionProof(10, 10), isCode('out-of-range', /index 10/));
  await assert.rejects(log.inclusionProof(1.5, 10), isCode('out-of-range'));
  await assert.rejects(log.consistencyProof(5, 4), isCode('out-of-range', /m 5 is outside 0\.\.4/));
  assert.deepEqual(await log.consistencyProof(0, 10), []);
  assert.deepEqual(await log.consistencyProof(10, 10), []);
  assert.equal(hex(await log.rootAt(0)), hex(rootOf([])));
  await log.close();
});

test('sealed content is stored apart, owner-readable only', async (t) => {
  const dir = tempDir(t);
  const log = await openLog(options({ dir }));
  const s = await log.putSealed('a confidential position');
  const entry = buildEntry(authors[1], { type: 'talks.submission', arrangement: 'southern-syria', body: { sealed: s.sealed } });
  await log.append(entry);
  assert.ok(!Buffer.from(entry).includes('a confidential position'));
  const got = await log.getSealed(s.sealed);
  assert.equal(Buffer.from(got!.content).toString(), 'a confidential position');
  assert.equal(hex(got!.salt), hex(s.salt));
  assert.equal(await log.getSealed('00'.repeat(32)), undefined);
  assert.equal(statSync(join(dir, 'sealed.db')).mode & 0o777, 0o600);
  await log.close();
});

test('a process awaiting close() waits out the interval and signs, with nothing else keeping it alive', async (t) => {
  const dir = tempDir(t);
  const src = (f: string) => JSON.stringify(new URL(`../src/${f}`, import.meta.url).href);
  const code = `
    import { openSqliteLog } from ${src('store/open-log.ts')};
    import { parseSignerKey } from ${src('record/keys.ts')};
    import { makeEntries } from ${JSON.stringify(new URL('./helpers/record-fixtures.ts', import.meta.url).href)};
    const signer = parseSignerKey(process.env.SKEY);
    const log = await openSqliteLog({ dir: ${JSON.stringify(dir)}, origin: '${ORIGIN}', logSigner: signer, checkpointIntervalMs: 300 });
    for (const e of makeEntries(3, [signer])) await log.append(e);
    await log.close();
    process.stdout.write('closed ' + log.checkpoint().split('\\n')[1]);`;
  const { skey } = generateKey(ORIGIN);
  const r = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', code], { encoding: 'utf8', env: { ...process.env, SKEY: skey } });
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stdout, 'closed 3');
});
