// The bench in the demo and on the command line: the demo starts with round 1's model
// and the mediator puts round 2's when it opens round 2, so after the talks the bench
// holds round 2's, which only the mediator reads; a bad --bench file stops `detente
// serve` and `detente demo` with exit 2 before anything starts, naming the file and field.
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { parse as parseYaml } from 'yaml';
import { benchOf } from '../src/server/core/bench-store.ts';
import { EXAMPLE_DIR, startDemo } from '../src/sim/demo.ts';
import { detente } from './helpers/record-bundle.ts';
import { EXAMPLE } from './helpers/server.ts';

const yamlOf = (name: string) => parseYaml(readFileSync(join(EXAMPLE_DIR, name), 'utf8'));

test("the demo's bench: round 2's model after the talks, stored beside the record", async () => {
  const dir = mkdtempSync(join(tmpdir(), 'detente-bench-demo-'));
  const demo = await startDemo({ dataDir: dir, port: 0, host: '127.0.0.1', speed: 1, witnesses: false });
  try {
    const d = demo.server.deployment;
    assert.equal(d.talks.announcement?.draft, 3, 'both rounds were announced');
    assert.deepEqual(benchOf(d).view().model, yamlOf('bench-round2.yaml'));
    assert.deepEqual(JSON.parse(readFileSync(join(dir, 'record', d.id, 'bench.json'), 'utf8')), yamlOf('bench-round2.yaml'));
    const get = (actor: string) =>
      fetch(new URL(`/api/arrangements/${d.id}/talks/bench`, demo.server.url), { headers: { authorization: `Bearer ${d.tokens[actor]}` } });
    const ru = await get('ru');
    assert.equal(ru.status, 200);
    assert.deepEqual(((await ru.json()) as { model: unknown }).model, yamlOf('bench-round2.yaml'));
    for (const a of ['il', 'sy', 'us', 'undof', 'tr']) assert.equal((await get(a)).status, 403, a);
  } finally {
    await demo.stop();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a bad --bench file: serve and demo exit 2 naming the file and each bad field, and start nothing', () => {
  const dir = mkdtempSync(join(tmpdir(), 'detente-bench-cli-'));
  try {
    const bad = join(dir, 'bench.yaml');
    writeFileSync(
      bad,
      'issues:\n  - id: x\n    parties:\n      il: { position: 1, reservation: 2, direction: up }\n      sy: { position: 3, reservation: 2, direction: less }\n',
    );
    const data = join(dir, 'data');
    for (const args of [
      ['serve', '--arrangement', EXAMPLE, '--data', data, '--port', '0', '--bench', bad],
      ['demo', '--data', data, '--port', '0', '--bench', bad],
    ]) {
      const r = detente(args);
      assert.equal(r.code, 2, `${args[0]}: ${r.stderr}`);
      assert.equal(r.stderr, `${bad}: issues[0].parties.il.direction: expected "more" or "less"\n`, args[0]);
      assert.equal(existsSync(data), false, `${args[0]} made its data directory`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
