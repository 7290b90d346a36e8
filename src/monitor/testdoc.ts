// The small arrangement the engine's tests share (not part of the API): a square zone
// z1 (35.8–35.9 E, 33.0–33.1 N), a band b1 up to 20 km east of line l1 (35.8 E), the
// square again as airspace up to 15,000 m, and a second square z2 further west
// (35.5–35.7 E); an actor of every role.
import assert from 'node:assert/strict';
import { compileArrangement, type Arrangement } from '../arrangement/compile.ts';
import { IssueList } from '../arrangement/issues.ts';
import { validateDocument } from '../arrangement/validate.ts';

export const SQUARE = [
  [
    [35.8, 33.0],
    [35.9, 33.0],
    [35.9, 33.1],
    [35.8, 33.1],
    [35.8, 33.0],
  ],
];
const WEST = [
  [
    [35.5, 33.0],
    [35.7, 33.0],
    [35.7, 33.1],
    [35.5, 33.1],
    [35.5, 33.0],
  ],
];

export function testDoc(rules: object[], extra: object = {}) {
  return {
    detente: 1,
    id: 't',
    title: 'Test',
    actors: [
      { id: 'a', name: 'A', role: 'party' },
      { id: 'b', name: 'B', role: 'party' },
      { id: 'm', name: 'M', role: 'mediator' },
      { id: 'g', name: 'G', role: 'guarantor' },
      { id: 'o', name: 'O', role: 'observer' },
      { id: 't3', name: 'T', role: 'third-party' },
    ],
    assets: [{ id: 'troops' }, { id: 'tanks' }, { id: 'artillery', attrs: ['range_km'] }],
    lines: [
      {
        id: 'l1',
        geometry: {
          type: 'LineString',
          coordinates: [
            [35.8, 32.5],
            [35.8, 33.5],
          ],
        },
      },
    ],
    zones: [
      { id: 'z1', geometry: { type: 'Polygon', coordinates: SQUARE } },
      { id: 'b1', band: { of: 'l1', km: [0, 20], side: 'east' } },
      { id: 'air', geometry: { type: 'Polygon', coordinates: SQUARE }, altitude_m: [0, 15000] },
      { id: 'z2', geometry: { type: 'Polygon', coordinates: WEST } },
    ],
    rules,
    ...extra,
  };
}

/** The test arrangement with these rules, checked and compiled (a test fails if it is not valid). */
export function testArrangement(rules: object[]): Arrangement {
  const out = new IssueList('(test)');
  const checked = validateDocument(testDoc(rules), out, () => ({ error: 'no files', name: '(none)' }));
  assert.ok(checked && out.issues.length === 0, JSON.stringify(out.issues));
  return compileArrangement(checked);
}
