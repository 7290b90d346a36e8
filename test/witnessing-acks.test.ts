// A witness that never answers, or answers 500, must not delay acknowledgements: acks
// mean "durable in the log", and the witnesses only delay the witnessed head. Measured
// as a ratio against the same server with no witness, never as an absolute time.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import type { ArrangementSource } from '../src/arrangement/load.ts';
import { BASE, exampleSource, json, observation } from './helpers/server.ts';
import { logKeyFor, makeTestWitness, startWitnessedServer, TEST_ORIGIN, type WitnessMode, witnessedSource } from './helpers/test-witness.ts';

const dirs: string[] = [];
after(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

const N = 60;

/** ms for N reports posted one after another, each awaited to its 202. */
async function ackTime(mode: WitnessMode | 'none'): Promise<{ ms: number; answers: number[] }> {
  const dir = mkdtempSync(join(tmpdir(), 'detente-witnessing-acks-'));
  dirs.push(dir);
  const w = makeTestWitness(`w-${mode}`);
  w.trust(TEST_ORIGIN, logKeyFor(dir));
  w.mode = mode === 'none' ? 'ok' : mode;
  await w.listen();
  let source: ArrangementSource = exampleSource();
  if (mode !== 'none') source = witnessedSource([w], 1);
  const s = await startWitnessedServer({ dir, source, urls: new Map([[w.name, w.url]]), timing: { minBackoffMs: 5, maxBackoffMs: 50, timeoutMs: 60_000 } });
  try {
    // Warm up (JIT, first statements) before measuring.
    for (let i = 0; i < 10; i++)
      await json(await s.as('undof', 'POST', `${BASE}/reports`, observation(`warm-${i}`, `sy-w${i}`, 'sy', { troops: 1 }, '2025-12-27T07:00:00Z')), 202);
    const t0 = performance.now();
    for (let i = 0; i < N; i++)
      await json(await s.as('undof', 'POST', `${BASE}/reports`, observation(`a-${i}`, `sy-a${i}`, 'sy', { troops: 1 }, '2025-12-27T07:00:00Z')), 202);
    return { ms: performance.now() - t0, answers: [...w.answers] };
  } finally {
    await s.stop();
    await w.close();
  }
}

test('acks with a witness that never answers or answers 500 take about as long as with none', async () => {
  const none = await ackTime('none');
  const hang = await ackTime('hang');
  const fail = await ackTime('fail');
  assert.equal(hang.answers.length, 0, 'the hanging witness answered nothing');
  assert.ok(fail.answers.length > 1 && fail.answers.every((s) => s === 500), 'the failing witness was asked again and again');
  const ratio = Math.max(hang.ms, fail.ms) / none.ms;
  assert.ok(
    ratio < 4,
    `acks ${ratio.toFixed(2)}× slower with a bad witness (none ${none.ms.toFixed(0)} ms, hang ${hang.ms.toFixed(0)} ms, 500 ${fail.ms.toFixed(0)} ms)`,
  );
});
