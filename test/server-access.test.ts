// Access over HTTP, route by route and role by role, as the OpenAPI document lists
// the routes (so a route added later is covered without touching this file):
// tokens, the policy's 403s, confidentiality of sealed submissions, and client input
// that must never cause a 500.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { mayAct, type Action } from '../src/policy/policy.ts';
import { ACTORS, BASE, observation, session, startTestServer, type TestServer } from './helpers/server.ts';

interface Route {
  method: string;
  path: string;
}

async function routesOf(s: TestServer): Promise<Route[]> {
  const doc = JSON.parse((await s.as('ru', 'GET', '/api/openapi.json')).body) as { paths: Record<string, Record<string, unknown>> };
  const out: Route[] = [{ method: 'GET', path: '/api/openapi.json' }];
  for (const [path, ops] of Object.entries(doc.paths)) for (const m of Object.keys(ops)) out.push({ method: m.toUpperCase(), path });
  return out;
}

/** The action the policy is asked about for a route (undefined: any actor). */
function actionOf(r: Route): Action | undefined {
  const p = r.path;
  if (/talks\/bench$/.test(p)) return r.method === 'PUT' ? 'write-bench' : 'read-bench';
  if (r.method === 'POST') {
    const table: [RegExp, Action][] = [
      [/joint\/consents$/, 'consent-direct'],
      [/joint\/open$/, 'open-joint-channel'],
      [/joint\/messages$/, 'joint-message'],
      [/joint\/close$/, 'close-joint-channel'],
      [/submissions$/, 'submit'],
      [/relays$/, 'relay'],
      [/issues$/, 'open-issue'],
      [/close$/, 'close-issue'],
      [/drafts$/, 'draft'],
      [/stances$/, 'stance'],
      [/withdrawals$/, 'withdraw'],
      [/rounds$/, 'open-round'],
      [/extensions$/, 'propose-extension'],
      [/extensions\/approval$/, 'approve-extension'],
      [/approval$/, 'approve'],
      [/announcement$/, 'announce'],
      [/(reports|statements)$/, 'report'],
    ];
    return table.find(([re]) => re.test(p))?.[1];
  }
  if (/\/talks/.test(p)) return 'read-talks';
  if (/\/findings$/.test(p)) return 'read-findings';
  if (/\/events$/.test(p)) return 'read-events';
  if (/\/record\//.test(p)) return 'read-record';
  if (/\{id\}$/.test(p)) return 'read-arrangement';
  return undefined;
}

function urlOf(r: Route, size: number, hash: string): string {
  let u = r.path.replace('{id}', 'southern-syria').replace('{issue}', 'buffer-width').replace('{hash}', hash);
  if (u.endsWith('/inclusion')) u += `?index=0&size=${size}`;
  if (u.endsWith('/consistency')) u += `?from=1&to=${size}`;
  if (u.endsWith('/entries')) u += `?from=0&to=${size}`;
  return u;
}

/** A body of the right shape for each POST route, so that only the role decides. */
function bodyFor(r: Route, actor: string, n: number): unknown {
  const p = r.path;
  if (p.endsWith('talks/bench')) return { issues: [] };
  if (p.endsWith('submissions')) return { text: `s ${n}` };
  if (p.endsWith('relays')) return { to: 'il', text: `r ${n}` };
  if (p.endsWith('issues')) return { id: `issue-${n}`, title: 't' };
  if (p.endsWith('drafts')) return { clauses: [{ id: 'c1', text: 'x' }] };
  if (p.endsWith('stances')) return { draft: 1, clause: 'c1', stance: 'accept' };
  if (p.endsWith('withdrawals')) return {};
  if (p.endsWith('joint/messages')) return { text: `j ${n}` };
  if (/joint\/(consents|open|close)$/.test(p)) return {};
  if (p.endsWith('rounds')) return { agenda: `round ${n}` };
  if (p.endsWith('extensions') || p.endsWith('extensions/approval')) return { deadline: '2026-03-01T00:00:00Z' };
  if (p.endsWith('approval') || p.endsWith('announcement')) return { draft: 1 };
  if (p.endsWith('reports')) return observation(`x-${actor}-${n}`, `${actor}-u`, actor, {}, '2025-12-27T07:00:00Z');
  if (p.endsWith('statements'))
    return { statement: { v: 1, type: 'report', author: actor, time: '2025-12-27T07:00:00Z', arrangement: 'southern-syria', body: {} }, sig: 'AA==', key: 'k' };
  return undefined;
}

async function readEvents(s: TestServer, actor: string, during: () => Promise<void>): Promise<string> {
  const address = s.app.server.listening
    ? `http://127.0.0.1:${(s.app.server.address() as { port: number }).port}`
    : await s.app.listen({ port: 0, host: '127.0.0.1' });
  const ac = new AbortController();
  const res = await fetch(`${address}${BASE}/events`, { headers: { authorization: `Bearer ${s.tokens[actor]}` }, signal: ac.signal });
  assert.equal(res.status, 200);
  const reader = res.body!.getReader();
  let text = '';
  const pump = (async () => {
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        text += new TextDecoder().decode(value);
      }
    } catch {
      // aborted
    }
  })();
  await during();
  await new Promise((r) => setTimeout(r, 150));
  ac.abort();
  await pump;
  return text;
}

test('every route: 401 without a token or with a wrong one', async () => {
  const s = await startTestServer();
  try {
    const routes = await routesOf(s);
    assert.ok(routes.length >= 18, `routes listed: ${routes.length}`);
    for (const r of routes) {
      const url = urlOf(r, 1, '0'.repeat(64));
      for (const auth of [undefined, 'Bearer wrong-token-0000000000000', `Basic ${s.tokens.ru}`, `Bearer ${s.tokens.ru}x`]) {
        const res = await s.app.inject({
          method: r.method as 'GET',
          url,
          headers: auth ? { authorization: auth } : {},
          payload: r.method === 'POST' ? {} : undefined,
        });
        assert.equal(res.statusCode, 401, `${r.method} ${url} with ${auth}`);
        assert.ok(JSON.parse(res.body).error);
      }
    }
  } finally {
    await s.destroy();
  }
});

test('every route as every role: 403 exactly where the policy says no', async () => {
  const s = await startTestServer();
  try {
    await session(s);
    const routes = await routesOf(s);
    const size = s.deployment.log.size;
    let n = 0;
    for (const r of routes) {
      if (r.path.endsWith('/events') || r.path.includes('{hash}')) continue; // streamed / probed below
      const action = actionOf(r);
      for (const actor of ACTORS) {
        const res = await s.as(actor, r.method, urlOf(r, size, ''), r.method === 'POST' || r.method === 'PUT' ? bodyFor(r, actor, n++) : undefined);
        const allowed = action === undefined || mayAct(s.deployment.actors.get(actor)!, action).ok;
        assert.ok(res.statusCode < 500, `${r.method} ${r.path} as ${actor}: ${res.statusCode} ${res.body}`);
        if (allowed) assert.notEqual(res.statusCode, 403, `${r.method} ${r.path} as ${actor}: ${res.body}`);
        else assert.equal(res.statusCode, 403, `${r.method} ${r.path} as ${actor}: ${res.statusCode} ${res.body}`);
      }
    }
  } finally {
    await s.destroy();
  }
});

test('a confidential submission appears on no route and in no event for anyone but its author and the mediator', async () => {
  const s = await startTestServer();
  const marker = `MARKER-${Math.random().toString(36).slice(2)}`;
  try {
    const streamed: Record<string, string> = {};
    // Every other actor follows the event stream while the session runs.
    const watchers = ['sy', 'us', 'undof', 'tr'];
    const texts = await readEvents(s, 'sy', async () => {
      await session(s, marker);
    });
    streamed.sy = texts;
    for (const a of watchers.slice(1)) streamed[a] = await readEvents(s, a, async () => {});
    const routes = (await routesOf(s)).filter((r) => r.method === 'GET');
    const size = s.deployment.log.size;
    const entries = JSON.parse((await s.as('ru', 'GET', `${BASE}/record/entries?from=0&to=${size}`)).body).entries as string[];
    const sealed = entries.map((e) => JSON.parse(e)).find((e) => e.statement.type === 'talks.submit' && e.statement.author === 'il').statement.body
      .sealed as string;
    assert.match(sealed, /^[0-9a-f]{64}$/);

    const seen = async (actor: string) => {
      let all = streamed[actor] ?? '';
      for (const r of routes) if (!r.path.endsWith('/events')) all += (await s.as(actor, 'GET', urlOf(r, size, sealed))).body;
      return all;
    };
    for (const a of watchers) assert.ok(!(await seen(a)).includes(marker), `${a} must not see the confidential submission`);
    assert.ok((await seen('ru')).includes(marker), 'the mediator sees it');
    assert.ok((await seen('il')).includes(marker), 'its author sees it');
    assert.equal((await s.as('sy', 'GET', `${BASE}/record/sealed/${sealed}`)).statusCode, 404);
    const disclosed = JSON.parse((await s.as('ru', 'GET', `${BASE}/record/sealed/${sealed}`)).body);
    assert.ok(disclosed.content.includes(marker));
  } finally {
    await s.destroy();
  }
});

test('bad input: malformed JSON, wrong types, unknown fields, oversized bodies, unknown arrangement', async () => {
  const s = await startTestServer();
  try {
    const malformed = await s.as('il', 'POST', `${BASE}/talks/submissions`, '{"text": "a",');
    assert.equal(malformed.statusCode, 400);
    const unknown = JSON.parse((await s.as('il', 'POST', `${BASE}/talks/submissions`, { text: 'a', secret: true })).body);
    assert.ok(unknown.issues.length >= 1);
    const stance = JSON.parse((await s.as('il', 'POST', `${BASE}/talks/stances`, { draft: 'one', clause: 'c1', stance: 'maybe' })).body);
    assert.deepEqual(stance.issues.map((i: { path: string }) => i.path).sort(), ['draft', 'stance']);
    const huge = await s.as('il', 'POST', `${BASE}/talks/submissions`, { text: 'x'.repeat(2 << 20) });
    assert.equal(huge.statusCode, 413);
    assert.ok(JSON.parse(huge.body).error);
    const elsewhere = await s.as('il', 'GET', '/api/arrangements/sinai-1979/talks');
    assert.equal(elsewhere.statusCode, 404);
    const notJson = await s.as('il', 'POST', `${BASE}/talks/submissions`, 'text=a', { 'content-type': 'application/x-www-form-urlencoded' });
    assert.ok(notJson.statusCode === 415 || notJson.statusCode === 400, String(notJson.statusCode));
    const proto = await s.as('il', 'POST', `${BASE}/talks/submissions`, '{"text":"a","__proto__":{"x":1}}');
    assert.equal(proto.statusCode, 400);
  } finally {
    await s.destroy();
  }
});

test('fuzz: random bodies and queries on every route, as every actor, never a 500', async () => {
  const s = await startTestServer();
  try {
    await session(s);
    const routes = (await routesOf(s)).filter((r) => !r.path.endsWith('/events'));
    const json = fc.oneof(
      fc.jsonValue({ maxDepth: 3 }),
      fc.record({ text: fc.jsonValue(), draft: fc.jsonValue(), clause: fc.jsonValue(), stance: fc.jsonValue(), clauses: fc.jsonValue() }, { requiredKeys: [] }),
    );
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...routes),
        fc.constantFrom(...ACTORS),
        fc.oneof(
          json.map((v) => JSON.stringify(v)),
          fc.string(),
        ),
        fc.string({ maxLength: 20 }),
        async (r, actor, payload, q) => {
          const url =
            urlOf(r, 3, 'ab'.repeat(32)).split('?')[0] + `?from=${encodeURIComponent(q)}&index=${encodeURIComponent(q)}&open=${encodeURIComponent(q)}`;
          const res = await s.as(actor, r.method, url, r.method === 'POST' ? payload : undefined);
          assert.ok(res.statusCode < 500, `${r.method} ${url} as ${actor} with ${payload}: ${res.statusCode} ${res.body}`);
          if (res.statusCode >= 400) assert.equal(typeof JSON.parse(res.body).error, 'string');
        },
      ),
      { numRuns: 400, seed: 20261126 },
    );
  } finally {
    await s.destroy();
  }
});
