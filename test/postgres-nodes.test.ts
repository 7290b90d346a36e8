// Two nodes on one PostgreSQL (issue 12, part 2): the first sequences, the second follows
// the record and forwards writes. A report posted to the follower is acknowledged and
// readable on both, a talks command through the follower works, both serve the same
// checkpoint and the same record, and the follower's event stream carries the leader's
// events with the same ids (record positions).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { testPostgres } from './helpers/postgres.ts';
import { BASE, observation } from './helpers/server.ts';
import { type PgNode, sse, startNode, stopNodes, tokensOf } from './helpers/pg-nodes.ts';

const db = await testPostgres();

async function until<T>(what: string, ms: number, fn: () => Promise<T | undefined>): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

test('two nodes on one database: writes through the follower, the same record, checkpoint and events on both', {
  skip: typeof db === 'string' ? db : undefined,
  timeout: 180_000,
}, async (t) => {
  if (typeof db === 'string') return;
  const store = await db.database();
  const nodes: PgNode[] = [];
  t.after(() => stopNodes(nodes));
  const a = await startNode(store);
  nodes.push(a);
  await a.waitFor(/sequences the record now \(leader epoch 1\)/, 10_000);
  const b = await startNode(store);
  nodes.push(b);
  // The line comes in a write of its own after the URL's: wait for it rather than read stdout at once.
  await b.waitFor(/node: following the record/, 10_000);
  const tokens = await tokensOf(store);
  const as = (n: PgNode, actor: string, method: string, path: string, body?: unknown) =>
    fetch(n.url + path, {
      method,
      headers: { authorization: `Bearer ${tokens[actor]}`, ...(body ? { 'content-type': 'application/json' } : {}) },
      body: body ? JSON.stringify(body) : undefined,
    });

  const streamA = sse(`${a.url}${BASE}/events`, tokens.ru);
  const streamB = sse(`${b.url}${BASE}/events`, tokens.ru);
  t.after(() => {
    streamA.close();
    streamB.close();
  });
  await Promise.all([streamA.opened, streamB.opened]);

  // A report through the follower: acknowledged once durable, and the follower has applied it when it answers.
  const posted = await as(b, 'undof', 'POST', `${BASE}/reports`, observation('n-1', 'sy-n-1', 'sy', { troops: 12 }, '2025-12-27T07:00:00Z'));
  assert.equal(posted.status, 202, await posted.clone().text());
  const size = Number(posted.headers.get('x-detente-size'));
  const { indexes } = (await posted.json()) as { indexes: number[] };
  assert.ok(indexes[0] < size, `the answer says how far the leader had applied (${size}) past the report's entry ${indexes[0]}`);
  for (const n of [a, b]) {
    const r = await as(n, 'undof', 'GET', `${BASE}/record/entries?from=${indexes[0]}&to=${indexes[0] + 1}`);
    assert.equal(r.status, 200, await r.clone().text());
  }
  const entriesOf = async (n: PgNode) =>
    ((await (await as(n, 'ru', 'GET', `${BASE}/record/entries?from=0&to=${size}`)).json()) as { entries: string[] }).entries;
  const [onB, onA] = [await entriesOf(b), await entriesOf(a)];
  assert.equal(onB.length, size, 'the follower has applied the write when it answers');
  assert.ok(JSON.stringify(onB) === JSON.stringify(onA), 'the follower serves the same entries');

  // A talks command through the follower.
  const issue = await as(b, 'ru', 'POST', `${BASE}/talks/issues`, { id: 'buffer-width', title: 'Width of the buffer strip', numeric: { unit: 'km' } });
  assert.equal(issue.status, 201, await issue.clone().text());
  for (const n of [a, b]) {
    const talks = (await (await as(n, 'ru', 'GET', `${BASE}/talks`)).json()) as { issues?: Array<{ id: string }> };
    assert.ok(JSON.stringify(talks).includes('buffer-width'), `the issue is in the talks on ${n === a ? 'the leader' : 'the follower'}`);
  }
  // Something the follower cannot forward is refused the same way as on the leader.
  const bad = await as(b, 'ru', 'POST', `${BASE}/talks/issues`, { id: 'buffer-width', title: 'again', numeric: { unit: 'km' } });
  const badA = await as(a, 'ru', 'POST', `${BASE}/talks/issues`, { id: 'buffer-width', title: 'again', numeric: { unit: 'km' } });
  assert.equal(bad.status, badA.status);
  assert.ok(bad.status >= 400 && bad.status < 500);

  // Both serve the same checkpoint once the leader has signed one covering everything.
  const checkpoint = (n: PgNode) => as(n, 'ru', 'GET', `${BASE}/record/checkpoint`).then((r) => r.text());
  const same = await until('the same checkpoint on both nodes', 20_000, async () => {
    const [x, y] = await Promise.all([checkpoint(a), checkpoint(b)]);
    // A signed note: origin, then the tree size, then the root.
    const total = Number(x.split('\n')[1]);
    return x === y && total >= size + 1 ? x : undefined;
  });
  assert.ok(same.length > 0);

  // The follower's stream carried the leader's talks event, with the same id.
  const talksOf = (s: ReturnType<typeof sse>) => s.events.filter((e) => e.event === 'talks');
  await until('the talks event on both streams', 10_000, async () => (talksOf(streamA).length && talksOf(streamB).length ? true : undefined));
  assert.deepEqual(talksOf(streamB), talksOf(streamA));
  assert.ok(talksOf(streamA)[0].id !== undefined, 'the talks event has a record position');
  const ids = (s: ReturnType<typeof sse>) => s.events.filter((e) => e.event === 'talks' || e.event === 'finding').map((e) => `${e.event}:${e.id}:${e.data}`);
  assert.deepEqual(ids(streamB), ids(streamA), 'the same finding and talks events, with the same ids');
});
