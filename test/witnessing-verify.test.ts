// `detente export` carries the witnessed checkpoint; `detente verify --witness … --quorum N`
// demands it (or the genesis's witnesses do); and `detente verify` remembers the last
// checkpoint it verified per log, so a second history signed with the same log key
// is shown as a fork, written out, and not remembered.
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { generateCosigner } from '../src/record/cosignature.ts';
import { appendEntries, detente } from './helpers/record-bundle.ts';
import { newSigner } from './helpers/record-fixtures.ts';
import { BASE, json, observation } from './helpers/server.ts';
import { eventually, logKeyFor, makeTestWitness, startWitnessedServer, TEST_ORIGIN, witnessedSource } from './helpers/test-witness.ts';

const dirs: string[] = [];
after(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});
function tmp(): string {
  const d = mkdtempSync(join(tmpdir(), 'detente-witnessing-verify-'));
  dirs.push(d);
  return d;
}

test('export carries the witnessed checkpoint; verify --witness --quorum passes and fails naming the witness missing', async () => {
  const root = tmp();
  const data = join(root, 'data');
  const key = logKeyFor(data);
  const ws = [makeTestWitness('w-il'), makeTestWitness('w-sy')];
  for (const w of ws) {
    w.trust(TEST_ORIGIN, key);
    await w.listen();
  }
  const s = await startWitnessedServer({ dir: data, source: witnessedSource(ws, 2), urls: new Map(ws.map((w) => [w.name, w.url])) });
  try {
    for (let i = 0; i < 3; i++)
      await json(await s.as('undof', 'POST', `${BASE}/reports`, observation(`v-${i}`, `sy-v${i}`, 'sy', { troops: 1 }, '2025-12-27T07:00:00Z')), 202);
    const size = s.deployment.log.size;
    await eventually('witnessed', 5000, () => (s.deployment.witnessing?.witnessed?.size === size ? true : undefined));
  } finally {
    await s.stop();
    for (const w of ws) await w.close();
  }
  const bundle = join(root, 'bundle');
  const e = detente(['export', '--data', data, '--out', bundle]);
  assert.equal(e.code, 0, e.stderr);
  assert.match(e.stdout, /the witnessed checkpoint/);
  assert.equal(readFileSync(join(bundle, 'checkpoint'), 'utf8').split('\n— ').length, 4, 'the log signature and two cosignatures');

  const state = (n: string) => ['--state', join(root, `state-${n}.json`)];
  const both = detente(['verify', bundle, '--witness', ws[0].vkey, '--witness', ws[1].vkey, ...state('a')]);
  assert.equal(both.code, 0, both.stderr);
  assert.match(both.stdout, /cosigned by w-il .*w-sy/);

  const stranger = generateCosigner('w-us').cosigner.vkey;
  const missing = detente(['verify', bundle, '--witness', ws[0].vkey, '--witness', stranger, ...state('b')]);
  assert.equal(missing.code, 1);
  assert.match(missing.stderr, /1 of the 2 witness cosignature\(s\) required; no valid cosignature by w-us\+/);
  assert.ok(!existsSync(join(root, 'state-b.json')), 'a checkpoint without its quorum is not remembered');

  const one = detente(['verify', bundle, '--witness', ws[0].vkey, '--witness', stranger, '--quorum', '1', ...state('c')]);
  assert.equal(one.code, 0, one.stderr);

  // No --witness: the genesis names the witnesses and the quorum.
  const genesis = detente(['verify', bundle, ...state('d')]);
  assert.equal(genesis.code, 0, genesis.stderr);
  assert.match(genesis.stdout, /2 required of the genesis's witnesses/);

  // The newest log-signed checkpoint, uncosigned: the genesis's witnesses refuse it.
  const latest = join(root, 'latest');
  assert.equal(detente(['export', '--data', data, '--out', latest, '--latest']).code, 0);
  const bare = detente(['verify', latest, ...state('e')]);
  assert.equal(bare.code, 1);
  assert.match(bare.stderr, /0 of the 2 witness cosignature\(s\) required; no valid cosignature by w-il\+.*w-sy\+/);
  assert.equal(detente(['verify', latest, '--quorum', '0', ...state('e')]).code, 0);
});

test('verify remembers: a later bundle must extend the remembered checkpoint; a second history is a fork', async () => {
  const root = tmp();
  const logSigner = newSigner(TEST_ORIGIN);
  const [il, sy] = [newSigner('il'), newSigner('sy')];
  const stateFile = join(root, 'state', 'verify-state.json');
  const st = ['--state', stateFile];

  const a = join(root, 'a');
  await appendEntries(a, logSigner, [il, sy], 0, 3);
  assert.equal(detente(['export', '--data', a, '--out', join(root, 'a3')]).code, 0);
  const first = detente(['verify', join(root, 'a3'), ...st]);
  assert.equal(first.code, 0, first.stderr);
  const remembered = JSON.parse(readFileSync(stateFile, 'utf8')).logs[TEST_ORIGIN];
  assert.equal(remembered.size, 3);

  await appendEntries(a, logSigner, [il, sy], 3, 6);
  assert.equal(detente(['export', '--data', a, '--out', join(root, 'a6'), '--since', '3']).code, 0);
  const next = detente(['verify', join(root, 'a6'), ...st]);
  assert.equal(next.code, 0, next.stderr);
  assert.match(next.stdout, /consistent with the remembered checkpoint for 3 entries/);
  assert.match(next.stdout, /consistency proof from 3 entries verifies/);
  assert.equal(JSON.parse(readFileSync(stateFile, 'utf8')).logs[TEST_ORIGIN].size, 6);

  // The same log key, another history (authors in the other order: other entries).
  const b = join(root, 'b');
  await appendEntries(b, logSigner, [sy, il], 0, 8);
  assert.equal(detente(['export', '--data', b, '--out', join(root, 'b8')]).code, 0);
  assert.equal(detente(['verify', join(root, 'b8'), '--no-state']).code, 0, 'the second history holds on its own');
  const fork = detente(['verify', join(root, 'b8'), ...st]);
  assert.equal(fork.code, 1);
  assert.match(fork.stderr, /the log forked/);
  const kept = JSON.parse(readFileSync(stateFile, 'utf8')).logs[TEST_ORIGIN];
  assert.equal(kept.size, 6, 'the state is not advanced');
  assert.ok(fork.stderr.includes(kept.checkpoint.trimEnd()), 'the remembered checkpoint is printed');
  assert.ok(fork.stderr.includes(readFileSync(join(root, 'b8', 'checkpoint'), 'utf8').trimEnd()), 'the offered one too');
  const files = readdirSync(join(root, 'state')).filter((f) => f.startsWith('fork-'));
  assert.equal(files.length, 1);
  const published = readFileSync(join(root, 'state', files[0]), 'utf8');
  assert.ok(published.includes(kept.checkpoint.trimEnd()) && published.includes(readFileSync(join(root, 'b8', 'checkpoint'), 'utf8').trimEnd()));

  // An older bundle of the true log cannot show it extends what was verified: refused, not a fork.
  const older = detente(['verify', join(root, 'a3'), ...st]);
  assert.equal(older.code, 1);
  assert.match(older.stderr, /fewer than the 6 verified before/);
});
