// `detente check` counts only confirmed and probable findings in its exit code,
// unless --any-confidence (docs/evidence.md).
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { test } from 'node:test';

const ROOT = new URL('..', import.meta.url).pathname;
const ARR = 'src/monitor/testdata/arrangement.yaml';

function detente(args: string[], stdin: string): Promise<{ code: number; out: string; err: string }> {
  return new Promise((resolve) => {
    const p = spawn(process.execPath, ['bin/detente.js', ...args], { cwd: ROOT });
    let out = '';
    let err = '';
    p.stdout.on('data', (d) => (out += d));
    p.stderr.on('data', (d) => (err += d));
    p.on('close', (code) => resolve({ code: code ?? -1, out, err }));
    p.stdin.end(stdin);
  });
}

const claim = (id: string, outlet: string, minute: number) =>
  JSON.stringify({
    type: 'observation',
    id,
    time: `2025-12-27T10:${String(minute).padStart(2, '0')}:00Z`,
    unit: 't3-conv',
    actor: 't3',
    position: [35.85, 33.05],
    reliability: 'C3',
    claim: { outlet, published: '2025-12-27' },
  });

test('given one C3 claim left open: exit 0 (not counted) and the summary says why; with --any-confidence, exit 1', async () => {
  const one = claim('c-1', 'osint-telegram', 0) + '\n';
  const plain = await detente(['check', ARR, '-', '--until', 'last'], one);
  assert.equal(plain.code, 0, plain.err);
  assert.match(plain.err, /unconfirmed, not counted \(--any-confidence counts them\): violation r-no-third/);
  assert.equal(JSON.parse(plain.out.trim()).confidence, 'unconfirmed');
  const any = await detente(['check', ARR, '-', '--until', 'last', '--any-confidence'], one);
  assert.equal(any.code, 1, any.err);
  assert.match(any.err, /open at the end: violation r-no-third/);
});

test('given a second independent source: probable, counted, exit 1', async () => {
  const two = `${claim('c-1', 'osint-telegram', 0)}\n${claim('c-2', 'Maariv', 5)}\n`;
  const r = await detente(['check', ARR, '-', '--until', 'last'], two);
  assert.equal(r.code, 1, r.err);
  const lines = r.out
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l));
  assert.deepEqual(
    lines.map((f) => [f.state, f.confidence, f.confidence_was, f.report]),
    [
      ['open', 'unconfirmed', undefined, 'c-1'],
      ['open', 'probable', 'unconfirmed', 'c-2'],
    ],
  );
});

test('a malformed grade is a rejected line naming the field', async () => {
  const bad = JSON.stringify({ ...JSON.parse(claim('c-1', 'x', 0)), reliability: 'G9' }) + '\n';
  const r = await detente(['check', ARR, '-', '--until', 'last', '--strict'], bad);
  assert.equal(r.code, 2);
  assert.match(r.err, /\(stdin\):1: "reliability" must be an Admiralty code/);
});
