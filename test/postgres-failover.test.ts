// Issue 12's "done when": two nodes on one PostgreSQL, 16 clients posting report batches
// to both, the sequencing node killed with -9 mid-load and restarted. Every acknowledged
// report is in the one record, both nodes then serve the same checkpoint, it is
// consistent with every checkpoint seen before the kill, the stored record checks against
// it, and an event-stream client that reconnects to the other node with Last-Event-ID
// misses no finding or talks event. The takeover time (kill → first acknowledgement by the
// other node) is printed, not asserted: the bench reports it.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { run as exportCli } from '../src/cli/export.ts';
import { run as verifyCli } from '../src/cli/verify.ts';
import { checkStore } from '../src/record/check-stored.ts';
import { openCheckpoint } from '../src/record/checkpoint.ts';
import { decodeBase64 } from '../src/record/encoding.ts';
import { verifyConsistency } from '../src/record/merkle.ts';
import { PgLogStore } from '../src/store/postgres/pg-log-store.ts';
import { schemaFor } from '../src/store/postgres/schema-name.ts';
import { captured } from './helpers/captured.ts';
import { testPostgres } from './helpers/postgres.ts';
import { BASE, ID, observation } from './helpers/server.ts';
import { type PgNode, sse, startNode, stopNodes, tokensOf } from './helpers/pg-nodes.ts';

const db = await testPostgres();
const CLIENTS = 16;
const BATCH = 20;

async function until<T>(what: string, ms: number, fn: () => Promise<T | undefined>): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await fn().catch(() => undefined);
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

test('kill -9 of the sequencing node under load: no acknowledged report lost, no fork, streams resume on the other node', {
  skip: typeof db === 'string' ? db : undefined,
  timeout: 300_000,
}, async (t) => {
  if (typeof db === 'string') return;
  const store = await db.database();
  const nodes: PgNode[] = [];
  t.after(() => stopNodes(nodes, 'SIGKILL'));
  const a = await startNode(store);
  nodes.push(a);
  await a.waitFor(/leader epoch 1/, 10_000);
  const b = await startNode(store);
  nodes.push(b);
  const tokens = await tokensOf(store);
  const get = (n: PgNode, path: string) => fetch(n.url + path, { headers: { authorization: `Bearer ${tokens.ru}` } });
  const urls = [a.url, b.url];

  // The reference stream stays on B the whole time; the other starts on A and moves to B.
  const reference = sse(`${b.url}${BASE}/events`, tokens.ru);
  let moving = sse(`${a.url}${BASE}/events`, tokens.ru);
  const streams = [reference, moving];
  t.after(() => {
    for (const s of streams) s.close();
  });
  await Promise.all([reference.opened, moving.opened]);

  const acked: Array<{ index: number; ids: string[] }> = [];
  let stop = false;
  let killedAt = 0;
  let firstAckAfterKill = 0;
  let n = 0;
  const client = async (c: number) => {
    let target = c % 2;
    while (!stop) {
      const ids = Array.from({ length: BATCH }, () => `fo-${c}-${n++}`);
      const body = ids.map((id, i) => observation(id, `sy-fo-${c}-${i}`, 'sy', { troops: 5 + (i % 3) }, '2025-12-27T07:00:00Z'));
      try {
        const r = await fetch(`${urls[target]}${BASE}/reports`, {
          method: 'POST',
          headers: { authorization: `Bearer ${tokens.undof}`, 'content-type': 'application/json' },
          body: JSON.stringify(body),
        });
        const text = await r.text();
        if (r.status === 202) {
          const { indexes } = JSON.parse(text) as { indexes: number[] };
          acked.push({ index: indexes[0], ids });
          if (killedAt && !firstAckAfterKill && target === 1) firstAckAfterKill = Date.now();
        } else if (r.status >= 500) target = 1;
        else assert.fail(`a report batch was refused: ${r.status} ${text}`);
      } catch {
        // The killed node's connections: this client moves to the other node.
        target = 1;
      }
    }
  };
  const load = Array.from({ length: CLIENTS }, (_, c) => client(c));

  // Checkpoints served before the kill.
  const seen = new Set<string>();
  const watch = (async () => {
    while (!killedAt) {
      const r = await get(a, `${BASE}/record/checkpoint`).catch(() => undefined);
      if (r?.status === 200) seen.add(await r.text());
      await new Promise((res) => setTimeout(res, 150));
    }
  })();
  await until('some load acknowledged', 30_000, async () => (acked.length >= 20 ? true : undefined));
  await new Promise((r) => setTimeout(r, 1500));
  const lastId = [...moving.events].reverse().find((e) => e.id !== undefined)?.id;
  killedAt = Date.now();
  a.child.kill('SIGKILL');
  await a.exited;
  await watch;
  moving.close();
  // The client that watched A reconnects to B, from the last position it saw.
  const before = moving.events.slice();
  moving = sse(`${b.url}${BASE}/events`, tokens.ru, lastId);
  streams.push(moving);
  await moving.opened;
  await b.waitFor(/sequences the record now \(leader epoch 2\)/, 30_000);
  await until('an acknowledgement by the other node', 30_000, async () => (firstAckAfterKill ? true : undefined));
  process.stdout.write(`# takeover: ${firstAckAfterKill - killedAt} ms from kill -9 to the first acknowledgement by the other node\n`);

  await new Promise((r) => setTimeout(r, 1500));
  stop = true;
  await Promise.all(load);
  assert.ok(acked.length > 0);
  // A comes back: as a follower, replaying the record into its own state.
  const restart = Date.now();
  const a2 = await startNode(store);
  nodes.push(a2);
  // The line comes in a write after the URL's (later under load): wait for it, as postgres-nodes does.
  await a2.waitFor(/node: following the record/, 10_000);
  process.stdout.write(`# ${acked.length} batches acknowledged; the killed node restarted as a follower in ${Date.now() - restart} ms\n`);

  // Both nodes serve the same checkpoint, covering the whole record.
  const pg = await PgLogStore.open({ url: store, schema: schemaFor(ID), readonly: true });
  t.after(() => pg.close());
  const final = await until('the same final checkpoint on both nodes', 30_000, async () => {
    const [x, y] = await Promise.all([get(a2, `${BASE}/record/checkpoint`).then((r) => r.text()), get(b, `${BASE}/record/checkpoint`).then((r) => r.text())]);
    const { size } = await pg.load();
    return x === y && Number(x.split('\n')[1]) === size ? x : undefined;
  });
  const vkey = (await (await get(b, `${BASE}/record/key`)).text()).trim();
  const origin = final.split('\n')[0];
  const last = openCheckpoint(final, vkey, origin);

  // Consistent with every checkpoint served before the kill.
  assert.ok(seen.size > 0, 'checkpoints were seen before the kill');
  for (const note of seen) {
    const old = openCheckpoint(note, vkey, origin);
    const r = (await (await get(b, `${BASE}/record/proof/consistency?from=${old.size}&to=${last.size}`)).json()) as { proof: string[] };
    assert.ok(
      verifyConsistency(
        old.size,
        last.size,
        old.root,
        last.root,
        r.proof.map((p) => decodeBase64(p, 'proof')),
      ),
      `the checkpoint of ${old.size} is consistent with the last`,
    );
  }

  // Every acknowledged report is in the record, at the entry its acknowledgement named.
  const byEntry = new Map<number, string>();
  const PAGE = 4096;
  for (let from = 0; ; ) {
    const items = await pg.listSealedItems(from, PAGE);
    // A full page may end part-way through an entry: that entry is read whole on the next page.
    const lastEntry = items.length === PAGE ? items[items.length - 1].entry : undefined;
    for (const it of items) if (it.entry !== lastEntry) byEntry.set(it.entry, (byEntry.get(it.entry) ?? '') + Buffer.from(it.content).toString('utf8'));
    if (lastEntry === undefined) break;
    assert.ok(lastEntry > from || items[0].entry !== lastEntry, 'an entry has fewer items than a page');
    from = lastEntry;
  }
  for (const { index, ids } of acked) {
    assert.ok(index < last.size, `entry ${index} is in the record`);
    const text = byEntry.get(index) ?? Buffer.from((await pg.readEntries(index, index + 1))[0]).toString('utf8');
    for (const id of ids) assert.ok(text.includes(`"${id}"`), `report ${id} is in entry ${index}`);
  }
  assert.equal(await checkStore(pg), undefined, 'the stored record checks against its checkpoint');

  // What an auditor does: export the record from the database, verify the bundle with its own tool.
  const out = mkdtempSync(join(tmpdir(), 'detente-failover-export-'));
  t.after(() => rmSync(out, { recursive: true, force: true }));
  const bundle = join(out, 'bundle');
  const exported = await captured(() => exportCli(['--store', store, '--arrangement', ID, '--out', bundle, '--latest']));
  assert.equal(exported.code, 0, exported.text);
  const verified = await captured(() => verifyCli([bundle, '--no-state']));
  assert.equal(verified.code, 0, verified.text);

  // The stream that moved missed no finding or talks event the reference stream had.
  const key2 = (e: { event: string; data: string }) => `${e.event}\n${e.data}`;
  const got = new Set([...before, ...moving.events].filter((e) => e.event === 'finding' || e.event === 'talks').map(key2));
  await until('the reference stream to settle', 10_000, async () => (reference.events.length > 0 ? true : undefined));
  const missed = reference.events.filter((e) => (e.event === 'finding' || e.event === 'talks') && !got.has(key2(e)));
  assert.deepEqual(missed, [], 'no event missed across the reconnect');
  assert.ok(
    reference.events.some((e) => e.event === 'finding'),
    'the load produced findings',
  );
});
