import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fieldsOf, REPORT_FIELDS, REPORT_TYPES, type ReportType } from '../monitor/report-fields.ts';
import { parseReportByJson, ReportError } from '../monitor/reports.ts';
import { ReportScanner } from './scan.ts';

// Both readers of report lines follow the one declaration of the format: what
// the table requires is refused when missing (toReport naming it, the scanner
// leaving the line to toReport), and what a type does not carry is ignored by both.

/** A report of each type with every field its type reads. */
const FULL: Record<ReportType, Record<string, unknown>> = {
  observation: {
    type: 'observation',
    id: 'o1',
    time: '2025-12-27T10:00:00Z',
    unit: 'u1',
    actor: 'sy',
    category: 'army',
    status: 'active',
    position: [35.85, 33.05],
    altitude_m: 120,
    holdings: { tanks: 3 },
    attrs: { tanks: { calibre_mm: 125 } },
    velocity: { east_mps: 1, north_mps: 2 },
    source: 'undof',
    grade: { reliability: 'B', credibility: 2 },
    claim: { outlet: 'SANA', published: '2025-12-27', url: 'https://example.org/a', quote: 'seen' },
  },
  track: {
    type: 'track',
    id: 't1',
    time: '2025-12-27T10:00:00Z',
    unit: 'u2',
    actor: 'il',
    category: 'air',
    status: 'active',
    position: [35.8, 33.1],
    altitude_m: null,
    holdings: {},
    attrs: {},
    velocity: { east_mps: 100, north_mps: -20, up_mps: 3 },
    source: 'il',
    reliability: 'C3',
    claim: { outlet: 'Maariv', published: '2025-12-27T09:00:00Z' },
  },
  notification: {
    type: 'notification',
    id: 'n1',
    time: '2025-12-27T10:00:00Z',
    actor: 'sy',
    zone: 'z1',
    window: { from: '2025-12-27T12:00:00Z', to: '2025-12-27T14:00:00Z' },
    units: ['u1'],
  },
  ack: { type: 'ack', id: 'a1', time: '2025-12-27T10:00:00Z', actor: 'il', notification: 'n1' },
  inspection: { type: 'inspection', id: 'i1', time: '2025-12-27T10:00:00Z', source: 'undof', zones: ['z1', 'z2'] },
};

const scanner = new ReportScanner();
const scan = (line: string) => scanner.scan(line, 0, line.length);
const without = (o: Record<string, unknown>, k: string) => Object.fromEntries(Object.entries(o).filter(([n]) => n !== k));
/** `grade` and `reliability` say one thing two ways, and a report gives one: each full unit report has the other's. */
const ALTERNATIVE: Partial<Record<ReportType, string>> = { observation: 'reliability', track: 'grade' };
/** Fields the scanner leaves to toReport (rare, small, nested): a line with one is read the general way. */
const GENERAL = new Set(REPORT_FIELDS.filter((f) => f.kind === 'grade' || f.kind === 'claim' || f.kind === 'code').map((f) => f.name));
const general = (line: string) => Object.keys(JSON.parse(line)).some((k) => GENERAL.has(k));

/** The scanner reads the line to what toReport gives, or leaves it when it carries a field read the general way. */
function sameReading(line: string, what: string): void {
  const r = scan(line);
  if (general(line)) assert.equal(r, undefined, `${what}: the scanner read a field it leaves to toReport`);
  else assert.ok(r !== undefined, `${what}: the scanner left a usual line: ${line}`);
  if (r !== undefined) assert.deepEqual(r, parseReportByJson(line), what);
}

test('the full reports hold exactly the fields the table gives their types', () => {
  for (const t of REPORT_TYPES)
    assert.deepEqual(
      [...Object.keys(FULL[t]), ...(ALTERNATIVE[t] ? [ALTERNATIVE[t]] : [])].sort(),
      fieldsOf(t)
        .map((f) => f.name)
        .sort(),
      t,
    );
});

test('a full report of each type: the scanner reads it, to what toReport gives (or leaves a graded one to toReport)', () => {
  for (const t of REPORT_TYPES) {
    sameReading(JSON.stringify(FULL[t]), t);
    // Without what the scanner leaves, it reads the line itself.
    const plain = Object.fromEntries(Object.entries(FULL[t]).filter(([k]) => !GENERAL.has(k)));
    sameReading(JSON.stringify(plain), `${t} ungraded`);
  }
});

test('each field the table requires: missing, toReport refuses it by name and the scanner leaves the line', () => {
  let checked = 0;
  for (const t of REPORT_TYPES) {
    for (const f of fieldsOf(t)) {
      const line = JSON.stringify(without(FULL[t], f.name));
      if (!f.required.includes(t)) {
        // Optional: both read it, to the same report.
        sameReading(line, `${t} without ${f.name}`);
        continue;
      }
      checked++;
      assert.equal(scan(line), undefined, `${t} without ${f.name}: the scanner answered`);
      assert.throws(
        () => parseReportByJson(line),
        (e) => e instanceof ReportError && e.field === f.name && e.message.startsWith(`missing field "${f.name}"`),
        `${t} without ${f.name}`,
      );
      if (f.unlessWithdrawn) {
        // A withdrawn unit needs it not.
        const gone = JSON.stringify({ ...without(FULL[t], f.name), status: 'withdrawn' });
        sameReading(gone, `withdrawn ${t} without ${f.name}`);
        assert.equal(parseReportByJson(gone).type, t);
      }
    }
  }
  assert.ok(checked >= REPORT_TYPES.length * 3, `only ${checked} required fields`);
});

test('a field its type does not read is ignored by both, whatever its value', () => {
  for (const t of REPORT_TYPES) {
    const base = parseReportByJson(JSON.stringify(FULL[t]));
    for (const f of REPORT_FIELDS) {
      if (f.types.includes(t)) continue;
      for (const v of [{ odd: [1, 'x'] }, -1, 'not a time']) {
        const line = JSON.stringify({ ...FULL[t], [f.name]: v });
        assert.deepEqual(parseReportByJson(line), base, `${t} with ${f.name}: ${JSON.stringify(v)}`);
        const r = scan(line);
        if (r !== undefined) assert.deepEqual(r, base, `${t} with ${f.name}, scanned`);
      }
    }
  }
});

test('a missing field with a default reads as the default', () => {
  for (const t of REPORT_TYPES) {
    for (const f of fieldsOf(t)) {
      if (f.default === undefined) continue;
      const plain = Object.fromEntries(Object.entries(without(FULL[t], f.name)).filter(([k]) => !GENERAL.has(k)));
      const line = JSON.stringify(plain);
      assert.equal((parseReportByJson(line) as unknown as Record<string, unknown>)[f.name], f.default);
      assert.equal((scan(line) as unknown as Record<string, unknown>)[f.name], f.default);
    }
  }
});
