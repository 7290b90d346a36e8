import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { IssueInput } from './model.ts';
import { zopa } from './zopa.ts';

const issue = (il: [number, 'more' | 'less'], sy: [number, 'more' | 'less']): IssueInput => ({
  id: 'buffer-km',
  parties: { il: { position: 0, reservation: il[0], direction: il[1] }, sy: { position: 0, reservation: sy[0], direction: sy[1] } },
});

test('the zone runs from the highest "more" reservation to the lowest "less" one, in either order of the parties', () => {
  // Israel wants a wider buffer and accepts 4 km or more; Syria a narrower one, at most 6 km.
  assert.deepEqual(zopa(issue([4, 'more'], [6, 'less'])), { issue: 'buffer-km', from: 4, to: 6 });
  assert.deepEqual(zopa(issue([6, 'less'], [4, 'more'])), { issue: 'buffer-km', from: 4, to: 6 });
  // Touching walk-away points leave exactly one acceptable value.
  assert.deepEqual(zopa(issue([5, 'more'], [5, 'less'])), { issue: 'buffer-km', from: 5, to: 5 });
});

test('when the walk-away points do not overlap the zone is empty and the gap is their distance, in either direction', () => {
  assert.deepEqual(zopa(issue([7, 'more'], [3.5, 'less'])), { issue: 'buffer-km', empty: true, gap: 3.5 });
  assert.deepEqual(zopa(issue([3.5, 'less'], [7, 'more'])), { issue: 'buffer-km', empty: true, gap: 3.5 });
});

test('a third party narrows the zone; parties that all want more leave it unbounded above', () => {
  const three: IssueInput = {
    id: 'troops',
    parties: {
      a: { position: 0, reservation: 2, direction: 'more' },
      b: { position: 0, reservation: 9, direction: 'less' },
      c: { position: 0, reservation: 5, direction: 'more' },
    },
  };
  assert.deepEqual(zopa(three), { issue: 'troops', from: 5, to: 9 });
  assert.deepEqual(zopa(issue([4, 'more'], [6, 'more'])), { issue: 'buffer-km', from: 6, to: null });
});
