// The engine's duties in fixture style (input → expected output): each
// testdata/duties/in/NAME.ndjson is a stream of reports, …/in/NAME.rules.json the rules
// it runs under (on the engine tests' arrangement, testdoc.ts) and the time it runs
// until; …/out/NAME.ndjson the finding transitions it must give. Challenge
// requests and refusals of access are records of the server, not reports: a line with
// "type": "challenge" or "refusal" goes to the engine as one (docs/inspections.md).
// UPDATE=1 rewrites the outputs; read the diff before committing it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { parseTime } from '../arrangement/time.ts';
import { toChallenge, toRefusal } from './challenge.ts';
import { Monitor } from './engine.ts';
import type { Finding } from './findings.ts';
import { toReport } from './reports.ts';
import { testArrangement } from './testdoc.ts';

const DIR = new URL('./testdata/duties/', import.meta.url).pathname;

function run(name: string): Finding[] {
  const { rules, until } = JSON.parse(readFileSync(`${DIR}in/${name}.rules.json`, 'utf8')) as { rules: object[]; until: string };
  const m = new Monitor(testArrangement(rules));
  const out: Finding[] = [];
  const lines = readFileSync(`${DIR}in/${name}.ndjson`, 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '');
  lines.forEach((l, i) => {
    const o = JSON.parse(l) as Record<string, unknown>;
    if (o.type === 'challenge') out.push(...m.challenge(toChallenge(o), i + 1));
    else if (o.type === 'refusal') out.push(...m.refusal(toRefusal(o), i + 1));
    else out.push(...m.push(toReport(o), i + 1));
  });
  out.push(...m.finish(parseTime(until)));
  return out;
}

for (const file of readdirSync(`${DIR}in`).filter((f) => f.endsWith('.ndjson'))) {
  const name = file.replace(/\.ndjson$/, '');
  test(`fixture ${name}: the engine gives testdata/duties/out/${file}`, () => {
    const got = run(name).map((f) => JSON.stringify(f));
    if (process.env.UPDATE === '1') writeFileSync(`${DIR}out/${file}`, got.map((l) => l + '\n').join(''));
    const want = readFileSync(`${DIR}out/${file}`, 'utf8')
      .split('\n')
      .filter((l) => l !== '');
    assert.deepEqual(got, want);
  });
}
