import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import fc from 'fast-check';
import { FINDING_COLUMNS, type FindingLike, findingRow } from '../../interop/csv/findings.ts';
import { type CsvStreamOptions, csvChunks } from '../../interop/csv/stream.ts';
import type { Finding } from '../../monitor/findings.ts';
import { refOf } from '../../monitor/ref.ts';
import type { Content } from '../../policy/disclosure.ts';
import type { Actor } from '../../policy/policy.ts';
import { memoryDerivedStore } from '../../store/derived-memory.ts';
import type { DerivedStore } from '../../store/derived.ts';
import { openDerivedStore } from '../../store/derived-sqlite.ts';
import { bookedView } from '../core/monitoring-service.ts';
import { type BookedFinding, FindingsBook } from '../findings-book.ts';
import { visibleFindings } from '../history/visible-findings.ts';
import { FINDING_CSV_VERSION, findingCsvRecord } from './csv-finding-line.ts';
import { type FindingCsvReader, findingsCsv } from './csv-exports.ts';

// The reference: what findings.csv was before lines were stored — GET …/findings's view of
// each transition the reader may read, through findingRow, row by row.
function reference(src: FindingCsvReader, reader: Actor, o: CsvStreamOptions): AsyncGenerator<string> {
  function* rows() {
    for (const v of visibleFindings(src, reader)) yield findingRow(v as unknown as FindingLike);
  }
  return csvChunks(FINDING_COLUMNS, rows(), o);
}

async function text(chunks: AsyncIterable<string>): Promise<string> {
  let out = '';
  for await (const c of chunks) out += c;
  return out;
}

const ACTORS = ['il', 'sy', 'undof', '=x', 'a,"b"'];
// Text with everything CSV quotes and the spreadsheet guard changes.
const cell = fc.string({ unit: fc.constantFrom('a', 'ש', ' ', ',', '"', '\r', '\n', '=', '+', '-', '@', '\t'), maxLength: 6 });
const trigger: fc.Arbitrary<Content | undefined> = fc.option(
  fc.record({ kind: fc.constantFrom('party-reports' as const, 'observer-reports' as const), author: fc.constantFrom(...ACTORS) }),
  { nil: undefined },
);
const finding: fc.Arbitrary<Finding> = fc.record(
  {
    finding: fc.constantFrom('violation' as const, 'separation' as const),
    state: fc.constantFrom('open' as const, 'closed' as const),
    rule: cell,
    kind: fc.constantFrom('presence' as const, 'limit' as const),
    time: fc.constant('2026-01-02T03:04:05Z'),
    report: cell,
    actor: fc.constantFrom(...ACTORS),
    zone: cell,
    units: fc.array(cell, { maxLength: 3 }),
    observed: fc.integer({ min: -5, max: 5 }),
    cpa_km: fc.double({ noNaN: true, noDefaultInfinity: true }),
    cpa_m: fc.constantFrom(null, 12.5),
    basis: fc.array(
      fc.tuple(fc.nat(1000), fc.nat(9)).map(([entry, n]) => refOf({ entry, n })),
      { maxLength: 3 },
    ),
    escalation: fc.record({ step: fc.nat(3), to: cell, actors: fc.constant([]) }),
    requested_by: cell,
  },
  { requiredKeys: ['finding', 'state', 'rule', 'kind', 'time'] },
);
/** How a row was stored: by this renderer, by another version, before lines were stored (JSON alone). */
const stored = fc.constantFrom('line', 'line', 'other-version', 'json-only');
const transition = fc.record({ f: finding, actors: fc.subarray(ACTORS), trigger, stored });

interface Case {
  rows: { f: Finding; actors: string[]; trigger: Content | undefined; stored: string }[];
  /** how many of them are in the store; the rest are in the book's memory */
  split: number;
  reads: string[];
  readsReports: string[];
  mediator: boolean;
  o: CsvStreamOptions;
}

const cases: fc.Arbitrary<Case> = fc
  .record({
    rows: fc.array(transition, { maxLength: 25 }),
    cut: fc.nat(),
    reads: fc.subarray(ACTORS),
    readsReports: fc.subarray(ACTORS),
    mediator: fc.boolean(),
    o: fc.record({ bom: fc.boolean(), spreadsheet: fc.boolean(), chunk: fc.constantFrom(1, 100, 1 << 16) }, { requiredKeys: [] }),
  })
  .map(({ cut, rows, ...c }) => ({ ...c, rows, split: rows.length ? cut % (rows.length + 1) : 0 }));

/** A book as a server has it after a restart and more findings: older transitions in the store, the newest in memory. */
function bookOf(store: DerivedStore, c: Case): FindingsBook {
  store.truncateFindings(0);
  const older = new FindingsBook(store);
  const withTrigger = (r: Case['rows'][number]) => (r.trigger ? ({ ...r.f, trigger: r.trigger } as Finding) : r.f);
  c.rows.slice(0, c.split).forEach((r, i) => older.add(withTrigger(r), r.actors, { entry: 10 + i, n: i % 3 }));
  older.flush();
  // Rows stored otherwise than by this renderer, as an older state.db holds them.
  for (let seq = 1; seq <= c.split; seq++) {
    const r = c.rows[seq - 1];
    if (r.stored === 'line') continue;
    const b: BookedFinding = { seq, actors: r.actors, finding: withTrigger(r), at: { entry: 10 + seq - 1, n: (seq - 1) % 3 } };
    const csv = { ...findingCsvRecord(bookedView(b) as unknown as FindingLike, r.actors, r.trigger), v: FINDING_CSV_VERSION + 1, line: 'stale\r\n' };
    store.appendFindings([{ seq, json: JSON.stringify(b), csv: r.stored === 'other-version' ? csv : undefined }]);
  }
  const book = new FindingsBook(store, c.split);
  c.rows.slice(c.split).forEach((r, i) => book.add(withTrigger(r), r.actors, { entry: 100 + i, n: 0 }));
  return book;
}

function readerOf(book: FindingsBook, c: Case): FindingCsvReader {
  const src: FindingCsvReader = {
    book,
    readsFinding: (_r, actors) => actors.some((a) => c.reads.includes(a)),
    readsTrigger: (_r, t) => (t ? c.readsReports.includes(t.author) : c.mediator),
    // As the server's: the triggering report's id only to those who may read that report.
    findingView: (r, b) => {
      const v = bookedView(b);
      if (v.report !== undefined && !src.readsTrigger(r, (b.finding as Finding & { trigger?: Content }).trigger)) delete v.report;
      return v;
    },
  };
  return src;
}

const reader: Actor = { id: 'ru', role: 'mediator' };

for (const [name, open] of [
  ['SQLite', (dir: string) => openDerivedStore(dir)],
  ['memory', () => memoryDerivedStore()],
] as const) {
  test(`findings.csv from stored lines is byte for byte the per-row export (${name} derived store)`, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'detente-csv-lines-'));
    const store = open(dir);
    try {
      await fc.assert(
        fc.asyncProperty(cases, async (c) => {
          const src = readerOf(bookOf(store, c), c);
          assert.equal(await text(findingsCsv(src, reader, c.o)), await text(reference(src, reader, c.o)));
        }),
        { numRuns: 150 },
      );
    } finally {
      store.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
}

test('across pages: the policy asked per page, rows in book order, nothing repeated or lost', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'detente-csv-pages-'));
  const store = openDerivedStore(dir);
  try {
    const rows = Array.from({ length: 2600 }, (_, i) => ({
      f: {
        finding: 'violation',
        state: i % 2 ? 'open' : 'closed',
        rule: `r-${i}`,
        kind: 'presence',
        time: 't',
        actor: ACTORS[i % 5],
        report: `=rep-${i}`,
      } as Finding,
      actors: [ACTORS[i % 5]],
      trigger: i % 7 ? { kind: 'party-reports' as const, author: ACTORS[i % 3] } : undefined,
      stored: i % 11 ? 'line' : 'json-only',
    }));
    const c: Case = { rows, split: 2100, reads: ['il', 'sy', '=x'], readsReports: ['il'], mediator: false, o: {} };
    const src = readerOf(bookOf(store, c), c);
    let asked = 0;
    const readsFinding = src.readsFinding;
    src.readsFinding = (r, a) => {
      asked++;
      return readsFinding(r, a);
    };
    const fast = await text(findingsCsv(src, reader, {}));
    // Per page (3 of them), a stored line's question is asked once per distinct `who`; rows without a line, once each.
    const lines = rows.slice(0, c.split).filter((r) => r.stored === 'line');
    const distinct = new Set(lines.map((r) => JSON.stringify([r.actors, r.trigger ?? null]))).size;
    assert.ok(asked <= rows.length - lines.length + 3 * distinct, `asked ${asked} times`);
    assert.ok(asked < rows.length / 2, `asked ${asked} times`);
    assert.equal(fast, await text(reference(src, reader, {})));
    const seqs = fast
      .split('\r\n')
      .slice(1, -1)
      .map((l) => Number(l.split(',')[0]));
    assert.equal(seqs.length, rows.filter((r) => c.reads.includes(r.actors[0])).length);
    assert.deepEqual(
      seqs,
      [...seqs].sort((a, b) => a - b),
    );
    for (const sheet of [true, false])
      assert.equal(await text(findingsCsv(src, reader, { spreadsheet: sheet })), await text(reference(src, reader, { spreadsheet: sheet })));
  } finally {
    store.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
