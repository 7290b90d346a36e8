import assert from 'node:assert/strict';
import { test } from 'node:test';
import { csvField } from '../../interop/csv/field.ts';
import { FINDING_COLUMNS } from '../../interop/csv/findings.ts';
import { findingCsvRecord, GUARDED_FIRST } from './csv-finding-line.ts';

test('the guard pre-check names exactly the first characters the spreadsheet guard changes', () => {
  const changed: string[] = [];
  for (let u = 0; u <= 0xffff; u++) {
    const c = `${String.fromCharCode(u)}x`;
    if (csvField(c, { spreadsheet: true }) !== csvField(c)) changed.push(c[0]);
  }
  assert.deepEqual(changed.sort(), [...GUARDED_FIRST].sort());
});

test('a stored line: every column, the report cell located, the guard flag set by any guarded cell', () => {
  const base = { seq: 3, time: 't', finding: 'violation', state: 'open', rule: 'r', kind: 'presence', report: 'a,"b"', at: { entry: 4, n: 1 } };
  const r = findingCsvRecord(base, ['il'], undefined);
  assert.equal(r.line.split(',').length, FINDING_COLUMNS.length + 1, 'the report cell holds one comma');
  assert.ok(r.report);
  assert.equal(r.line.slice(r.report[0], r.report[1]), '"a,""b"""');
  assert.equal(r.guard, false);
  assert.deepEqual(JSON.parse(r.who), [['il'], null]);
  assert.equal(findingCsvRecord({ ...base, report: undefined }, [], undefined).report, undefined);
  assert.equal(findingCsvRecord({ ...base, zone: '-z' }, [], undefined).guard, true);
  assert.equal(findingCsvRecord({ ...base, observed: -3 }, [], undefined).guard, false, 'numbers are never guarded');
});
