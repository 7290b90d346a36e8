import assert from 'node:assert/strict';
import { test } from 'node:test';
import { seal } from '../record/sealed.ts';
import { commitmentsOf } from './commitments.ts';

test('commitments are found in a sealed body and in sealed report and finding items, in order', () => {
  const [a, b, c, d] = ['a', 'b', 'c', 'd'].map((x) => seal(x).sealed);
  assert.deepEqual(commitmentsOf({ sealed: a }), [a]);
  assert.deepEqual(commitmentsOf({ reports: [{ sealed: a }, { type: 'observation', id: 'x' }, { sealed: b }] }), [a, b]);
  assert.deepEqual(commitmentsOf({ through: 9, findings: [{ sealed: c }, { rule: 'r' }, { sealed: d }] }), [c, d]);
});

test('what is not a commitment is not taken for one', () => {
  assert.deepEqual(commitmentsOf({ reports: [{ sealed: 'not-hex' }], text: 'x' }), []);
  assert.deepEqual(commitmentsOf(null), []);
  assert.deepEqual(commitmentsOf({ findings: 'x', reports: {} }), []);
});
