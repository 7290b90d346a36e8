// `detente check --basis`: each finding names, as 1-based line numbers, the report lines
// it rests on; without the flag the output carries no basis at all.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

const ROOT = new URL('..', import.meta.url).pathname;
const FIX = 'test/fixtures/small/';

function check(args: string[]): { id: string; basis?: number[]; report?: string }[] {
  const r = spawnSync(process.execPath, ['bin/detente.js', 'check', '--until', 'last', ...args], { cwd: ROOT, encoding: 'utf8' });
  assert.ok(r.status === 0 || r.status === 1, r.stderr);
  return r.stdout
    .trim()
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l));
}

test('check --basis: every finding names the lines of its reports, the trigger among them; plain check names none', () => {
  const file = FIX + 'clean.ndjson';
  const lines = readFileSync(ROOT + file, 'utf8').split('\n');
  const withBasis = check(['--basis', FIX + 'arrangement.yaml', file]);
  const plain = check([FIX + 'arrangement.yaml', file]);
  assert.ok(withBasis.length > 0);
  assert.deepEqual(
    withBasis.map(({ basis: _b, ...f }) => f),
    plain,
  );
  for (const f of plain) assert.equal('basis' in f, false);
  for (const f of withBasis) {
    assert.ok(Array.isArray(f.basis) && f.basis.length > 0, JSON.stringify(f));
    const ids = f.basis.map((n) => JSON.parse(lines[n - 1]).id);
    if (f.report) assert.ok(ids.includes(f.report), `${f.report} in lines ${f.basis}`);
  }
});
