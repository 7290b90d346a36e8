// The arrangement scope's one :id check, over every route the OpenAPI document lists
// under /api/arrangements/{id}: an arrangement this server does not run is a 404 naming
// id, whoever asks (before the policy's 403), and changes nothing; a malformed request
// is still a 400 first; routes outside the scope never meet the check.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ACTORS, ID, observation, startTestServer, type TestServer } from './helpers/server.ts';

interface Route {
  method: string;
  path: string;
}

async function scopedRoutes(s: TestServer): Promise<Route[]> {
  const doc = JSON.parse((await s.as('ru', 'GET', '/api/openapi.json')).body) as { paths: Record<string, Record<string, unknown>> };
  const out: Route[] = [];
  for (const [path, ops] of Object.entries(doc.paths))
    if (path.startsWith('/api/arrangements/{id}')) for (const m of Object.keys(ops)) out.push({ method: m.toUpperCase(), path });
  return out;
}

/** The route's URL at arrangement `id`, with the query its schema requires. */
function urlOf(r: Route, id: string): string {
  let u = r.path
    .replace('{id}', id)
    .replace('{issue}', 'buffer-width')
    .replace('{hash}', '0'.repeat(64))
    .replace('{sid}', 'wh-0')
    .replace('{n}', '1')
    .replace('{dispute}', '0')
    .replace('{challenge}', 'challenge-1')
    .replace('{sha256}', 'a'.repeat(64));
  if (u.endsWith('/inclusion')) u += '?index=0&size=1';
  if (u.endsWith('/consistency')) u += '?from=1&to=1';
  if (u.endsWith('/entries')) u += '?from=0&to=1';
  return u;
}

/** A body its schema accepts, so that only the :id can be at fault. */
function bodyFor(r: Route, actor: string, id: string): unknown {
  const p = r.path;
  if (p.endsWith('talks/bench')) return { issues: [] };
  if (p.endsWith('submissions')) return { text: 's' };
  if (p.endsWith('relays')) return { to: 'il', text: 'r' };
  if (p.endsWith('issues')) return { id: 'issue-x', title: 't' };
  if (p.endsWith('drafts')) return { clauses: [{ id: 'c1', text: 'x' }] };
  if (p.endsWith('stances')) return { draft: 1, clause: 'c1', stance: 'accept' };
  if (p.endsWith('withdrawals')) return {};
  if (p.endsWith('extensions') || p.endsWith('extensions/approval')) return { deadline: '2026-03-01T00:00:00Z' };
  if (p.endsWith('approval') || p.endsWith('announcement')) return { draft: 1 };
  if (p.endsWith('rounds')) return { agenda: 'a' };
  if (p.endsWith('joint/consents') || p.endsWith('joint/close')) return {};
  if (p.endsWith('joint/messages')) return { text: 'j' };
  if (p.endsWith('/challenges')) return { zone: 'il-0-10' };
  if (p.endsWith('/refusal')) return { by: 'il' };
  if (p.endsWith('/resolution')) return { outcome: 'upheld', reasons: 'r' };
  if (p.endsWith('keys/enroll')) return { key: `${actor}+00000000+AA==` };
  if (p.endsWith('findings/disputes')) return { finding: { entry: 0, n: 0 }, reason: 'r' };
  if (p.endsWith('webhooks')) return { url: 'https://example.org/hook', events: ['finding.opened'] };
  if (p.endsWith('prepare')) return { command: { kind: 'submit', text: 's' } };
  if (p.endsWith('reports')) return observation(`x-${actor}`, `${actor}-u`, actor, {}, '2025-12-27T07:00:00Z');
  if (p.endsWith('statements'))
    return { statement: { v: 1, type: 'report', author: actor, time: '2025-12-27T07:00:00Z', arrangement: id, body: {} }, sig: 'AA==', key: 'k' };
  return undefined;
}

test('every route under /api/arrangements/{id}: an unknown id is a 404 naming id, for every role, and records nothing', async () => {
  const s = await startTestServer();
  try {
    const routes = await scopedRoutes(s);
    assert.ok(routes.length >= 20, `routes listed: ${routes.length}`);
    const size = s.deployment.log.size;
    for (const other of ['elsewhere', `${ID}-2`])
      for (const r of routes)
        for (const actor of ACTORS) {
          const res = await s.as(actor, r.method, urlOf(r, other), r.method === 'POST' || r.method === 'PUT' ? bodyFor(r, actor, other) : undefined);
          assert.equal(res.statusCode, 404, `${r.method} ${r.path} at ${other} as ${actor}: ${res.body}`);
          const body = JSON.parse(res.body) as { error: string; issues: { path: string }[] };
          assert.match(body.error, new RegExp(`"${other}"`));
          assert.deepEqual(
            body.issues.map((i) => i.path),
            ['id'],
          );
        }
    assert.equal(s.deployment.log.size, size, 'a request at another arrangement must not reach the record');
  } finally {
    await s.destroy();
  }
});

test('the :id check runs after validation: a malformed request at an unknown id is still a 400', async () => {
  const s = await startTestServer();
  try {
    const res = await s.as('il', 'POST', '/api/arrangements/elsewhere/talks/submissions', { text: 7 });
    assert.equal(res.statusCode, 400, res.body);
    const q = await s.as('ru', 'GET', '/api/arrangements/elsewhere/record/proof/inclusion?index=x&size=1');
    assert.equal(q.statusCode, 400, q.body);
  } finally {
    await s.destroy();
  }
});

test('routes outside the arrangement scope never meet the :id check', async () => {
  const s = await startTestServer();
  try {
    const me = await s.as('il', 'GET', '/api/me');
    assert.equal(me.statusCode, 200, me.body);
    assert.equal((JSON.parse(me.body) as { arrangement: string }).arrangement, ID);
    assert.equal((await s.as('il', 'GET', '/api/openapi.json')).statusCode, 200);
  } finally {
    await s.destroy();
  }
});
