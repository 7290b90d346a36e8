// One append batch on PostgreSQL is one transaction with everything it carries: content
// sealed whole (`loose`) goes in with the entries, so a batch refused for a stale `first`
// leaves none of it behind, and a digest named twice in one batch is kept once.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PgLogStore } from '../src/store/postgres/pg-log-store.ts';
import { testPostgres } from './helpers/postgres.ts';
import { batch } from './helpers/store-contract.ts';

const db = await testPostgres();
const skip = typeof db === 'string' ? db : undefined;
const bytes = (s: string) => new Uint8Array(Buffer.from(s));

test('postgres: content sealed whole is written with its batch, and not at all when the batch is refused', { skip }, async () => {
  if (typeof db === 'string') return;
  const store = await PgLogStore.open({ url: db.url, schema: db.schema() });
  try {
    await store.append(batch(0, 2));
    const stale = batch(1, 1, { loose: [{ digest: 'aa', salt: bytes('s'), content: bytes('from a stale batch') }] });
    await assert.rejects(store.append(stale), /batch starts at 1 but the log holds 2/);
    assert.equal(await store.getSealed('aa'), undefined, 'a refused batch leaves no sealed content behind');
    await store.putSealed('bb', { salt: bytes('s'), content: bytes('first') });
    await store.append(
      batch(2, 1, {
        loose: [
          { digest: 'aa', salt: bytes('s'), content: bytes('kept') },
          { digest: 'aa', salt: bytes('s'), content: bytes('kept') },
          { digest: 'bb', salt: bytes('s'), content: bytes('first') },
        ],
      }),
    );
    assert.equal(Buffer.from((await store.getSealed('aa'))!.content).toString(), 'kept');
    assert.deepEqual(
      (await store.listSealed(undefined, 10)).map((r) => r.digest),
      ['aa', 'bb'],
    );
    assert.equal((await store.load()).size, 3);
  } finally {
    await store.close();
  }
});
