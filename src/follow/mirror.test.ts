import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import fc from 'fast-check';
import { generateKey, parseSignerKey } from '../record/keys.ts';
import { statementId } from '../record/log.ts';
import { leafHash, rootOf } from '../record/merkle.ts';
import { buildEntry, factsOf, parseEntry } from '../record/statement.ts';
import { Mirror, MirrorError } from './mirror.ts';

const origin = 'detente/test/southern-syria';
const logKey = parseSignerKey(generateKey(origin).skey).verifier.vkey;
const author = parseSignerKey(generateKey('il').skey);
const ENTRIES = Array.from({ length: 700 }, (_, i) =>
  buildEntry(author, { type: 'report', arrangement: 'southern-syria', body: { seq: i }, time: new Date(1e12 + i * 1000).toISOString() }),
);
const dirs: string[] = [];
after(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

async function append(m: Mirror, from: number, to: number): Promise<void> {
  const es = ENTRIES.slice(from, to);
  await m.append(
    es,
    es.map(leafHash),
    es.map((e) => statementId(factsOf(parseEntry(e)))),
  );
}

test('the mirror’s root is the tree hash of what it holds, batch by batch and across a reopen', async () => {
  await fc.assert(
    fc.asyncProperty(fc.array(fc.integer({ min: 1, max: 300 }), { minLength: 1, maxLength: 4 }), fc.nat(3), async (batches, reopenAfter) => {
      const dir = mkdtempSync(join(tmpdir(), 'detente-mirror-'));
      dirs.push(dir);
      let m = await Mirror.open(dir, { origin, logKey });
      let at = 0;
      try {
        for (const [i, n] of batches.entries()) {
          const to = Math.min(ENTRIES.length, at + n);
          await append(m, at, to);
          at = to;
          assert.equal(m.size, at);
          assert.deepEqual(Buffer.from(m.root()), Buffer.from(rootOf(ENTRIES.slice(0, at).map(leafHash))));
          if (i === reopenAfter) {
            await m.close();
            m = await Mirror.open(dir, { origin, logKey });
            assert.equal(m.size, at);
            assert.deepEqual(Buffer.from(m.root()), Buffer.from(rootOf(ENTRIES.slice(0, at).map(leafHash))));
          }
        }
      } finally {
        await m.close();
      }
    }),
    { numRuns: 15 },
  );
});

test('a mirror is of one log: opened for another origin or key it refuses', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'detente-mirror-'));
  dirs.push(dir);
  const m = await Mirror.open(dir, { origin, logKey });
  await append(m, 0, 3);
  await m.close();
  const other = parseSignerKey(generateKey(origin).skey).verifier.vkey;
  await assert.rejects(Mirror.open(dir, { origin, logKey: other }), MirrorError);
  await assert.rejects(Mirror.open(dir, { origin: 'detente/other/southern-syria', logKey }), MirrorError);
});
