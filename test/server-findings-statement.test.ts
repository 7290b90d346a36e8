// The engine's output in the record: `findings` statements, signed by the log, hold
// every transition GET …/findings lists (without its seq), each with the record
// addresses of the reports it rests on; a restart records nothing twice and loses nothing.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { canonicalJson } from '../src/record/canonical.ts';
import { verifyDisclosure } from '../src/record/sealed.ts';
import { BASE, json, observation, startTestServer, type TestServer } from './helpers/server.ts';

const T0 = '2025-12-27T07:00:00Z';
const T1 = '2025-12-27T07:10:00Z';

interface Entry {
  statement: { type: string; author: string; body: Record<string, unknown> };
}

async function entries(s: TestServer): Promise<Entry[]> {
  const out: Entry[] = [];
  for (let from = 0; ; ) {
    const page = await json(await s.as('ru', 'GET', `${BASE}/record/entries?from=${from}`), 200);
    out.push(...(page.entries as string[]).map((e) => JSON.parse(e) as Entry));
    from += page.entries.length;
    if (from >= page.size || page.entries.length === 0) return out;
  }
}

/** Every item of every findings statement, in record order. */
function recorded(all: Entry[]): Record<string, unknown>[] {
  return all.filter((e) => e.statement.type === 'findings').flatMap((e) => e.statement.body.findings as Record<string, unknown>[]);
}

/**
 * The items opened: a sealed one is read from the log's sealed store and checked against
 * its commitment. Also says which were sealed.
 */
async function opened(s: TestServer, items: Record<string, unknown>[]): Promise<{ views: unknown[]; sealed: boolean[] }> {
  const views: unknown[] = [];
  const sealed: boolean[] = [];
  for (const item of items) {
    const hash = item.sealed;
    sealed.push(typeof hash === 'string');
    if (typeof hash !== 'string') {
      views.push(item);
      continue;
    }
    const c = await s.deployment.openSealed(hash);
    assert.ok(c, `sealed content ${hash} is stored`);
    assert.ok(verifyDisclosure(hash, c.content, c.salt), 'the content is what the commitment names');
    const text = Buffer.from(c.content).toString('utf8');
    assert.equal(text, canonicalJson(JSON.parse(text)), 'content is canonical JSON');
    views.push(JSON.parse(text));
  }
  return { views, sealed };
}

/** GET …/findings as the mediator sees it (everything), without the seqs and the triggering report's id (the record leaves it out: its address is in the basis). */
async function listed(s: TestServer): Promise<Record<string, unknown>[]> {
  const fs = (await json(await s.as('ru', 'GET', `${BASE}/findings`), 200)) as Record<string, unknown>[];
  return fs.map(({ seq: _seq, report: _report, ...f }) => f);
}

test('findings statements hold what GET …/findings lists, with basis addresses; a restart records nothing twice and loses nothing', async () => {
  const now = () => Date.parse('2025-12-27T09:00:00Z');
  const s = await startTestServer({ now });
  let t: TestServer | undefined;
  try {
    await json(
      await s.as('undof', 'POST', `${BASE}/reports`, [
        observation('r-1', 'sy-t1', 'sy', { tanks: 4 }, T0),
        observation('r-2', 'tr-1', 'tr', { troops: 40 }, T0, [36.1, 32.9]),
        observation('r-3', 'sy-t2', 'sy', { tanks: 3 }, T0),
      ]),
      202,
    );
    await s.deployment.recordFindings();
    const first = await listed(s);
    assert.ok(
      first.some((f) => f.finding === 'violation' && f.state === 'open'),
      `a violation opened: ${JSON.stringify(first)}`,
    );
    const all = await entries(s);
    const got = await opened(s, recorded(all));
    assert.deepEqual(got.views, first);
    // Turkey (a third party) reads only the findings about itself: only those are public, the others are commitments.
    const trSees = new Set(
      ((await json(await s.as('tr', 'GET', `${BASE}/findings`), 200)) as { seq: number; report?: string }[]).map(({ seq: _s, report: _r, ...f }) =>
        canonicalJson(f),
      ),
    );
    assert.deepEqual(
      got.sealed,
      got.views.map((v) => !trSees.has(canonicalJson(v))),
    );
    assert.ok(got.sealed.some(Boolean) && trSees.size > 0, 'both kinds occur');
    const st = all.find((e) => e.statement.type === 'findings')!.statement;
    assert.equal(st.author, s.deployment.origin, 'signed by the log');
    assert.equal(typeof st.body.through, 'number');
    // Each basis address names a report in the record; the trigger is among them.
    for (const f of first) {
      const basis = f.basis as { entry: number; n: number }[];
      const at = f.at as { entry: number; n?: number };
      assert.ok(Array.isArray(basis) && basis.length > 0, JSON.stringify(f));
      assert.ok(
        basis.some((b) => b.entry === at.entry && b.n === at.n),
        `the trigger ${JSON.stringify(at)} is in ${JSON.stringify(basis)}`,
      );
      for (const b of basis) {
        const body = all[b.entry].statement.body as { reports?: { id: string; unit?: string }[] };
        const report = body.reports?.[b.n];
        assert.ok(report, `no report at ${JSON.stringify(b)}`);
        if (f.kind === 'limit' && f.state === 'open') assert.ok((f.units as string[]).includes(report.unit!), `${report.unit} counted`);
      }
    }
    // The findings open now show their basis as addresses too.
    const open = (await json(await s.as('ru', 'GET', `${BASE}/findings?open=true`), 200)) as { basis: { entry: number; n: number }[] }[];
    assert.ok(open.length > 0 && open.every((f) => f.basis.every((b) => Number.isInteger(b.entry) && Number.isInteger(b.n))));
    // More transitions, then a stop before the round is written: the stop records them.
    await json(await s.as('undof', 'POST', `${BASE}/reports`, [observation('r-4', 'sy-t1', 'sy', { tanks: 4 }, T1, [36.3, 33.0])]), 202);
    const second = await listed(s);
    assert.ok(second.length > first.length, 'the second batch changed something');
    await s.stop();
    t = await startTestServer({ dir: s.dir, now });
    const size = t.deployment.log.size;
    await t.deployment.recordFindings();
    assert.equal(t.deployment.log.size, size, 'a restart records nothing again');
    assert.deepEqual(await listed(t), second);
    assert.deepEqual((await opened(t, recorded(await entries(t)))).views, second, 'each transition recorded once, none lost');
  } finally {
    await t?.destroy();
    await s.destroy();
  }
});
