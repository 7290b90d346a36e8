// Bundles are checked on the workers concurrently and may come back in any order; the
// follower must still judge them against the key book in index order. A checker that
// answers later bundles first shows it: judged as they arrive, the second bundle would
// meet a key book that has not seen the record's first entry.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { FollowClient } from '../src/follow/client.ts';
import { type EntryChecker, EntryCheckPool } from '../src/follow/entry-check-pool.ts';
import { Follower } from '../src/follow/follower.ts';
import { openLog } from '../src/record/log.ts';
import { MemoryStore } from '../src/store/memory.ts';
import { makeEntries, newSigner, ORIGIN } from './helpers/record-fixtures.ts';
import { servedRecord } from './helpers/served-log.ts';

const dirs: string[] = [];
after(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

/** The pool's verdicts, each batch's held back longer than the next one's. */
function lastFirst(pool: EntryCheckPool): EntryChecker & { order: number[] } {
  let calls = 0;
  const order: number[] = [];
  return {
    order,
    async check(list) {
      const k = calls++;
      const checked = await pool.check(list);
      await new Promise((r) => setTimeout(r, Math.max(0, 8 - k) * 40));
      order.push(k);
      return checked;
    },
    close: () => pool.close(),
  };
}

test('bundles verdicts arriving out of order are judged in index order', async () => {
  const logSigner = newSigner(ORIGIN);
  const log = await openLog({ store: new MemoryStore(), origin: ORIGIN, logSigner, verifySignatures: false, checkpointIntervalMs: 0 });
  const size = 3 * 256 + 40;
  await Promise.all(makeEntries(size, [newSigner('il'), newSigner('sy')]).map((e) => log.append(e)));
  for (let i = 0; i < 200 && Number(log.checkpoint().split('\n')[1]) !== size; i++) await new Promise((r) => setTimeout(r, 10));
  const dir = mkdtempSync(join(tmpdir(), 'detente-follow-order-'));
  dirs.push(dir);
  const checker = lastFirst(new EntryCheckPool(2));
  const client = new FollowClient({ url: 'http://record.test', arrangement: 'southern-syria', token: 't', fetch: servedRecord(log) });
  const f = new Follower({ dir, url: 'http://record.test', arrangement: 'southern-syria', token: 't', client, pool: checker });
  try {
    const r = await f.round();
    assert.deepEqual(r.discrepancies, []);
    assert.equal(r.size, size);
    // The verdicts did come back out of order: later bundles first.
    assert.notDeepEqual(
      checker.order,
      [...checker.order].sort((a, b) => a - b),
    );
  } finally {
    await f.close();
    await checker.close();
    await log.close();
  }
});
