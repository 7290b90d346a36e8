import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import Database from 'better-sqlite3';
import { memoryDerivedStore } from './derived-memory.ts';
import type { DerivedStore, FindingRow } from './derived.ts';
import { openDerivedStore, STATE_DB } from './derived-sqlite.ts';

const line = (seq: number, guard: boolean, v = 7): FindingRow => ({
  seq,
  json: `{"seq":${seq}}`,
  csv: { v, who: `[["il"],null]`, line: `${seq},x,rep\r\n`, report: [4, 7], guard },
});

/** What both derived stores must answer alike (the SQLite one also across a reopen). */
function contract(store: DerivedStore): void {
  store.appendFindings([{ seq: 1, json: '{"seq":1}' }, line(2, false), line(3, true), line(4, false, 6)]);
  assert.deepEqual(store.findingCsvAfter(0, 10, 7, false), [
    [1, null, null, null, null, '{"seq":1}'],
    [2, '[["il"],null]', '2,x,rep\r\n', 4, 7, null],
    [3, '[["il"],null]', '3,x,rep\r\n', 4, 7, null],
    [4, '[["il"],null]', '4,x,rep\r\n', 4, 7, '{"seq":4}'],
  ]);
  // With the spreadsheet guard, a row whose cells it would change comes with its JSON.
  assert.deepEqual(
    store.findingCsvAfter(1, 2, 7, true).map((r) => r[5]),
    [null, '{"seq":3}'],
  );
  assert.deepEqual(
    store.findingsAfter(2, 5).map((r) => r.json),
    ['{"seq":3}', '{"seq":4}'],
  );
  store.truncateFindings(2);
  assert.deepEqual(
    store.findingCsvAfter(0, 10, 7, false).map((r) => r[0]),
    [1, 2],
  );
}

test('the memory derived store keeps the CSV lines as the SQLite one does', () => {
  contract(memoryDerivedStore());
});

test('a state.db written before the CSV columns opens, its rows exported from JSON, new rows with their lines', () => {
  const dir = mkdtempSync(join(tmpdir(), 'detente-derived-'));
  try {
    const old = new Database(join(dir, STATE_DB));
    old.exec('CREATE TABLE findings (seq INTEGER PRIMARY KEY, json TEXT NOT NULL)');
    old.prepare('INSERT INTO findings (seq, json) VALUES (?, ?)').run(1, '{"seq":1,"old":true}');
    old.close();
    let store = openDerivedStore(dir);
    assert.deepEqual(store.findingsAfter(0, 5), [{ seq: 1, json: '{"seq":1,"old":true}' }]);
    assert.deepEqual(store.findingCsvAfter(0, 5, 7, false), [[1, null, null, null, null, '{"seq":1,"old":true}']]);
    store.appendFindings([line(2, false)]);
    store.close();
    // Opened again: the columns are there already and stay.
    store = openDerivedStore(dir);
    assert.deepEqual(
      store.findingCsvAfter(0, 5, 7, false).map((r) => r[5]),
      ['{"seq":1,"old":true}', null],
    );
    store.truncateFindings(0);
    contract(store);
    store.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
