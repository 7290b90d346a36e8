// The LogStore contract, as tests any store must pass: the SQLite and memory stores
// (src/store/sqlite.test.ts) and the PostgreSQL one (test/postgres-store.test.ts) run
// the same ones, so a store cannot drift from what the log relies on.

import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { type AppendBatch, AttachmentRefused, DuplicateStatementError, type LogStore } from '../../src/record/log-store.ts';

const bytes = (s: string) => new Uint8Array(Buffer.from(s));
export const statementId = (n: number) => Uint8Array.from({ length: 16 }, (_, i) => (i === 15 ? n : 0));

export function batch(first: number, n: number, extra: Partial<AppendBatch> = {}): AppendBatch {
  return {
    first,
    entries: Array.from({ length: n }, (_, i) => bytes(`entry ${first + i}`)),
    statementIds: Array.from({ length: n }, (_, i) => statementId(first + i)),
    tiles: [{ id: 0, data: new Uint8Array(32).fill(first + n) }],
    ...extra,
  };
}

export function storeContract(name: string, make: (t: TestContext) => LogStore | Promise<LogStore>, skip?: string): void {
  test(`${name} store: batches land whole and in order`, { skip }, async (t) => {
    const store = await make(t);
    try {
      await store.init({ origin: 'detente/t/a', logKey: 'k+00000000+AA' });
      await store.append(batch(0, 3));
      await store.append(batch(3, 2));
      await assert.rejects(store.append(batch(4, 2)), /batch starts at 4 but the log holds 5 entries/);
      // A batch that breaks a constraint half way leaves nothing behind.
      await assert.rejects(store.append(batch(5, 2, { statementIds: [statementId(9), statementId(1)] })));
      const snap = await store.load();
      assert.equal(snap.size, 5);
      assert.deepEqual(snap.meta, { origin: 'detente/t/a', logKey: 'k+00000000+AA' });
      assert.deepEqual(
        (await store.readEntries(1, 4)).map((e) => Buffer.from(e).toString()),
        ['entry 1', 'entry 2', 'entry 3'],
      );
      await assert.rejects(store.readEntries(4, 6), /not all stored/);
      assert.deepEqual(await store.findStatements([statementId(4), statementId(9)]), [4, undefined]);
      const [tile, none] = await store.readTiles([0, 1]);
      assert.equal(tile![0], 5, 'the newest write of a tile wins');
      assert.equal(none, undefined);
    } finally {
      await store.close();
    }
  });

  test(`${name} store: the checkpoint only grows; sealed content is kept once`, { skip }, async (t) => {
    const store = await make(t);
    try {
      await store.saveCheckpoint({ size: 5, issuedAt: 1, note: 'five' });
      await store.saveCheckpoint({ size: 5, issuedAt: 2, note: 'five again' });
      await assert.rejects(store.saveCheckpoint({ size: 4, issuedAt: 3, note: 'four' }), /would replace one for 5/);
      assert.deepEqual((await store.load()).checkpoint, { size: 5, issuedAt: 2, note: 'five again' });
      await store.putSealed('ab', { salt: bytes('salt'), content: bytes('secret') });
      await store.putSealed('ab', { salt: bytes('other'), content: bytes('other') });
      assert.equal(Buffer.from((await store.getSealed('ab'))!.content).toString(), 'secret');
      // Content sealed whole comes with a batch too (its `loose`), kept by digest like putSealed's.
      await store.append(
        batch(0, 1, {
          loose: [
            { digest: 'cd', salt: bytes('s'), content: bytes('c') },
            { digest: '0f', salt: bytes('s'), content: bytes('z') },
          ],
        }),
      );
      assert.deepEqual(
        (await store.listSealed(undefined, 10)).map((r) => r.digest),
        ['0f', 'ab', 'cd'],
      );
      assert.deepEqual(
        (await store.listSealed('0f', 1)).map((r) => r.digest),
        ['ab'],
      );
    } finally {
      await store.close();
    }
  });

  test(`${name} store: a duplicate statement fails the batch whole, with DuplicateStatementError`, { skip }, async (t) => {
    const store = await make(t);
    try {
      await store.append(batch(0, 2));
      await assert.rejects(store.append(batch(2, 2, { statementIds: [statementId(7), statementId(0)] })), (e) => e instanceof DuplicateStatementError);
      assert.equal((await store.load()).size, 2);
      assert.deepEqual(await store.findStatements([statementId(7)]), [undefined]);
    } finally {
      await store.close();
    }
  });

  test(`${name} store: item openings are kept by their place with their batch; a batch that fails takes them with it`, { skip }, async (t) => {
    const store = await make(t);
    try {
      const item = (entry: number, n: number) => ({
        entry,
        n,
        digest: Buffer.from(`d${entry}.${n}`).toString('hex'),
        salt: bytes('salt'),
        content: bytes(`report ${entry}.${n}`),
      });
      await store.append(batch(0, 2, { sealed: [item(1, 1), item(0, 0), item(1, 0)] }));
      await assert.rejects(store.append(batch(2, 2, { statementIds: [statementId(7), statementId(0)], sealed: [item(2, 0), item(3, 4)] })));
      assert.equal(Buffer.from((await store.getSealedAt(1, 1))!.content).toString(), 'report 1.1');
      assert.equal((await store.getSealedAt(1, 1))!.digest, item(1, 1).digest);
      assert.equal(await store.getSealedAt(2, 0), undefined);
      assert.equal(await store.getSealedAt(3, 4), undefined);
      assert.equal(await store.getSealedAt(1, 2), undefined);
      // The batch that does take those places.
      await store.append(batch(2, 2, { sealed: [item(3, 1)] }));
      assert.deepEqual(
        (await store.listSealedItems(0, 10)).map((s) => `${s.entry}.${s.n}`),
        ['0.0', '1.0', '1.1', '3.1'],
      );
      assert.deepEqual(
        (await store.listSealedItems(1, 2)).map((s) => `${s.entry}.${s.n}`),
        ['1.0', '1.1'],
      );
    } finally {
      await store.close();
    }
  });

  test(`${name} store: an attachment is kept by its SHA-256, streamed in and out; wrong or oversized bytes leave nothing`, { skip }, async (t) => {
    const store = await make(t);
    try {
      // Three chunks, as a request body streams in; one of them larger than a typical read.
      const parts = [randomBytes(1000), randomBytes(70_000), randomBytes(5)];
      const whole = Buffer.concat(parts);
      const sha = createHash('sha256').update(whole).digest('hex');
      const stream = async function* (chunks: Uint8Array[]) {
        yield* chunks;
      };
      assert.equal(await store.getAttachment(sha), undefined);
      await assert.rejects(
        store.putAttachment(sha, 'image/png', stream([...parts, bytes('x')]), 1 << 20),
        (e) => e instanceof AttachmentRefused && e.why === 'mismatch',
      );
      await assert.rejects(
        store.putAttachment(sha, 'image/png', stream(parts), whole.length - 1),
        (e) => e instanceof AttachmentRefused && e.why === 'too-large',
      );
      assert.equal(await store.getAttachment(sha), undefined, 'nothing kept of a refused upload');
      await store.putAttachment(sha, 'image/png', stream(parts), whole.length);
      // A repeat is a no-op: the first type stays.
      await store.putAttachment(sha, 'image/jpeg', stream([whole]), whole.length);
      const got = await store.getAttachment(sha);
      assert.ok(got);
      assert.equal(got.type, 'image/png');
      assert.equal(got.bytes, whole.length);
      const out: Uint8Array[] = [];
      for await (const c of got.data()) out.push(c);
      assert.ok(Buffer.concat(out).equals(whole));
      assert.equal(await store.getAttachment('0'.repeat(64)), undefined);
      assert.equal(await store.getAttachment('../log.db'), undefined, 'a name that is no SHA-256 finds nothing');
    } finally {
      await store.close();
    }
  });
}
