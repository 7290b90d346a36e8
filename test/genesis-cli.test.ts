// The genesis made offline: `detente genesis` prints the statement, each party signs it
// with `detente keys sign`, and `detente serve --endorsement …` starts only with all of
// them; `detente verify` refuses a record whose genesis lacks one.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { test } from 'node:test';
import { generateKey, parseSignerKey } from '../src/record/keys.ts';
import { endorse, makeEntry, signStatement } from '../src/record/statement.ts';
import { logDir } from '../src/store/layout.ts';
import { openSqliteLog } from '../src/store/open-log.ts';
import { ORIGIN } from './helpers/record-fixtures.ts';
import { detente } from './helpers/record-bundle.ts';
import { EXAMPLE } from './helpers/server.ts';

const bin = new URL('../bin/detente.js', import.meta.url).pathname;

/** The example with Israel's, Syria's and the United States' own keys, made by `detente keys new --actor`. */
function setUp() {
  const dir = mkdtempSync(join(tmpdir(), 'detente-genesis-'));
  cpSync(dirname(EXAMPLE), join(dir, 'example'), { recursive: true });
  const file = join(dir, 'example', 'arrangement.yaml');
  let text = readFileSync(file, 'utf8');
  for (const id of ['il', 'sy', 'us']) {
    const made = detente(['keys', 'new', '--actor', id, '--out', join(dir, `${id}.key`)]);
    assert.equal(made.code, 0, made.stderr);
    // The actor's line, whatever languages its name is written in.
    text = text.replace(new RegExp(`(\\{ id: ${id}, .*, role: [a-z-]+) \\}`), `$1, keys: ["${made.stdout.trim()}"] }`);
  }
  writeFileSync(file, text);
  return { dir, file, data: join(dir, 'data') };
}

/** Runs `detente serve` until it prints that it serves (then stops it) or exits. */
function serve(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [bin, 'serve', '--port', '0', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (b) => {
      stdout += b;
      if (stdout.includes('serving')) child.kill('SIGTERM');
    });
    child.stderr.on('data', (b) => {
      stderr += b;
    });
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

test('serve without a party’s endorsement exits 2 naming it; with every endorsement made offline it starts, and verify passes', async () => {
  const { dir, file, data } = setUp();
  const common = ['--arrangement', file, '--data', data, '--custodial', 'ru,undof,tr'];
  const g = detente(['genesis', '--arrangement', file, '--custodial', 'ru,undof,tr', '--server-keys', data]);
  assert.equal(g.code, 0, g.stderr);
  writeFileSync(join(dir, 'genesis.json'), g.stdout);
  const files: Record<string, string> = {};
  for (const id of ['il', 'sy', 'us']) {
    const r = detente(['keys', 'sign', '--key', join(dir, `${id}.key`), '--statement', join(dir, 'genesis.json')]);
    assert.equal(r.code, 0, r.stderr);
    files[id] = join(dir, `${id}.endorsement.json`);
    writeFileSync(files[id], r.stdout);
  }
  const lacking = await serve([...common, '--endorsement', files.il, '--endorsement', files.us]);
  assert.equal(lacking.code, 2, lacking.stderr);
  assert.match(lacking.stderr, /lacks the endorsement of "sy" \(party, by one of sy\+/);
  assert.doesNotMatch(lacking.stderr, /"il"|"us"/);
  const started = await serve([...common, '--endorsement', files.il, '--endorsement', files.sy, '--endorsement', files.us]);
  assert.match(started.stdout, /serving southern-syria/, started.stderr);
  const bundle = join(dir, 'bundle');
  const exported = detente(['export', '--data', data, '--out', bundle]);
  assert.equal(exported.code, 0, exported.stderr);
  const verified = detente(['verify', bundle]);
  assert.equal(verified.code, 0, verified.stderr);
  assert.doesNotMatch(verified.stdout, /genesis has no endorsements/);
  // The genesis recorded is the one printed offline, byte for byte.
  const first = JSON.parse(readFileSync(join(bundle, 'entries.ndjson'), 'utf8').split('\n')[0]);
  assert.equal(JSON.stringify(first.statement), g.stdout.trim());
});

test('verify refuses a record whose genesis lacks the guarantor’s endorsement, naming it', async () => {
  const signer = (n: string) => parseSignerKey(generateKey(n).skey);
  const [il, sy, ru, us] = ['il', 'sy', 'ru', 'us'].map(signer);
  const body = {
    sha256: '00',
    keys: { il: [il.verifier.vkey], sy: [sy.verifier.vkey], ru: [ru.verifier.vkey], us: [us.verifier.vkey] },
    roles: { il: 'party', sy: 'party', ru: 'mediator', us: 'guarantor' },
  };
  const signed = signStatement(ru, { type: 'arrangement', arrangement: 'southern-syria', body, time: '2025-12-29T00:00:00.000Z' });
  const dir = mkdtempSync(join(tmpdir(), 'detente-genesis-'));
  const log = await openSqliteLog({ dir: logDir(join(dir, 'data'), 'southern-syria'), origin: ORIGIN, logSigner: signer(ORIGIN), checkpointIntervalMs: 0 });
  await log.append(makeEntry(signed, new Date(), false, [endorse(il, signed.statement), endorse(sy, signed.statement)]));
  await log.close();
  const exported = detente(['export', '--data', join(dir, 'data'), '--out', join(dir, 'bundle')]);
  assert.equal(exported.code, 0, exported.stderr);
  const r = detente(['verify', join(dir, 'bundle')]);
  assert.equal(r.code, 1, r.stdout + r.stderr);
  assert.match(r.stderr, /entry 0: genesis lacks the endorsement of "us" \(guarantor\)/);
});
