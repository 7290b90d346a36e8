// The evidence rules documented by example: each testdata/in/NAME.ndjson, run by
// the engine under testdata/arrangement.yaml with 1-based line numbers as refs (as
// `detente check --basis` does) to the end of the stream, gives testdata/out/NAME.ndjson.
// UPDATE=1 rewrites the outputs; review the diff before committing it.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { test } from 'node:test';
import { loadArrangement } from '../arrangement/load.ts';
import { Monitor } from './engine.ts';
import { parseReportByJson } from './reports.ts';

const dir = new URL('./testdata/', import.meta.url);
const arrangement = loadArrangement(new URL('arrangement.yaml', dir).pathname);

function run(input: string): string {
  const m = new Monitor(arrangement);
  const out: string[] = [];
  input
    .split('\n')
    .filter((l) => l.trim() !== '')
    .forEach((line, i) => {
      for (const f of m.push(parseReportByJson(line), i + 1)) out.push(JSON.stringify(f));
    });
  for (const f of m.finish(m.now)) out.push(JSON.stringify(f));
  return out.map((l) => l + '\n').join('');
}

const cases = readdirSync(new URL('in/', dir)).filter((f) => f.endsWith('.ndjson'));

test('there are evidence fixtures', () => {
  assert.ok(cases.length >= 4, `only ${cases.length}`);
});

for (const name of cases) {
  test(`evidence fixture ${name}`, () => {
    const got = run(readFileSync(new URL(`in/${name}`, dir), 'utf8'));
    const outUrl = new URL(`out/${name}`, dir);
    if (process.env.UPDATE === '1') writeFileSync(outUrl, got);
    assert.equal(got, readFileSync(outUrl, 'utf8'));
  });
}
