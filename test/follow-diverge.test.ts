// Where two logs part, property-tested: a log A mirrored, a log B served (a real log over
// the in-memory store, read as tlog-tiles) made from A by one edit — an entry removed,
// inserted or changed, the end cut off, or everything from some index replaced — and
// findDivergence must name that edit and its index, across tile boundaries.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import fc from 'fast-check';
import { FollowClient } from '../src/follow/client.ts';
import { findDivergence } from '../src/follow/diverge.ts';
import { Mirror } from '../src/follow/mirror.ts';
import { openLog, statementId } from '../src/record/log.ts';
import { leafHash } from '../src/record/merkle.ts';
import { factsOf, parseEntry } from '../src/record/statement.ts';
import { MemoryStore } from '../src/store/memory.ts';
import { makeEntries, newSigner, ORIGIN } from './helpers/record-fixtures.ts';
import { tilesOf } from './helpers/served-log.ts';

const logSigner = newSigner(ORIGIN);
const POOL = makeEntries(1400, [newSigner('il'), newSigner('sy')]);
const A_MAX = 700;
const EXTRA = POOL.slice(A_MAX);
const dirs: string[] = [];
after(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

type Edit = { kind: 'remove' | 'insert' | 'change' | 'truncate' | 'fork'; at: number };

function apply(a: Uint8Array[], e: Edit): Uint8Array[] {
  const b = [...a];
  if (e.kind === 'remove') b.splice(e.at, 1);
  if (e.kind === 'insert') b.splice(e.at, 0, EXTRA[0]);
  if (e.kind === 'change') b[e.at] = EXTRA[1];
  if (e.kind === 'truncate') b.length = e.at;
  if (e.kind === 'fork') b.splice(e.at, b.length - e.at, ...EXTRA.slice(2, 2 + Math.max(2, a.length - e.at)));
  return b;
}

function expected(n: number, e: Edit): { kind: string; index: number } | undefined {
  if (e.kind === 'remove') return e.at === n - 1 ? { kind: 'entries-truncated', index: e.at } : { kind: 'entry-removed', index: e.at };
  if (e.kind === 'insert') return e.at === n ? undefined : { kind: 'entry-inserted', index: e.at };
  if (e.kind === 'change') return { kind: 'entry-changed', index: e.at };
  if (e.kind === 'truncate') return { kind: 'entries-truncated', index: e.at };
  return { kind: 'fork', index: e.at };
}

const cases = fc
  .integer({ min: 3, max: A_MAX })
  .chain((n) =>
    fc.tuple(
      fc.constant(n),
      fc.oneof(
        fc.record({ kind: fc.constant('remove' as const), at: fc.integer({ min: 0, max: n - 1 }) }),
        fc.record({ kind: fc.constant('insert' as const), at: fc.integer({ min: 0, max: n }) }),
        fc.record({ kind: fc.constant('change' as const), at: fc.integer({ min: 0, max: n - 1 }) }),
        fc.record({ kind: fc.constant('truncate' as const), at: fc.integer({ min: 0, max: n - 1 }) }),
        fc.record({ kind: fc.constant('fork' as const), at: fc.integer({ min: 0, max: n - 2 }) }),
      ),
    ),
  );

test('findDivergence names the edit that made the served log from the mirrored one, and its index', async () => {
  await fc.assert(
    fc.asyncProperty(cases, async ([n, edit]) => {
      const a = POOL.slice(0, n);
      const b = apply(a, edit);
      const dir = mkdtempSync(join(tmpdir(), 'detente-follow-diverge-'));
      dirs.push(dir);
      const mirror = await Mirror.open(dir, { origin: ORIGIN, logKey: logSigner.verifier.vkey });
      const served = await openLog({ store: new MemoryStore(), origin: ORIGIN, logSigner, verifySignatures: false, checkpointIntervalMs: 0 });
      try {
        await mirror.append(
          a,
          a.map(leafHash),
          a.map((e) => statementId(factsOf(parseEntry(e)))),
        );
        for (const e of b) await served.append(e);
        const client = new FollowClient({ url: 'http://tiles.test', arrangement: 'southern-syria', token: 't', fetch: tilesOf(served) });
        const d = await findDivergence(client, mirror, a.length, b.length);
        const want = expected(n, edit);
        assert.deepEqual(d && { kind: d.kind, index: d.index }, want, `n=${n} ${JSON.stringify(edit)}`);
        if (d && want) {
          assert.equal(d.mirrored, want.index < a.length ? Buffer.from(leafHash(a[want.index])).toString('hex') : null);
          assert.equal(d.served, want.index < b.length ? Buffer.from(leafHash(b[want.index])).toString('hex') : null);
        }
      } finally {
        await mirror.close();
        await served.close();
      }
    }),
    { numRuns: 25 },
  );
});
