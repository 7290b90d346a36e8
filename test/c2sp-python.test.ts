// The record checked by a party's own tool in another language: test/interop/c2sp.py,
// written in Python from the C2SP texts alone (signed-note, tlog-checkpoint,
// tlog-witness v1.0.0, tlog-cosignature v1, tlog-tiles) and sharing no code with ours.
// It first proves itself on other implementations' vectors, then meets each of our parts
// in the role a party would give it: as a log against `detente witness` (every status),
// as a witness our server submits to (its cosignatures reach the quorum), and as a
// tlog-tiles client rebuilding our log's root from its tiles.
import assert from 'node:assert/strict';
import { type ChildProcess, execFile, spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { type TestContext, test } from 'node:test';
import { promisify } from 'node:util';
import { BASE, ID, json, observation } from './helpers/server.ts';
import { eventually, logKeyFor, startWitnessedServer, witnessedSource } from './helpers/test-witness.ts';

const PY = new URL('./interop/c2sp.py', import.meta.url).pathname;
const TESTDATA = new URL('../src/record/testdata', import.meta.url).pathname;
const BIN = new URL('../bin/detente.js', import.meta.url).pathname;

// CI installs python3-cryptography (.ci/run): there the tests never skip.
const probe = spawnSync('python3', ['-c', 'import cryptography'], { encoding: 'utf8' });
const why = probe.status === 0 ? false : process.env.CI ? false : 'python3 with cryptography is not installed (Debian: python3-cryptography)';

/** c2sp.py run to its end. Synchronous: only while no server of this process must answer it. */
function py(args: string[]): string {
  const r = spawnSync('python3', [PY, ...args], { encoding: 'utf8', timeout: 60_000 });
  assert.equal(r.status, 0, `c2sp.py ${args[0]}: ${r.stderr}`);
  return r.stdout.trim();
}

/** c2sp.py run to its end while this process goes on serving (the client reads our server). */
async function pyAsync(args: string[]): Promise<string> {
  const { stdout } = await promisify(execFile)('python3', [PY, ...args], { timeout: 60_000 });
  return stdout.trim();
}

/** A long-running process that prints its verifier key, then "listening at URL". */
function listening(t: TestContext, cmd: string, args: string[]): Promise<{ vkey: string; url: string; proc: ChildProcess }> {
  const proc = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  t.after(() => {
    if (proc.exitCode === null && proc.signalCode === null) proc.kill('SIGKILL');
  });
  let stderr = '';
  proc.stderr?.on('data', (d) => (stderr += d));
  return new Promise((resolve, reject) => {
    let vkey: string | undefined;
    createInterface({ input: proc.stdout! }).on('line', (line) => {
      vkey ??= line;
      const m = /listening at (http:\/\/\S+)/.exec(line);
      if (m) resolve({ vkey, url: m[1].replace(/\/$/, ''), proc });
    });
    proc.on('exit', (code) => reject(new Error(`${args[0]} exited (${code}) before listening: ${stderr}`)));
  });
}

test('the Python reference agrees with the Go-made witness vectors and transparency-dev consistency probes', { skip: why }, () => {
  const checks = JSON.parse(py(['vectors', TESTDATA])) as Record<string, boolean>;
  for (const [what, ok] of Object.entries(checks)) assert.equal(ok, true, what);
  assert.ok(Object.keys(checks).length >= 8);
});

test('a log written in Python meets detente witness: every status of tlog-witness v1.0.0, cosignatures it verifies', {
  skip: why,
  timeout: 120_000,
}, async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'detente-c2sp-py-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const seed = randomBytes(32).toString('hex');
  const [origin, fresh, unknown] = ['example.org/py-log', 'example.org/py-fresh', 'example.org/py-unknown'];
  const logs = [origin, fresh].flatMap((o) => ['--log', `${o}=${py(['vkey', '--name', o, '--seed', seed])}`]);
  const w = await listening(t, process.execPath, [BIN, 'witness', '--data', join(dir, 'w'), '--port', '0', '--name', 'detente.example/w', ...logs]);
  const out = JSON.parse(
    py(['log-run', '--url', w.url, '--witness-vkey', w.vkey, '--seed', seed, '--origin', origin, '--fresh', fresh, '--unknown', unknown]),
  ) as { case: string; status: number; type: string | null; body: string; cosigned?: boolean }[];
  const by = new Map(out.map((r) => [r.case, r]));
  const expect: [string, number][] = [
    ['first', 200],
    ['extend', 200],
    ['same again', 200],
    ['stale old', 409],
    ['bad proof', 422],
    ['old above size', 400],
    ['proof from zero', 422],
    ['unknown origin', 404],
    ['another key', 403],
    ['bad signature', 403],
    ['malformed', 400],
    ['after all that', 200],
  ];
  for (const [c, status] of expect) assert.equal(by.get(c)?.status, status, `${c}: ${JSON.stringify(by.get(c))}`);
  for (const [c, status] of expect) if (status === 200) assert.equal(by.get(c)?.cosigned, true, `${c}: the cosignature verifies in Python`);
  // 409 names the witness's size, typed as the spec says, so the log can resend from it.
  assert.equal(by.get('stale old')?.body, '12\n');
  assert.match(by.get('stale old')?.type ?? '', /^text\/x\.tlog\.size/);
});

test('our log submits to a witness written in Python, and a Python tlog-tiles client rebuilds the witnessed root', {
  skip: why,
  timeout: 120_000,
}, async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'detente-c2sp-py-'));
  const logVkey = logKeyFor(dir);
  const origin = logVkey.split('+')[0];
  const w = await listening(t, 'python3', [
    PY,
    'witness',
    '--name',
    'py.example/witness',
    '--seed',
    randomBytes(32).toString('hex'),
    '--log',
    `${origin}=${logVkey}`,
  ]);
  const s = await startWitnessedServer({
    dir,
    source: witnessedSource([{ name: 'py.example/witness', vkey: w.vkey }], 1),
    urls: new Map([['py.example/witness', w.url]]),
  });
  t.after(() => s.destroy());
  // More than one full tile (256 entries), so the client meets full and partial tiles.
  for (let i = 0; i < 300; i++)
    await json(await s.as('undof', 'POST', `${BASE}/reports`, observation(`py-${i}`, `sy-py-${i}`, 'sy', { troops: 1 }, '2025-12-27T07:00:00Z')), 202);
  await s.deployment.recordFindings();
  const size = s.deployment.log.size;
  assert.ok(size > 256, `log size ${size}`);
  await eventually('the Python witness cosigned the head', 10_000, async () => {
    const r = await s.as('tr', 'GET', `${BASE}/record/checkpoint`);
    return r.statusCode === 200 && r.headers['detente-witnessed'] === 'quorum' && r.body.split('\n')[1] === String(size) ? r : undefined;
  });
  // Read as a party reads it: with its own token (the deployment does not make the log public).
  const url = await s.app.listen({ port: 0, host: '127.0.0.1' });
  const seen = JSON.parse(
    await pyAsync(['client', '--url', `${url}/log/${ID}/`, '--log-vkey', logVkey, '--witness-vkey', w.vkey, '--token', s.tokens.sy]),
  ) as Record<string, unknown>;
  assert.deepEqual(seen, { origin, size, log_signed: true, cosigned_by: ['py.example/witness'], entries: size, root_matches: true });
});
