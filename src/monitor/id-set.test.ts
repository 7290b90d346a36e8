import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { IdSet } from './id-set.ts';

// IdSet against a plain Set: the same answers to add and has, whatever the ids.

const numbered = fc
  .tuple(
    fc.constantFrom('', 'r', 'o-', 'n', 'a', 'x9y', 'é'),
    fc.oneof(fc.nat(5000), fc.nat(), fc.constantFrom(0, 4095, 4096, 999_999_999, 1_000_000_000, 2 ** 31)),
  )
  .map(([p, n]) => p + n);
const ids = fc.oneof(numbered, fc.constantFrom('r007', 'r0', 'r00', '0', '00', 'r', '', 'r1 ', '٣'), fc.string({ maxLength: 6 }));

function check(list: string[], probes: string[]): void {
  const mine = new IdSet();
  const ref = new Set<string>();
  for (const id of list) {
    assert.equal(mine.add(id), !ref.has(id), `add ${JSON.stringify(id)}`);
    ref.add(id);
    assert.equal(mine.size, ref.size);
  }
  for (const id of [...list, ...probes]) assert.equal(mine.has(id), ref.has(id), `has ${JSON.stringify(id)}`);
}

test('IdSet answers as a Set does, for numbered and other ids', () => {
  fc.assert(fc.property(fc.array(ids, { maxLength: 200 }), fc.array(ids, { maxLength: 50 }), check), { numRuns: 500 });
});

test('IdSet stays right when numbers are too scattered for its bitmaps', () => {
  // Random numbers over a wide range need more bitmap pages than it allows: the rest go to its hash table.
  let seed = 7;
  const next = () => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0);
  const list: string[] = [];
  for (let i = 0; i < 20_000; i++) list.push(`r${next() % 900_000_000}`, `s${i}`, `r${next() % 5000}`);
  const probes = Array.from({ length: 5000 }, () => `r${next() % 900_000_000}`);
  check(list, probes);
});

test('an id kept in the hash table while bitmaps were full is still found once its bitmap exists', () => {
  const mine = new IdSet();
  // One id per page, until pages run out.
  for (let i = 0; i < 200; i++) mine.add(`p${i * 4096}`);
  const early = `q${5 * 4096 + 1}`;
  assert.equal(mine.add(early), true);
  // Enough ids later there is room again, and early's page gets made.
  for (let i = 0; i < 100_000; i++) mine.add(`s${i}`);
  assert.equal(mine.add(`q${5 * 4096 + 2}`), true);
  assert.equal(mine.has(early), true);
  assert.equal(mine.add(early), false);
});

test('IdSet lists every id it holds, numbered or not', () => {
  fc.assert(
    fc.property(
      fc.array(
        fc.oneof(
          fc.nat(20000).map((k) => `r${k}`),
          fc.string(),
          fc.nat(99).map((k) => `o-0${k}`),
        ),
      ),
      (ids) => {
        const mine = new IdSet();
        for (const id of ids) mine.add(id);
        assert.deepEqual([...mine.values()].sort(), [...new Set(ids)].sort());
      },
    ),
  );
});

test('IdSet through a snapshot (and from an older snapshot’s list): the same ids, and it goes on answering as a Set does', () => {
  fc.assert(
    fc.property(fc.array(ids, { maxLength: 200 }), fc.array(ids, { maxLength: 60 }), (before, after) => {
      const ref = new Set(before);
      const first = new IdSet();
      for (const id of before) first.add(id);
      const json = JSON.parse(JSON.stringify(first.toJSON()));
      for (const restored of [IdSet.fromJSON(json), IdSet.fromJSON([...ref])]) {
        assert.deepEqual(new Set(restored.values()), ref);
        assert.equal(restored.size, ref.size);
        const copy = new Set(ref);
        for (const id of after) {
          assert.equal(restored.add(id), !copy.has(id), `add ${JSON.stringify(id)} after restoring`);
          copy.add(id);
        }
        for (const id of [...before, ...after]) assert.equal(restored.has(id), copy.has(id));
        assert.equal(restored.size, copy.size);
      }
    }),
    { numRuns: 300 },
  );
});

test('IdSet snapshot: a million numbered ids are bitmap pages, not a million strings', () => {
  const set = new IdSet();
  for (let i = 0; i < 1_000_000; i++) set.add(`b-${i}`);
  const text = JSON.stringify(set.toJSON());
  assert.ok(text.length < 250_000, `${text.length} characters`);
  const back = IdSet.fromJSON(JSON.parse(text));
  assert.equal(back.size, 1_000_000);
  assert.equal(back.has('b-999999'), true);
  assert.equal(back.has('b-1000000'), false);
  assert.throws(() => IdSet.fromJSON({ numbered: [['b-', [[0, 'AAAA']]]], hashed: [] }), /page 0 of "b-" holds 3 bytes/);
});
