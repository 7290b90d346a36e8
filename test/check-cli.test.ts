// `detente check` end to end, as a person or a script runs it: exit codes,
// stdout/stderr split, stdin, --strict, --format table, bad lines and bad files.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';

const ROOT = new URL('..', import.meta.url).pathname;
const FIX = 'test/fixtures/small/';

function detente(args: string[], stdin?: string): Promise<{ code: number; out: string; err: string }> {
  return new Promise((resolve) => {
    const p = spawn(process.execPath, ['bin/detente.js', ...args], { cwd: ROOT });
    let out = '';
    let err = '';
    p.stdout.on('data', (d) => (out += d));
    p.stderr.on('data', (d) => (err += d));
    p.on('close', (code) => resolve({ code: code ?? -1, out, err }));
    p.stdin.end(stdin ?? '');
  });
}

const findings = (out: string) =>
  out
    .trim()
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l));

test('exit 0 with findings on stdout and a summary on stderr when nothing is open at the end', async () => {
  const r = await detente(['check', FIX + 'arrangement.yaml', FIX + 'clean.ndjson']);
  assert.equal(r.code, 0, r.err);
  const fs = findings(r.out);
  assert.deepEqual(
    fs.map((f) => `${f.rule}:${f.state}:${f.report}`),
    ['only-o:open:o2', 'tanks-10:open:o2', 'only-o:closed:o3', 'tanks-10:closed:o3'],
  );
  assert.match(r.err, /3 reports checked/);
  assert.match(r.err, /nothing open at the end/);
});

test('exit 1 when a violation is open at the end; reports read from stdin with -', async () => {
  const r = await detente(['check', FIX + 'arrangement.yaml', '-'], readFileSync(ROOT + FIX + 'open-at-end.ndjson', 'utf8'));
  assert.equal(r.code, 1, r.err);
  assert.equal(findings(r.out).length, 2);
  assert.match(r.err, /open at the end: violation only-o u2; violation tanks-10 a in z1/);
});

test('bad report lines are rejected with line number and reason, and the rest goes on', async () => {
  const r = await detente(['check', FIX + 'arrangement.yaml', FIX + 'bad-lines.ndjson']);
  assert.equal(r.code, 1, r.err);
  const expect: [number, RegExp][] = [
    [2, /unknown report type "sighting"/],
    [3, /missing field "unit"/],
    [4, /longitude 185 is out of range/],
    [5, /latitude -91 is out of range/],
    [6, /"time": "27\/12\/2025 10:00" is not an RFC 3339 date-time/],
    [7, /duplicate report id "g1"/],
    [8, /not valid JSON/],
    [9, /not valid JSON/],
    [10, /missing field "velocity"/],
    [11, /"holdings.tanks" must be a non-negative number/],
    [12, /"to" is before "from"/],
    [13, /missing field "notification"/],
    [14, /"zones" must be a list/],
    [15, /a report must be a JSON object/],
  ];
  for (const [line, re] of expect) {
    const l = r.err.split('\n').find((x) => x.startsWith(`${FIX}bad-lines.ndjson:${line}: `));
    assert.ok(l, `line ${line} reported in:\n${r.err}`);
    assert.match(l, re);
  }
  assert.doesNotMatch(r.err, /\bat .*\.ts:\d+/, 'no stack trace');
  assert.match(r.err, /2 reports checked, 14 lines rejected/);
  assert.deepEqual(
    findings(r.out).map((f) => f.report),
    ['g2', 'g2'],
    'the good line after the bad ones was checked',
  );
});

test('--strict stops at the first bad line with exit 2', async () => {
  const r = await detente(['check', '--strict', FIX + 'arrangement.yaml', FIX + 'bad-lines.ndjson']);
  assert.equal(r.code, 2);
  assert.match(r.err, /bad-lines\.ndjson:2: unknown report type/);
  assert.doesNotMatch(r.err, /bad-lines\.ndjson:3:/);
});

test('a bad arrangement stops with all its errors and exit 2; missing files and bad options too', async () => {
  const r = await detente(['check', 'test/fixtures/bad-arrangements/several-at-once.yaml', FIX + 'clean.ndjson']);
  assert.equal(r.code, 2);
  assert.match(r.err, /rules\[0\]\.zone: unknown zone "nope"/);
  assert.match(r.err, /rules\[1\]\.km: must be greater than 0/);
  assert.equal(r.out, '');
  for (const args of [
    ['check', 'no-such.yaml', FIX + 'clean.ndjson'],
    ['check', FIX + 'arrangement.yaml', 'no-such.ndjson'],
    ['check', FIX + 'arrangement.yaml'],
    ['check', '--format', 'xml', FIX + 'arrangement.yaml', FIX + 'clean.ndjson'],
    ['check', '--bogus', FIX + 'arrangement.yaml', FIX + 'clean.ndjson'],
    ['frobnicate'],
  ]) {
    const x = await detente(args);
    assert.equal(x.code, 2, args.join(' '));
    assert.ok(x.err.length > 0);
    assert.doesNotMatch(x.err, /\bat .*\.ts:\d+/, 'no stack trace');
  }
});

test('--format table prints a readable table with the citation', async () => {
  const r = await detente(['check', '--format', 'table', FIX + 'arrangement.yaml', FIX + 'clean.ndjson']);
  assert.equal(r.code, 0);
  const lines = r.out.trim().split('\n');
  assert.match(lines[0], /^TIME\s+FINDING\s+STATE\s+RULE\s+SUBJECT\s+DETAIL$/);
  assert.equal(lines.length, 5);
  assert.match(lines[1], /^2025-12-27 10:01:00\s+violation\s+open\s+only-o\s+u2\s+category army; report o2 \[Test §1\]$/);
  assert.match(lines[2], /tanks 20 > max 10/);
});

test('detente validate lists zones with computed areas; a bad arrangement exits 2 with its errors', async () => {
  const ok = await detente(['validate', FIX + 'arrangement.yaml']);
  assert.equal(ok.code, 0, ok.err);
  // 0.1° × 0.1° at 33° N: 11.12 km × 9.33 km ≈ 103.7 km².
  const m = /^\s+z1\s+([\d.,]+) km²\s+Square/m.exec(ok.out);
  assert.ok(m, ok.out);
  assert.ok(Math.abs(Number(m[1].replace(/,/g, '')) - 103.7) < 1.5, m[1]);
  assert.match(ok.out, /only-o\s+presence\s+Test §1/);
  const bad = await detente(['validate', 'test/fixtures/bad-arrangements/unknown-zone.yaml']);
  assert.equal(bad.code, 2);
  assert.match(bad.err, /rules\[0\]\.zone: unknown zone "z9"/);
});
