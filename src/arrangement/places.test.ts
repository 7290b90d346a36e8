import assert from 'node:assert/strict';
import { test } from 'node:test';
import { formatIssue } from './issues.ts';
import { loadArrangement, parseArrangement } from './load.ts';

const BASE = `
detente: 1
id: t
title: { en: Test, ar: اختبار }
actors:
  - { id: a, name: { en: Alpha, ru: Альфа }, role: party }
  - { id: m, name: Mediator, role: mediator }
zones:
  - id: z
    name: { en: Zone, he: אזור }
    geometry: { type: Polygon, coordinates: [[[35, 33], [35.1, 33], [35.1, 33.1], [35, 33]]] }
`;

// Inline places need no file; the base directory is only for `{ file }` references.
const parse = (extra: string) => parseArrangement(BASE + extra, { file: 't.yaml', baseDir: '/nonexistent' });

function problems(extra: string): string[] {
  try {
    parse(extra);
  } catch (e) {
    return (e as { issues: Parameters<typeof formatIssue>[0][] }).issues.map(formatIssue);
  }
  return [];
}

const place = (props: string, geometry = '{ type: Point, coordinates: [35.82, 33.12] }') => `{ type: Feature, properties: ${props}, geometry: ${geometry} }`;

test('names in several languages keep a plain name for the engine and every translation beside it', () => {
  const a = parse('');
  assert.equal(a.title, 'Test');
  assert.deepEqual(a.titles, { en: 'Test', ar: 'اختبار' });
  assert.equal(a.actors[0].name, 'Alpha');
  assert.deepEqual(a.actors[0].names, { en: 'Alpha', ru: 'Альфа' });
  assert.equal(a.actors[1].name, 'Mediator');
  assert.equal(a.actors[1].names, undefined);
  assert.equal(a.zones[0].name, 'Zone');
  assert.deepEqual(a.zones[0].names, { en: 'Zone', he: 'אזור' });
});

test('a name without English takes the first language written as its plain name', () => {
  const a = parseArrangement(BASE.replace('{ en: Zone, he: אזור }', '{ he: אזור, ar: منطقة }'), { file: 't.yaml', baseDir: '/' });
  assert.equal(a.zones[0].name, 'אזור');
});

test('a bad translation table is refused with the path of the bad language', () => {
  assert.match(problems('').join('\n'), /^$/);
  const bad = (name: string) =>
    (() => {
      try {
        parseArrangement(BASE.replace('{ en: Zone, he: אזור }', name), { file: 't.yaml', baseDir: '/' });
        return [];
      } catch (e) {
        return (e as { issues: Parameters<typeof formatIssue>[0][] }).issues.map(formatIssue);
      }
    })();
  assert.match(bad('{ EN: Zone }').join('\n'), /zones\[0\]\.name\.EN: "EN" is not a language tag/);
  assert.match(bad('{ en: "" }').join('\n'), /zones\[0\]\.name\.en: expected a non-empty string/);
  assert.match(bad('{}').join('\n'), /zones\[0\]\.name: gives no language/);
  assert.match(bad('[Zone]').join('\n'), /zones\[0\]\.name: expected a string, or an object of texts by language/);
});

test('places: inline points with localized names and a kind', () => {
  const a = parse(`places: { type: FeatureCollection, features: [${place('{ id: quneitra, name: { en: Quneitra, ar: القنيطرة }, kind: town }')}] }\n`);
  assert.deepEqual(a.places, [{ id: 'quneitra', name: 'Quneitra', names: { en: 'Quneitra', ar: 'القنيطرة' }, kind: 'town', at: [35.82, 33.12] }]);
});

test('places: every bad field is named by its path', () => {
  const p = problems(
    `places: { type: FeatureCollection, features: [${place('{ id: x, name: X, kind: castle }')}, ${place('{ id: x, name: Y, kind: town }', '{ type: LineString, coordinates: [[35, 33], [36, 33]] }')}, ${place('{ id: y, name: Y, kind: town }', '{ type: Point, coordinates: [200, 33] }')}] }\n`,
  ).join('\n');
  assert.match(p, /places\.features\[0\]\.properties\.kind: unknown kind "castle"/);
  assert.match(p, /places\.features\[1\]\.properties\.id: place "x" is given twice/);
  assert.match(p, /places\.features\[1\]\.geometry\.type: a place is a Point/);
  assert.match(p, /places\.features\[2\]\.geometry\.coordinates\[0\]: longitude 200 is out of range/);
});

test('places from a file that is not there: the file is named', () => {
  assert.match(problems('places: { file: nowhere.geojson }\n').join('\n'), /places\.file: cannot read GeoJSON file .*nowhere\.geojson: no such file/);
});

test("the example's places load from its file, each named in English, Arabic, Hebrew and Russian", () => {
  const a = loadArrangement(new URL('../../examples/southern-syria/arrangement.yaml', import.meta.url).pathname);
  const q = a.places?.find((p) => p.id === 'quneitra');
  assert.equal(q?.names?.ar, 'القنيطرة');
  for (const p of a.places ?? []) assert.deepEqual(Object.keys(p.names ?? {}).sort(), ['ar', 'en', 'he', 'ru'], p.id);
  for (const z of a.zones) assert.deepEqual(Object.keys(z.names ?? {}).sort(), ['ar', 'en', 'he', 'ru'], z.id);
});
