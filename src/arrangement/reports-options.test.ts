import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ArrangementError } from './issues.ts';
import { parseArrangement } from './load.ts';

const doc = (reports: string) => `
detente: 1
id: t
title: Test
${reports}
actors: [{ id: a, name: A, role: party }]
`;

test('reports.future_tolerance is read as a duration, and is optional', () => {
  const a = parseArrangement(doc('reports: { future_tolerance: PT10M }'), { file: 't.yaml', baseDir: '.' });
  assert.equal(a.reports?.futureToleranceMs, 600_000);
  assert.equal(parseArrangement(doc(''), { file: 't.yaml', baseDir: '.' }).reports, undefined);
});

test('reports must be an object and future_tolerance a duration', () => {
  for (const bad of ['reports: 5', 'reports: { future_tolerance: 10 }', 'reports: { future_tolerance: soon }']) {
    assert.throws(
      () => parseArrangement(doc(bad), { file: 't.yaml', baseDir: '.' }),
      (e: unknown) => e instanceof ArrangementError && e.issues.some((i) => i.path.join('.').startsWith('reports')),
      bad,
    );
  }
});
