import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir } from '../../test/helpers/record-fixtures.ts';
import { analyzeText } from './analyze.ts';

const bin = new URL('../../bin/detente.js', import.meta.url).pathname;
const good = {
  frontier: { disagreement: [0.1, 0.3], curve: '1 - u1' },
  issues: [{ id: 'buffer-km', parties: { il: { position: 10, reservation: 4, direction: 'more' }, sy: { position: 1, reservation: 6, direction: 'less' } } }],
  stakeholders: [
    { id: 'il', position: { presence: 20 }, salience: { presence: 0.9 }, capability: 40 },
    { id: 'ru', position: { presence: 60 }, salience: { presence: 0.7 }, capability: 25 },
    { id: 'sy', position: { presence: 80 }, salience: { presence: 0.8 }, capability: 15 },
  ],
};
/** The good model with one change made by `edit`. */
// biome-ignore lint/suspicious/noExplicitAny: the edits break the model's shape on purpose
const bad = (edit: (m: any) => void) => {
  const m = structuredClone(good);
  edit(m);
  return JSON.stringify(m);
};

test('every bad model exits 2 naming the path of the bad field', () => {
  const cases: [string, string, RegExp][] = [
    ['missing disagreement', bad((m) => delete m.frontier.disagreement), /^m\.json: frontier\.disagreement: missing$/m],
    ['curve syntax error', bad((m) => (m.frontier.curve = 'sqrt(1 - u1')), /^m\.json: frontier\.curve: syntax error at position 12: expected "\)"/m],
    ['curve with an unknown name', bad((m) => (m.frontier.curve = '1 - x')), /^m\.json: frontier\.curve: syntax error at position 5: unknown name "x"/m],
    [
      'salience above 1',
      bad((m) => (m.stakeholders[1].salience.presence = 1.5)),
      /^m\.json: stakeholders\[1\]\.salience\.presence: expected a salience in \[0, 1\]$/m,
    ],
    [
      'salience below 0',
      bad((m) => (m.stakeholders[0].salience.presence = -0.1)),
      /^m\.json: stakeholders\[0\]\.salience\.presence: expected a salience in \[0, 1\]$/m,
    ],
    ['capability 0', bad((m) => (m.stakeholders[2].capability = 0)), /^m\.json: stakeholders\[2\]\.capability: expected a capability > 0$/m],
    ['capability negative', bad((m) => (m.stakeholders[2].capability = -3)), /^m\.json: stakeholders\[2\]\.capability: expected a capability > 0$/m],
    ['unknown key at the top', bad((m) => (m.forecast = {})), /^m\.json: forecast: unknown key/m],
    ['unknown key in a party', bad((m) => (m.issues[0].parties.il.walkaway = 3)), /^m\.json: issues\[0\]\.parties\.il\.walkaway: unknown key/m],
    [
      'direction other than more/less',
      bad((m) => (m.issues[0].parties.sy.direction = 'fewer')),
      /^m\.json: issues\[0\]\.parties\.sy\.direction: expected "more" or "less"$/m,
    ],
    [
      'reservation not a number',
      bad((m) => (m.issues[0].parties.il.reservation = '4')),
      /^m\.json: issues\[0\]\.parties\.il\.reservation: expected a number$/m,
    ],
    ['points and curve both', bad((m) => (m.frontier.points = [[1, 0]])), /^m\.json: frontier: expected exactly one of points, curve$/m],
    [
      'a point not a pair',
      bad((m) => {
        delete m.frontier.curve;
        m.frontier.points = [[1, 0], [1]];
      }),
      /^m\.json: frontier\.points\[1\]: expected \[u1, u2\]$/m,
    ],
    ['a position with no salience', bad((m) => (m.stakeholders[0].position.buffer = 3)), /^m\.json: stakeholders\[0\]\.salience\.buffer: missing/m],
    ['an empty model', '{}', /^m\.json: \(model\): expected at least one of frontier, issues, stakeholders$/m],
    ['not JSON or YAML', '{ "frontier": ', /^m\.json: not JSON or YAML/m],
  ];
  for (const [what, text, reason] of cases) {
    const out = analyzeText(text, 'm.json');
    assert.equal(out.code, 2, what);
    assert.equal(out.stdout, '', what);
    assert.match(out.stderr, reason, `${what}: ${out.stderr}`);
  }
});

test('all problems are reported at once', () => {
  const out = analyzeText(
    bad((m) => {
      m.stakeholders[1].salience.presence = 2;
      m.stakeholders[2].capability = 0;
      delete m.frontier.disagreement;
    }),
    'm.json',
  );
  assert.equal(out.stderr.trim().split('\n').length, 3, out.stderr);
});

test('a good model: JSON on stdout with each output key its input asks for', () => {
  const out = analyzeText(JSON.stringify(good), 'm.json');
  assert.equal(out.code, 0, out.stderr);
  const a = JSON.parse(out.stdout);
  assert.deepEqual(Object.keys(a).sort(), ['forecast', 'kalai_smorodinsky', 'nash', 'zopa']);
  assert.ok(Math.abs(a.nash.u[0] - 0.4) < 1e-6 && Math.abs(a.nash.u[1] - 0.6) < 1e-6);
  assert.deepEqual(a.zopa, [{ issue: 'buffer-km', from: 4, to: 6 }]);
  // Weights 36, 17.5, 12 at 20, 60, 80: half of 65.5 is reached at 20.
  assert.equal(a.forecast[0].median_voter, 20);
  assert.deepEqual(Object.keys(JSON.parse(analyzeText(JSON.stringify({ issues: good.issues }), 'm').stdout)), ['zopa']);
});

test('the southern-Syria bench model (YAML) gives all four answers', () => {
  const file = new URL('../analyze/testdata/southern-syria-bench.yaml', import.meta.url);
  const out = analyzeText(readFileSync(file, 'utf8'), 'southern-syria-bench.yaml');
  assert.equal(out.code, 0, out.stderr);
  const a = JSON.parse(out.stdout);
  assert.deepEqual(
    a.forecast.map((f: { issue: string }) => f.issue),
    ['presence', 'buffer'],
  );
  assert.deepEqual(a.zopa[1], { issue: 'russian-troops', from: 1200, to: 1500 });
});

test('the command: YAML from stdin, JSON from a file, a KTAB scenario; exit codes', (t) => {
  const dir = tempDir(t);
  const yaml =
    'issues:\n  - id: buffer-km\n    parties:\n      il: { position: 10, reservation: 7, direction: more }\n      sy: { position: 1, reservation: 3.5, direction: less }\n';
  const fromStdin = spawnSync(process.execPath, [bin, 'analyze', '-'], { input: yaml, encoding: 'utf8' });
  assert.equal(fromStdin.status, 0, fromStdin.stderr);
  assert.deepEqual(JSON.parse(fromStdin.stdout), { zopa: [{ issue: 'buffer-km', empty: true, gap: 3.5 }] });

  const file = join(dir, 'bad.json');
  writeFileSync(
    file,
    bad((m) => (m.stakeholders[0].capability = 0)),
  );
  const refused = spawnSync(process.execPath, [bin, 'analyze', file], { encoding: 'utf8' });
  assert.equal(refused.status, 2);
  assert.match(refused.stderr, /stakeholders\[0\]\.capability: expected a capability > 0/);

  const ktab = spawnSync(process.execPath, [bin, 'analyze', '--from', 'ktab', new URL('../analyze/testdata/ktab-soe-policy.csv', import.meta.url).pathname], {
    encoding: 'utf8',
  });
  assert.equal(ktab.status, 0, ktab.stderr);
  assert.equal(typeof JSON.parse(ktab.stdout).forecast[0].rounds[0].positions.XJ, 'number');
  const profile = (f: string) => new URL(`../analyze/testdata/${f}`, import.meta.url).pathname;
  const genius = spawnSync(process.execPath, [bin, 'analyze', '--from', 'genius', profile('genius-camera-buyer.xml'), profile('genius-camera-seller.xml')], {
    encoding: 'utf8',
  });
  assert.equal(genius.status, 0, genius.stderr);
  assert.deepEqual(Object.keys(JSON.parse(genius.stdout)), ['nash', 'kalai_smorodinsky']);
  assert.equal(spawnSync(process.execPath, [bin, 'analyze', '--from', 'genius', profile('genius-camera-buyer.xml')], { encoding: 'utf8' }).status, 2);
  assert.equal(spawnSync(process.execPath, [bin, 'analyze', '--from', 'genius-x', file], { encoding: 'utf8' }).status, 2);
  assert.equal(spawnSync(process.execPath, [bin, 'analyze'], { encoding: 'utf8' }).status, 2);
});
