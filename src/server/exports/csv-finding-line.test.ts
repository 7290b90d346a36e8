import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { csvLine } from '../../interop/csv/field.ts';
import { type FindingLike, findingRow } from '../../interop/csv/findings.ts';
import { findingLine } from './csv-finding-line.ts';

// Text that exercises quoting and the formula guard: separators, quotes, line ends, formula starts, non-ASCII.
const text = fc.stringMatching(/^[a-z",\r\n=+\-@\t' é؟😀]{0,12}$/u);
const number = fc.oneof(fc.double(), fc.integer(), fc.constantFrom(Number.NaN, Number.POSITIVE_INFINITY, -0));
const maybe = <T>(a: fc.Arbitrary<T>) => fc.option(a, { nil: undefined });

const finding: fc.Arbitrary<FindingLike> = fc.record(
  {
    seq: maybe(fc.nat()),
    time: text,
    finding: text,
    state: text,
    rule: text,
    kind: text,
    actor: maybe(text),
    zone: maybe(text),
    units: maybe(fc.array(text, { maxLength: 3 })),
    category: maybe(text),
    asset: maybe(text),
    observed: maybe(number),
    max: maybe(number),
    notification: maybe(text),
    lead_s: maybe(number),
    missing: maybe(fc.array(text, { maxLength: 3 })),
    cpa_s: maybe(number),
    cpa_km: maybe(number),
    cpa_m: fc.option(number, { nil: null }),
    deadline: maybe(text),
    report: maybe(text),
    at: maybe(fc.record({ entry: fc.nat(), n: maybe(fc.nat()) }, { requiredKeys: ['entry'] })),
    basis: maybe(fc.array(fc.oneof(fc.nat(), fc.record({ entry: fc.nat(), n: maybe(fc.nat()) }, { requiredKeys: ['entry'] })), { maxLength: 3 })),
    confidence: maybe(text),
    confidence_was: maybe(text),
    reason: maybe(text),
    escalation: maybe(fc.record({ step: fc.nat(), to: text })),
    challenge: maybe(text),
    requested_by: maybe(text),
  },
  { requiredKeys: ['time', 'finding', 'state', 'rule', 'kind'] },
);

test('findingLine writes exactly what csvLine(findingRow(…)) writes, with and without the formula guard', () => {
  fc.assert(
    fc.property(finding, fc.boolean(), (f, spreadsheet) => {
      assert.equal(findingLine(f, spreadsheet), csvLine(findingRow(f), { spreadsheet }));
    }),
    { numRuns: 2000 },
  );
});

test('findingLine quotes a unit list holding a comma and guards a formula only on request', () => {
  const f: FindingLike = { time: 't', finding: '=1+1', state: 'open', rule: 'r', kind: 'k', units: ['a,b'] };
  const plain = findingLine(f);
  assert.ok(plain.includes(',=1+1,'));
  assert.ok(plain.includes(',"[""a,b""]",'));
  assert.ok(findingLine(f, true).includes(",'=1+1,"));
  assert.ok(plain.endsWith('\r\n'));
});
