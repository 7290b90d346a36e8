// A log opened to follow another writer over the same store (several nodes on one
// database): it sees the writer's appends with the same roots and checkpoints, refuses an
// entry altered in the store, writes nothing itself, and becomes the writer on promote().
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MemoryStore } from '../store/memory.ts';
import { makeEntries, newSigner, ORIGIN } from '../../test/helpers/record-fixtures.ts';
import { bytesEqual } from './encoding.ts';
import { RecordError } from './errors.ts';
import { type LogOptions, openLog } from './log.ts';
import type { LogStore } from './log-store.ts';

/** One store seen by two logs: each may close its view without closing the other's. */
function shared(store: MemoryStore): LogStore {
  return new Proxy(store, { get: (s, k) => (k === 'close' ? async () => undefined : Reflect.get(s, k, s)) });
}

const logSigner = newSigner(ORIGIN);
const authors = [newSigner('il'), newSigner('sy')];

function options(store: LogStore, extra: Partial<LogOptions> = {}): LogOptions {
  return { store, origin: ORIGIN, logSigner, checkpointIntervalMs: 0, ...extra };
}

test('a following log sees the writer’s appends, computes the same roots and takes the stored checkpoints', async () => {
  const store = new MemoryStore();
  const writer = await openLog(options(shared(store)));
  const follower = await openLog(options(shared(store), { follow: true }));
  const seen: number[] = [];
  const follower2 = await openLog(options(shared(store), { follow: true, onCheckpoint: (_n, size) => seen.push(size) }));
  try {
    for (const batch of [makeEntries(5, authors, 0), makeEntries(300, authors, 5), makeEntries(700, authors, 305)]) {
      await Promise.all(batch.map((e) => writer.append(e)));
      assert.equal(await follower.follow(), writer.size);
      assert.ok(bytesEqual(follower.root(), writer.root()), `the roots agree at ${writer.size}`);
      assert.deepEqual(await follower.consistencyProof(3, writer.size), await writer.consistencyProof(3, writer.size));
    }
    // Checkpoints are issued by the writer's pump; once one covers everything the follower serves it.
    await writer.close();
    await follower2.follow();
    assert.equal(follower2.checkpoint(), (await store.load()).checkpoint!.note);
    assert.equal(seen.at(-1), follower2.size);
    await assert.rejects(follower.append(makeEntries(1, authors, 9999)[0]), /follows another writer/);
    assert.equal((await store.load()).size, follower2.size, 'a follower wrote nothing');
  } finally {
    await follower.close();
    await follower2.close();
  }
});

test('a following log refuses entries altered in the store (their root is not the signed one)', async () => {
  const store2 = new MemoryStore();
  const w2 = await openLog(options(shared(store2)));
  const f2 = await openLog(options(shared(store2), { follow: true }));
  try {
    await Promise.all(makeEntries(40, authors).map((e) => w2.append(e)));
    await w2.close();
    // An entry altered by whoever can write the database.
    (store2 as unknown as { entries: Uint8Array[] }).entries[17] = makeEntries(1, authors, 500)[0];
    await assert.rejects(f2.follow(), (e: unknown) => e instanceof RecordError && /do not hash to the signed checkpoint/.test(e.message));
    // It stays refused: nothing more is taken.
    await assert.rejects(f2.follow(), /do not hash/);
  } finally {
    await f2.close();
  }
});

test('a follower promoted after following writes on from the store’s size, and a stale writer is fenced', async () => {
  const store = new MemoryStore();
  const writer = await openLog(options(shared(store)));
  const follower = await openLog(options(shared(store), { follow: true }));
  await Promise.all(makeEntries(10, authors).map((e) => writer.append(e)));
  await follower.follow();
  await follower.promote();
  const { index } = await follower.append(makeEntries(1, authors, 10)[0]);
  assert.equal(index, 10);
  // The old writer does not know: its next batch starts at 10 and the store refuses it.
  await assert.rejects(writer.append(makeEntries(1, authors, 11)[0]), /failed/);
  assert.equal((await store.load()).size, 11);
  await follower.close();
  await writer.close();
});
