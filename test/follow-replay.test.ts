// A log that serves the same signed statement twice (a replay the server's own store
// would refuse; here its store forgets what it holds): the follower's mirror refuses
// the batch that repeats it, the follower stops with a `replay` discrepancy, and what it
// mirrored before that batch stays. The mirror's appends run
// while later batches are checked (follower.ts), so this also shows a failed append is
// noticed and nothing after it is appended.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { FollowClient } from '../src/follow/client.ts';
import { EntryCheckPool } from '../src/follow/entry-check-pool.ts';
import { Follower } from '../src/follow/follower.ts';
import { openLog } from '../src/record/log.ts';
import type { AppendBatch } from '../src/record/log-store.ts';
import { MemoryStore } from '../src/store/memory.ts';
import { makeEntries, newSigner, ORIGIN } from './helpers/record-fixtures.ts';
import { servedRecord } from './helpers/served-log.ts';

const dirs: string[] = [];
after(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

/** A store that takes any statement again: each is filed under an id of its own. */
class ForgetfulStore extends MemoryStore {
  override append(batch: AppendBatch): Promise<void> {
    return super.append({ ...batch, statementIds: batch.statementIds.map(() => randomBytes(16)) });
  }
}

test('a statement served twice: replay, the follower stops, the batches before it are mirrored', async () => {
  const logSigner = newSigner(ORIGIN);
  const log = await openLog({ store: new ForgetfulStore(), origin: ORIGIN, logSigner, verifySignatures: false, checkpointIntervalMs: 0 });
  const entries = makeEntries(1200, [newSigner('il'), newSigner('sy')]);
  // Entry 100 again at index 1000, in the fourth batch of 256.
  const list = [...entries.slice(0, 1000), entries[100], ...entries.slice(1000)];
  for (const e of list) await log.append(e);
  for (let i = 0; i < 200 && Number(log.checkpoint().split('\n')[1]) !== list.length; i++) await new Promise((r) => setTimeout(r, 10));
  assert.equal(Number(log.checkpoint().split('\n')[1]), list.length);

  const dir = mkdtempSync(join(tmpdir(), 'detente-follow-replay-'));
  dirs.push(dir);
  const client = new FollowClient({ url: 'http://record.test', arrangement: 'southern-syria', token: 't', fetch: servedRecord(log) });
  const pool = new EntryCheckPool(2);
  const f = new Follower({ dir, url: 'http://record.test', arrangement: 'southern-syria', token: 't', client, pool, appendBatch: 256 });
  try {
    const r = await f.round();
    assert.equal(r.stopped, true);
    assert.deepEqual(
      r.discrepancies.map((d) => [d.kind, d.index]),
      [['replay', 768]],
    );
    // The three batches before the one that repeats a statement, and nothing after it.
    assert.equal(r.appended, 768);
  } finally {
    await f.close();
    await pool.close();
  }
});
