import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { parseReportByJson } from '../monitor/reports.ts';
import { ReportScanner } from './scan.ts';
import { NameTable, READ_THERE, RECORD_SLOTS, placeId, readRecord, recordIdEnd, recordIdStart, recordKind, writeRecord } from './scan-record.ts';

// A line written as a record and read back is the report JSON.parse + toReport
// makes of it; a line that is not of the common shape is left to be read there.

const line = fc
  .record({
    type: fc.constantFrom('observation', 'observation', 'track', 'ack'),
    id: fc.oneof(
      fc.nat().map((n) => `r${n}`),
      fc.string({ maxLength: 20 }),
    ),
    time: fc.constantFrom('2025-12-27T10:00:00Z', '2025-12-27T10:00:01.5Z', '2025-12-27T10:30:00Z', 'bad'),
    unit: fc.oneof(
      fc.nat(30).map((n) => `u${n}`),
      fc.constantFrom('', 'é-1', 'x'.repeat(16)),
    ),
    actor: fc.constantFrom('il', 'sy', 'ru'),
    category: fc.option(fc.constantFrom('army', 'police'), { nil: undefined }),
    status: fc.option(fc.constantFrom('withdrawn', 'active'), { nil: undefined }),
    position: fc.option(fc.tuple(fc.double({ min: -180, max: 180, noNaN: true }), fc.double({ min: -90, max: 90, noNaN: true })), { nil: undefined, freq: 12 }),
    altitude_m: fc.option(fc.oneof(fc.integer({ min: -100, max: 12000 }), fc.constant(null), fc.constant(-0)), { nil: undefined }),
    velocity: fc.option(
      fc.record(
        { east_mps: fc.double({ noNaN: true, noDefaultInfinity: true }), north_mps: fc.integer(), up_mps: fc.option(fc.integer(), { nil: undefined }) },
        { requiredKeys: ['east_mps', 'north_mps'] },
      ),
      { nil: undefined, freq: 2 },
    ),
    holdings: fc.option(
      fc.dictionary(
        fc.constantFrom('troops', 'tanks', 'sam', 'aircraft', '3', 'toString'),
        fc.oneof(fc.nat(1000), fc.double({ min: 0, max: 1e9, noNaN: true })),
        { maxKeys: 4 },
      ),
      { nil: undefined },
    ),
    attrs: fc.oneof({ arbitrary: fc.constant(undefined), weight: 7 }, { arbitrary: fc.constant({ sam: { range_km: 40 } }), weight: 1 }),
    notification: fc.constant('n1'),
  })
  .map((o) => JSON.stringify(o));

test('a record read back is the report JSON.parse + toReport give, or says to read the line there', () => {
  const scanner = new ReportScanner();
  const names = new NameTable();
  const known: string[] = [];
  let travelled = 0;
  fc.assert(
    fc.property(line, fc.string({ maxLength: 5 }), (l, before) => {
      // The line sits inside a longer text, as in a chunk.
      const text = before + '\n' + l + '\n';
      const from = before.length + 1;
      const recs = new Float64Array(RECORD_SLOTS);
      writeRecord(text, from, from + l.length, scanner, names, recs, 0);
      for (const n of names.take()) known.push(n);
      if (recordKind(recs, 0) === READ_THERE) return;
      travelled++;
      // The id travels on its own, as the worker sends it.
      const ids = '#' + text.slice(recordIdStart(recs, 0), recordIdEnd(recs, 0));
      placeId(recs, 0, 1);
      assert.deepStrictEqual(readRecord(ids, recs, 0, known), parseReportByJson(l));
    }),
    { numRuns: 3000 },
  );
  assert.ok(travelled > 300, `only ${travelled} lines travelled as records`);
});
