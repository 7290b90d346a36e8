// `detente check … --format csv`: the same findings as NDJSON, as RFC 4180 CSV with the
// documented columns; a bad format or bad input still exits 2 naming it.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { test } from 'node:test';
import { FINDING_COLUMNS } from '../src/interop/csv/findings.ts';
import { parseRfc4180 } from './helpers/rfc4180.ts';

const ROOT = new URL('..', import.meta.url).pathname;
const FIX = 'test/fixtures/small/';

function detente(args: string[]): Promise<{ code: number; out: string; err: string }> {
  return new Promise((resolve) => {
    const p = spawn(process.execPath, ['bin/detente.js', ...args], { cwd: ROOT });
    let out = '';
    let err = '';
    p.stdout.on('data', (c) => (out += c));
    p.stderr.on('data', (c) => (err += c));
    p.on('close', (code) => resolve({ code: code ?? -1, out, err }));
  });
}

test('detente check --format csv: the NDJSON findings, row for row, as RFC 4180 CSV', async () => {
  const args = [FIX + 'arrangement.yaml', FIX + 'open-at-end.ndjson', '--until', 'last'];
  const [nd, csv] = await Promise.all([detente(['check', ...args]), detente(['check', '--format', 'csv', ...args])]);
  assert.equal(csv.code, nd.code, csv.err);
  const findings = nd.out
    .trim()
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l));
  assert.ok(findings.length > 0);
  const { bom, records } = parseRfc4180(csv.out);
  assert.equal(bom, false);
  assert.deepEqual(records[0], [...FINDING_COLUMNS]);
  const col = (name: string) => FINDING_COLUMNS.indexOf(name as (typeof FINDING_COLUMNS)[number]);
  assert.deepEqual(
    records.slice(1).map((r) => [r[col('seq')], r[col('time')], r[col('finding')], r[col('state')], r[col('rule')], r[col('report')]]),
    findings.map((f, i) => [String(i + 1), f.time, f.finding, f.state, f.rule, f.report ?? '']),
  );
});

test('detente check --format with an unknown format exits 2 naming it', async () => {
  const r = await detente(['check', '--format', 'xlsx', FIX + 'arrangement.yaml', FIX + 'clean.ndjson']);
  assert.equal(r.code, 2);
  assert.match(r.err, /--format must be ndjson, table or csv, not "xlsx"/);
});
