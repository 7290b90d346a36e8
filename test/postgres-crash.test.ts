// Crash safety of the log on PostgreSQL, in the shape of test/record-crash.test.ts: a
// child appends with many concurrent writers and is killed with SIGKILL at random
// moments. After each kill the log must reopen with every acknowledged entry present and
// unchanged, a tree consistent with every checkpoint the child published, and appending
// must go on from there. Then the whole stored record is checked (record/check-stored).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { checkStore } from '../src/record/check-stored.ts';
import { openCheckpoint } from '../src/record/checkpoint.ts';
import { generateKey, parseSignerKey } from '../src/record/keys.ts';
import { openLog } from '../src/record/log.ts';
import { leafHash, verifyConsistency } from '../src/record/merkle.ts';
import { PgLogStore } from '../src/store/postgres/pg-log-store.ts';
import { testPostgres } from './helpers/postgres.ts';
import { ORIGIN, tempDir } from './helpers/record-fixtures.ts';

const ROUNDS = 6;
const WRITERS = 64;
const child = new URL('./helpers/record-crash-child.ts', import.meta.url).pathname;
const db = await testPostgres();

interface Round {
  acks: Map<number, string>;
  checkpoints: string[];
  readySize: number | undefined;
}

function runAndKill(url: string, schema: string, keysFile: string, delayMs: number, waitForAck: boolean): Promise<Round> {
  return new Promise((resolve, reject) => {
    const p = spawn(process.execPath, ['--import', 'tsx', child, url, schema, keysFile, String(WRITERS)], { stdio: ['ignore', 'pipe', 'pipe'] });
    const round: Round = { acks: new Map(), checkpoints: [], readySize: undefined };
    let stderr = '';
    let timer: NodeJS.Timeout | undefined;
    const kill = () => p.kill('SIGKILL');
    if (!waitForAck) timer = setTimeout(kill, delayMs);
    p.stderr.on('data', (d) => (stderr += d));
    createInterface({ input: p.stdout }).on('line', (line) => {
      const [kind, a, b] = line.split(' ');
      if (kind === 'ready') round.readySize = Number(a);
      else if (kind === 'cp') round.checkpoints.push(Buffer.from(a, 'base64').toString());
      else if (kind === 'ack') {
        round.acks.set(Number(a), b);
        if (waitForAck && !timer) timer = setTimeout(kill, delayMs);
      }
    });
    p.on('error', reject);
    p.on('close', (code, signal) => {
      clearTimeout(timer);
      if (signal !== 'SIGKILL') reject(new Error(`child ended by itself (code ${code}): ${stderr}`));
      else resolve(round);
    });
  });
}

test('PostgreSQL: SIGKILL under load loses no acknowledged entry and keeps every checkpoint', {
  skip: typeof db === 'string' ? db : undefined,
  timeout: 240_000,
}, async (t) => {
  if (typeof db === 'string') return;
  const schema = db.schema();
  const dir = tempDir(t, 'detente-pg-crash-');
  const keys = { origin: ORIGIN, log: generateKey(ORIGIN).skey, authors: ['il', 'sy', 'ru', 'us', 'undof'].map((n) => generateKey(n).skey) };
  const keysFile = join(dir, 'keys.json');
  writeFileSync(keysFile, JSON.stringify(keys));
  const logSigner = parseSignerKey(keys.log);
  const reopen = async () => openLog({ store: await PgLogStore.open({ url: db.url, schema }), origin: ORIGIN, logSigner, checkpointIntervalMs: 0 });
  const acked = new Map<number, string>();
  const checkpoints: string[] = [];
  let size = 0;

  for (let r = 0; r < ROUNDS; r++) {
    const waitForAck = r % 4 !== 3;
    const round = await runAndKill(db.url, schema, keysFile, Math.floor(Math.random() * 400), waitForAck);
    if (round.readySize !== undefined) assert.ok(round.readySize >= size, `round ${r}: reopened at ${round.readySize}, below ${size}`);
    for (const [i, h] of round.acks) {
      assert.ok(i >= size, `round ${r}: index ${i} was handed out before the kill`);
      acked.set(i, h);
    }
    if (waitForAck) assert.ok(round.acks.size > 0, `round ${r}: appending did not continue`);
    checkpoints.push(...round.checkpoints);

    const log = await reopen();
    try {
      assert.ok(log.size >= size, 'the log never shrinks');
      size = log.size;
      for (const [i, h] of round.acks) {
        assert.ok(i < size, `round ${r}: acknowledged entry ${i} is missing (size ${size})`);
        assert.equal(Buffer.from(leafHash(await log.entry(i))).toString('hex'), h, `round ${r}: entry ${i} changed`);
      }
      const root = log.root();
      for (const note of checkpoints) {
        const cp = openCheckpoint(note, logSigner.verifier.vkey, ORIGIN);
        assert.ok(cp.size <= size, `round ${r}: a checkpoint for ${cp.size} entries outlived them (size ${size})`);
        const proof = await log.consistencyProof(cp.size, size);
        assert.ok(verifyConsistency(cp.size, size, cp.root, root, proof), `round ${r}: not consistent with the checkpoint for ${cp.size}`);
      }
    } finally {
      await log.close();
    }
  }
  const log = await reopen();
  try {
    for (const [i, h] of acked) assert.equal(Buffer.from(leafHash(await log.entry(i))).toString('hex'), h);
  } finally {
    await log.close();
  }
  // The stored record as a whole: every tile re-hashed against the signed checkpoint.
  const store = await PgLogStore.open({ url: db.url, schema });
  try {
    assert.equal(await checkStore(store), undefined, 'the stored record verifies');
  } finally {
    await store.close();
  }
  t.diagnostic(`${ROUNDS} kills, ${acked.size} acknowledged entries, ${checkpoints.length} checkpoints, final size ${size}`);
});
