import assert from 'node:assert/strict';
import { test } from 'node:test';
import { generateCosigner } from '../../record/cosignature.ts';
import type { Log } from '../../record/log.ts';
import { openSqliteLog } from '../../store/open-log.ts';
import { newSigner, ORIGIN, tempDir, makeEntries } from '../../../test/helpers/record-fixtures.ts';
import { eventually, makeTestWitness, type TestWitness } from '../../../test/helpers/test-witness.ts';
import { WitnessClient, type WitnessTarget } from './witness-client.ts';

/** A log of `n` entries appended one by one, with the checkpoint signed after each. */
async function logWithCheckpoints(t: Parameters<typeof tempDir>[0], n: number): Promise<{ log: Log; notes: string[] }> {
  const notes: string[] = [];
  const log = await openSqliteLog({
    dir: tempDir(t),
    origin: ORIGIN,
    logSigner: newSigner(ORIGIN),
    checkpointIntervalMs: 0,
    onCheckpoint: (note) => notes.push(note),
  });
  t.after(() => log.close());
  const author = newSigner('il');
  for (const e of makeEntries(n, [author])) {
    await log.append(e);
    await eventually('checkpoint', 2000, () => (notes.length > 0 && notes.at(-1)!.includes(`\n${log.size}\n`) ? true : undefined));
  }
  return { log, notes };
}

async function listening(t: { after: (fn: () => Promise<void>) => void }, log: Log): Promise<TestWitness> {
  const w = makeTestWitness('w-test');
  w.trust(ORIGIN, log.verifierKey);
  await w.listen();
  t.after(() => w.close());
  return w;
}

function client(log: Log, target: WitnessTarget, warnings: string[] = []): WitnessClient {
  return new WitnessClient(target, 0, {
    timing: { minBackoffMs: 10, maxBackoffMs: 100, timeoutMs: 2000 },
    proof: (old, size) => log.consistencyProof(old, size),
    acknowledged: () => {},
    cosigned: () => {},
    warn: (m) => warnings.push(m),
    now: Date.now,
  });
}

test('checkpoints signed while a request is in flight are coalesced: only the newest is sent next', async (t) => {
  const { log, notes } = await logWithCheckpoints(t, 5);
  const w = await listening(t, log);
  w.delayMs = 200;
  const c = client(log, { name: w.name, key: w.vkey, url: w.url });
  t.after(() => c.close());
  for (const note of notes.slice(1)) c.offer(note, Number(note.split('\n')[1]));
  await eventually('the newest acknowledged', 5000, () => (c.view().cosigned?.size === 5 ? true : undefined));
  assert.deepEqual(w.answers, [200, 200], 'the first checkpoint, then only the newest');
  assert.equal(w.state.get(ORIGIN)?.size, 5);
});

test('a cosignature that does not verify under the named key is ignored, and said so', async (t) => {
  const { log, notes } = await logWithCheckpoints(t, 2);
  const w = await listening(t, log);
  const impostor = generateCosigner(w.name).cosigner.vkey; // the same name, another key
  const warnings: string[] = [];
  const c = client(log, { name: w.name, key: impostor, url: w.url }, warnings);
  t.after(() => c.close());
  c.offer(notes.at(-1)!, 2);
  await eventually('acknowledged', 5000, () => (c.view().size === 2 ? true : undefined));
  assert.equal(c.view().cosigned, undefined);
  assert.match(c.view().lastError?.message ?? '', /without a valid cosignature/);
  assert.ok(warnings.some((m) => /does not verify/.test(m)));
});

test('a witness holding more entries than our newest checkpoint has seen another history', async (t) => {
  const { log, notes } = await logWithCheckpoints(t, 3);
  const w = await listening(t, log);
  w.state.set(ORIGIN, { size: 100, root: new Uint8Array(32) });
  const warnings: string[] = [];
  const c = client(log, { name: w.name, key: w.vkey, url: w.url }, warnings);
  t.after(() => c.close());
  c.offer(notes.at(-1)!, 3);
  const forked = await eventually('forked', 5000, () => c.view().forked);
  assert.match(forked, /holds 100 entries, more than our newest checkpoint's 3/);
  assert.equal(w.answers[0], 409);
  assert.ok(warnings.some((m) => /^FORK/.test(m)));
});

test('no URL: nothing is sent', async (t) => {
  const { log, notes } = await logWithCheckpoints(t, 1);
  const w = await listening(t, log);
  const c = client(log, { name: w.name, key: w.vkey });
  c.offer(notes.at(-1)!, 1);
  await new Promise((r) => setTimeout(r, 100));
  assert.deepEqual(w.answers, []);
  assert.equal(c.view().url, false);
});
