// The timeline's marks: where findings opened, one per slot, an alert kept over others.
// Run: node --import tsx --test web/src/views/timeline-marks.test.ts
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { BookedFindingView } from '../api/types.ts';
import type { Occurrence } from '../state/findings.ts';
import { timelineMarks } from './timeline-marks.ts';

function occ(finding: string, opened: number | null): Occurrence {
  const b = { finding } as BookedFindingView;
  return { key: `${finding}${opened}`, transitions: [b], first: b, last: b, opened, ended: null, subject: '' };
}

test('a mark sits at the fraction of the span where its finding opened; unseen openings have none', () => {
  const marks = timelineMarks([occ('violation', 250), occ('separation', 500), occ('loss', null)], 0, 1000);
  assert.deepEqual(
    marks.map((m) => [m.finding, m.fraction, m.alert]),
    [
      ['violation', 0.25, false],
      ['separation', 0.5, true],
    ],
  );
});

test('many findings in one slot make one mark, and an alert and a loss there one each', () => {
  const many = Array.from({ length: 50 }, (_, i) => occ('violation', 500 + i / 100));
  const marks = timelineMarks([...many, occ('separation', 500.05), occ('loss', 500.1)], 0, 1000, 100);
  assert.deepEqual(
    marks.map((m) => m.finding),
    ['separation', 'loss', 'violation'],
  );
  assert.equal(marks[2].time, 500.49, 'the latest of the others');
  assert.equal(timelineMarks(many, 0, 1000, 100).length, 1);
  assert.equal(timelineMarks(many, 0, 1000, 1_000_000).length, 50);
});

test('an empty span has no marks', () => {
  assert.deepEqual(timelineMarks([occ('violation', 5)], 5, 5), []);
});
