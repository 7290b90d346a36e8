import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ArrangementError, formatIssue } from './issues.ts';
import { loadArrangement, parseArrangement } from './load.ts';

const BAD = new URL('../../test/fixtures/bad-arrangements/', import.meta.url).pathname;

// Each bad arrangement names, in `# expect:` lines, text its errors must contain
// (the path in the document and the reason).
for (const name of readdirSync(BAD).filter((f) => f.endsWith('.yaml'))) {
  test(`bad arrangement ${name} is refused with its path and reason`, () => {
    const file = join(BAD, name);
    const expects = readFileSync(file, 'utf8')
      .split('\n')
      .filter((l) => l.startsWith('# expect: '))
      .map((l) => l.slice('# expect: '.length));
    assert.ok(expects.length > 0, 'fixture has expectations');
    let err: unknown;
    try {
      loadArrangement(file);
    } catch (e) {
      err = e;
    }
    assert.ok(err instanceof ArrangementError, `expected an ArrangementError, got ${String(err)}`);
    const text = err.issues.map(formatIssue).join('\n');
    for (const x of expects) assert.ok(text.includes(x), `expected "${x}" in:\n${text}`);
    for (const i of err.issues) assert.ok(i.file.length > 0 && i.message.length > 0);
  });
}

test('errors carry the line of the offending node in the YAML source', () => {
  const text = [
    'detente: 1',
    'id: t',
    'title: x',
    'actors:',
    '  - { id: a, name: A, role: party }',
    'rules:',
    '  - id: r1',
    '    kind: presence',
    '    zone: nowhere',
    '    only: [a]',
  ].join('\n');
  try {
    parseArrangement(text, { file: 'x.yaml', baseDir: '.' });
    assert.fail('should throw');
  } catch (e) {
    assert.ok(e instanceof ArrangementError);
    const i = e.issues.find((x) => x.path.join('.') === 'rules.0.zone');
    assert.ok(i, JSON.stringify(e.issues));
    assert.equal(i.line, 9);
    assert.match(formatIssue(i), /^x\.yaml:9:\d+: rules\[0\]\.zone: unknown zone "nowhere"/);
  }
});

test('a valid arrangement loads with resolved durations, times and zones', () => {
  const text = `
detente: 1
id: t
title: Test
announce_by: 2025-12-29T00:00:00Z
actors: [{ id: a, name: A, role: party }, { id: o, name: O, role: observer }]
assets: [{ id: tanks }]
lines: [{ id: l1, geometry: { type: LineString, coordinates: [[35.8, 33.0], [35.8, 33.3]] } }]
zones:
  - { id: z1, geometry: { type: Polygon, coordinates: [[[35.8, 33.0], [35.9, 33.0], [35.9, 33.1], [35.8, 33.1], [35.8, 33.0]]] } }
  - { id: b1, band: { of: l1, km: [0, 10], side: east }, minus: [z1] }
rules:
  - { id: n1, kind: notice, actor: a, zone: z1, lead: PT1H, ack: PT10M }
  - { id: i1, kind: inspection, actor: o, zones: [z1, b1], every: P15D }
`;
  const a = parseArrangement(text, { file: 't.yaml', baseDir: '.' });
  assert.equal(a.announceBy, Date.UTC(2025, 11, 29));
  const n = a.rules[0];
  assert.ok(n.kind === 'notice' && n.leadMs === 3600000 && n.ackMs === 600000);
  assert.equal(a.zoneSet.size, 2);
  const inside = new Uint8Array(2);
  a.zoneSet.locate(35.85, 33.05, null, inside);
  assert.deepEqual([...inside], [1, 0], 'inside z1, so outside b1 (minus z1)');
  a.zoneSet.locate(35.85, 33.2, null, inside);
  assert.deepEqual([...inside], [0, 1], 'east of l1 within 10 km');
  a.zoneSet.locate(35.75, 33.2, null, inside);
  assert.deepEqual([...inside], [0, 0], 'west of l1');
  // 0.1° × 0.1° at 33°N is about 11.1 km × 9.3 km.
  assert.ok(Math.abs(a.zoneSet.areaKm2(0) - 103.7) < 2, String(a.zoneSet.areaKm2(0)));
});
