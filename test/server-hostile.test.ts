// A hostile client at the server's edge. Every POST route the OpenAPI document lists
// gets, as every actor, a body of the right shape with one field spoiled at a time
// (wrong types, huge strings, lone surrogates in values and keys, deep nesting, huge
// numbers), odd content types and odd paths. Nothing may answer 5xx, and a 400 about
// one field must name that field. Then each defect found this way, on its own.
import assert from 'node:assert/strict';
import { createConnection } from 'node:net';
import { readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { test } from 'node:test';
import { parseArrangementSource } from '../src/arrangement/load.ts';
import { canonicalJson } from '../src/record/canonical.ts';
import { encodeBase64, utf8 } from '../src/record/encoding.ts';
import { readSignerKeyFile } from '../src/record/key-file.ts';
import { signStatement, type Statement } from '../src/record/statement.ts';
import { buildApp } from '../src/server/app.ts';
import { Deployment } from '../src/server/deployment.ts';
import { ACTORS, BASE, EXAMPLE, ID, json, observation, startTestServer, STORY_START, type TestServer } from './helpers/server.ts';

const T = '2025-12-27T07:00:00Z';
/** A JSON text that parses to a lone surrogate (raw ones are not valid UTF-8). */
const LONE = '"\\ud800x"';

interface Issue {
  path: string;
  message: string;
}

/** A JSON value written as text, so that values JSON.stringify cannot write (1e400, lone surrogates) can be sent. */
type Raw = { raw: string };
const raw = (text: string): Raw => ({ raw: text });

function text(v: unknown): string {
  if (v !== null && typeof v === 'object' && 'raw' in v) return (v as Raw).raw;
  if (Array.isArray(v)) return `[${v.map(text).join(',')}]`;
  if (v !== null && typeof v === 'object') return `{${Object.entries(v).map(([k, x]) => `${JSON.stringify(k)}:${text(x)}`)}}`;
  return JSON.stringify(v);
}

const deep = (n: number) => raw('['.repeat(n) + ']'.repeat(n));

/** What a field is spoiled with: each a value no field of this API takes. */
const SPOILS: [string, unknown][] = [
  ['a number', 12345],
  ['a boolean', true],
  ['null', null],
  ['an object', { x: 1 }],
  ['a huge string', 'x'.repeat(100_000)],
  ['a lone surrogate', raw(LONE)],
  ['deep nesting', deep(80)],
  ['1e400', raw('1e400')],
  ['-1e400', raw('-1e400')],
];

/** Spoils that a field of some type may take: whether they are refused is the field's business, but never with a 5xx. */
const ODD_BUT_VALID: [string, unknown][] = [
  ['-0', raw('-0')],
  ['2**64', raw('18446744073709551616')],
  ['an empty string', ''],
  ['an empty array', []],
];

async function postRoutes(s: TestServer): Promise<string[]> {
  const doc = JSON.parse((await s.as('ru', 'GET', '/api/openapi.json')).body) as { paths: Record<string, Record<string, unknown>> };
  return Object.entries(doc.paths)
    .filter(([, ops]) => 'post' in ops)
    .map(([p]) => p.replace('{id}', ID).replace('{issue}', 'buffer-width').replace('{dispute}', '0').replace('{challenge}', 'challenge-1'));
}

/** A body of the right shape for each POST route. */
function bodyFor(path: string, actor: string, n: number, sign: (st: Statement) => unknown): Record<string, unknown> | unknown[] | undefined {
  if (path.endsWith('submissions')) return { text: `s ${n}`, issue: 'buffer-width', position: 3, confidential: false };
  if (path.endsWith('relays')) return { to: 'il', text: `r ${n}`, cites: [] };
  if (path.endsWith('/issues')) return { id: `issue-${n}`, title: 't', numeric: { unit: 'km' } };
  if (path.endsWith('drafts')) return { clauses: [{ id: 'c1', text: 'x', rules: [] }], note: 'n' };
  if (path.endsWith('stances')) return { draft: 1, clause: 'c1', stance: 'accept', note: 'n' };
  if (path.endsWith('withdrawals')) return { clauses: ['c1'], note: 'n' };
  if (path.endsWith('extensions') || path.endsWith('extensions/approval')) return { deadline: '2026-03-01T00:00:00Z' };
  if (path.endsWith('approval') || path.endsWith('announcement')) return { draft: 1 };
  if (path.endsWith('rounds')) return { agenda: `round ${n}` };
  if (path.endsWith('joint/consents')) return { note: `c ${n}` };
  if (path.endsWith('joint/messages')) return { text: `j ${n}` };
  if (path.endsWith('joint/close')) return { note: `x ${n}` };
  if (path.endsWith('/challenges')) return { zone: 'il-0-10' };
  if (path.endsWith('/refusal')) return { by: 'il', reason: 'r' };
  if (path.endsWith('/resolution')) return { outcome: 'upheld', reasons: 'r' };
  if (path.endsWith('prepare')) return { command: { kind: 'submit', text: `p ${n}` } };
  const own = actor === 'undof' || actor === 'ru' ? 'sy' : actor;
  const report = { ...observation(`h-${actor}-${n}`, `${own}-h-${n % 7}`, own, { troops: 3 }, T), velocity: { east_mps: 1, north_mps: 0 } };
  if (path.endsWith('reports')) return report;
  if (path.endsWith('statements')) return sign({ v: 1, type: 'report', author: actor, time: T, arrangement: ID, body: report }) as Record<string, unknown>;
  return undefined;
}

/** Every field path of a body, nested objects and the first item of lists included. */
function fieldsOf(v: unknown, at: (string | number)[] = []): (string | number)[][] {
  if (v === null || typeof v !== 'object') return [];
  const out: (string | number)[][] = [];
  const entries: [string | number, unknown][] = Array.isArray(v) ? (v.length ? [[0, v[0]]] : []) : Object.entries(v);
  for (const [k, x] of entries) {
    out.push([...at, k]);
    out.push(...fieldsOf(x, [...at, k]));
  }
  return out;
}

function pathText(parts: (string | number)[]): string {
  return parts.map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? p : `.${p}`)).join('');
}

function replaced(v: unknown, at: (string | number)[], by: unknown): unknown {
  if (at.length === 0) return by;
  const copy = (Array.isArray(v) ? [...v] : { ...(v as object) }) as Record<string | number, unknown>;
  copy[at[0]] = replaced(copy[at[0]], at.slice(1), by);
  return copy;
}

function removed(v: unknown, at: (string | number)[]): unknown {
  if (at.length === 1) {
    if (Array.isArray(v)) return v.filter((_, i) => i !== at[0]);
    const { [at[0]]: _, ...rest } = v as Record<string, unknown>;
    return rest;
  }
  const copy = (Array.isArray(v) ? [...v] : { ...(v as object) }) as Record<string | number, unknown>;
  copy[at[0]] = removed(copy[at[0]], at.slice(1));
  return copy;
}

/** Whether an issue's path names the field at `field` (or something inside it). */
function names(issues: Issue[], field: string): boolean {
  return issues.some((i) => i.path === field || i.path.startsWith(`${field}.`) || i.path.startsWith(`${field}[`));
}

function signerFor(s: TestServer) {
  const signers = new Map(ACTORS.map((a) => [a, readSignerKeyFile(`${s.dir}/keys/actors/${a}.key`)]));
  return (st: Statement) => {
    const signer = signers.get(st.author as (typeof ACTORS)[number]);
    let sig = 'AA==';
    try {
      if (signer) sig = encodeBase64(signer.sign(utf8(canonicalJson(st))));
    } catch {
      // A statement canonical JSON cannot hold is sent with a signature of nothing.
    }
    return { statement: st, sig, key: signer?.verifier.vkey ?? 'k' };
  };
}

test('hostile input: every POST route, every actor, every field spoiled; never a 5xx, and a 400 names the field', async (t) => {
  const s = await startTestServer();
  const started = Date.now();
  try {
    const sign = signerFor(s);
    const routes = await postRoutes(s);
    assert.ok(routes.length >= 11, `POST routes listed: ${routes.length}`);
    let sent = 0;
    let named = 0;
    const post = async (actor: string, url: string, body: string) => {
      const res = await s.as(actor, 'POST', url, body);
      sent++;
      assert.ok(res.statusCode < 500, `${url} as ${actor} with ${body.slice(0, 300)}: ${res.statusCode} ${res.body}`);
      return res;
    };
    let n = 0;
    for (const url of routes) {
      for (const actor of ACTORS) {
        // Each request gets a body of its own (a spoil that is taken must not make the next a duplicate).
        const fresh = () => bodyFor(url, actor, n++, sign);
        const good = fresh();
        if (good === undefined) {
          // A route without a body: any body, and odd path parameters.
          await post(actor, url, text({ x: raw(LONE) }));
          continue;
        }
        // The statements route signs what it sends again, so that only the spoiled field is wrong.
        const resign = (b: unknown) => {
          const st = (b as { statement?: unknown }).statement;
          return url.endsWith('statements') && st !== null && typeof st === 'object' && typeof (st as Statement).author === 'string'
            ? sign(st as Statement)
            : b;
        };
        for (const field of fieldsOf(good)) {
          // A signed statement's signature and key are opaque: spoiling them is a wrong signature, checked below.
          if (url.endsWith('statements') && (field[0] === 'sig' || field[0] === 'key')) continue;
          const where = pathText(field);
          for (const [what, by] of SPOILS) {
            const res = await post(actor, url, text(resign(replaced(fresh(), field, by))));
            if (res.statusCode !== 400) continue;
            const issues = (JSON.parse(res.body) as { issues: Issue[] }).issues;
            // A report the spoil left valid is refused for being sent raw (the policy restricts it): not the field's fault.
            if (url.endsWith('statements') && issues.length === 1 && /must be sent as \{ "sealed" \}/.test(issues[0].message)) continue;
            assert.ok(names(issues, where), `${url} as ${actor}, ${where} as ${what}: the 400 does not name ${where}: ${res.body.slice(0, 400)}`);
            named++;
          }
          // Values some field may take: a party's and the mediator's view are enough to show no 5xx.
          if (actor === 'il' || actor === 'ru') for (const [, by] of ODD_BUT_VALID) await post(actor, url, text(resign(replaced(fresh(), field, by))));
          const res = await post(actor, url, text(resign(removed(fresh(), field))));
          if (res.statusCode === 400) {
            const issues = (JSON.parse(res.body) as { issues: Issue[] }).issues;
            // A missing field is named, or (if it was optional) what its absence left wrong.
            if (field.length === 1 && !url.endsWith('statements'))
              assert.ok(issues.length > 0 && issues.every((i) => i.path !== '' || Array.isArray(good)), `${url}: ${where} removed: ${res.body}`);
          }
        }
        // A lone surrogate in a key.
        const res = await post(actor, url, `{"k\\ud800":1,${text(good).slice(1)}`);
        assert.equal(res.statusCode, 400, `${url} as ${actor}: a lone surrogate in a key: ${res.body}`);
        assert.ok(names(JSON.parse(res.body).issues, 'k\\ud800'), res.body);
      }
    }
    assert.ok(named > 200, `field-specific 400s checked: ${named}`);
    assert.ok(sent > 2000, `requests sent: ${sent}`);
    t.diagnostic(`${sent} requests, ${named} field-specific 400s checked, ${Date.now() - started} ms`);
    assert.ok(Date.now() - started < 60_000, `took ${Date.now() - started} ms`);
  } finally {
    await s.destroy();
  }
});

test('hostile input: whole bodies, content types and paths; never a 5xx', async () => {
  const s = await startTestServer();
  try {
    const routes = await postRoutes(s);
    const bodies = [
      deep(100_000).raw,
      raw(LONE).raw,
      '1e400',
      '-0',
      '18446744073709551616',
      '"x"',
      'null',
      '[]',
      '{}',
      `[${'{},'.repeat(20_000)}{}]`,
      '{"a":',
      '\u0000',
    ];
    const types = [
      'text/plain',
      'application/json; charset=utf-16',
      'application/json; charset=latin1',
      'multipart/form-data; boundary=x',
      'application/x-www-form-urlencoded',
      '',
    ];
    for (const url of routes) {
      for (const b of bodies) {
        const res = await s.as('ru', 'POST', url, b);
        assert.ok(res.statusCode >= 400 && res.statusCode < 500, `${url} with ${b.slice(0, 40)}: ${res.statusCode} ${res.body}`);
      }
      for (const type of types) {
        const res = await s.app.inject({
          method: 'POST',
          url,
          headers: { authorization: `Bearer ${s.tokens.ru}`, ...(type ? { 'content-type': type } : {}) },
          payload: '{"text":"x"}',
        });
        assert.ok(res.statusCode < 500, `${url} as ${type}: ${res.statusCode} ${res.body}`);
        if (type.startsWith('application/json; charset=') || type.startsWith('text/') || type.startsWith('multipart/'))
          assert.equal(res.statusCode, 415, `${url} as ${type}: ${res.body}`);
      }
    }
    const paths = [
      '/%25',
      '/%',
      '/%ZZ',
      '/%252e%252e/%252e%252e/etc/passwd',
      '/..%2f..%2fetc%2fpasswd',
      '/../../etc/passwd',
      `/${'a'.repeat(20_000)}`,
      '/%ED%A0%80',
      '/%00',
      `${BASE}/%25`,
      '/api/arrangements/%25/reports',
      '/api/arrangements/%ED%A0%80/findings',
      `${BASE}/findings?limit=%`,
      `${BASE}/findings?since=1e400`,
      `${BASE}/talks/issues/%25/close`,
      `${BASE}/talks/issues/${'x'.repeat(10_000)}/close`,
      `${BASE}/record/sealed/%2e%2e`,
    ];
    for (const p of paths) {
      for (const actor of [null, 'ru', 'tr']) {
        for (const method of ['GET', 'POST']) {
          const res = await s.as(actor, method, p, method === 'POST' ? '{}' : undefined);
          assert.ok(res.statusCode < 500, `${method} ${p.slice(0, 60)} as ${actor}: ${res.statusCode} ${res.body.slice(0, 200)}`);
        }
      }
    }
  } finally {
    await s.destroy();
  }
});

// ---- each defect on its own ---------------------------------------------------------

test('a lone surrogate in a value or a key is a 400 naming it, not a 500', async () => {
  const s = await startTestServer();
  try {
    const r = text({ ...observation('ls-1', 'il-u', 'il', {}, T), id: raw(LONE) });
    assert.deepEqual((await json(await s.as('il', 'POST', `${BASE}/reports`, r), 400)).issues[0].path, 'id');
    const k = text([observation('ls-2', 'il-u', 'il', {}, T), { ...observation('ls-3', 'il-u', 'il', {}, T), holdings: raw('{"x\\udc00":1}') }]);
    assert.equal((await json(await s.as('il', 'POST', `${BASE}/reports`, k), 400)).issues[0].path, '[1].holdings.x\\udc00');
    const t = text({ text: raw(LONE) });
    assert.equal((await json(await s.as('il', 'POST', `${BASE}/talks/submissions`, t), 400)).issues[0].path, 'text');
  } finally {
    await s.destroy();
  }
});

test('nesting deeper than 64 levels and numbers beyond a double are 400s naming the field', async () => {
  const s = await startTestServer();
  try {
    const d = text({ ...observation('dn-1', 'il-u', 'il', {}, T), extra: deep(70) });
    const res = await json(await s.as('il', 'POST', `${BASE}/reports`, d), 400);
    assert.ok(res.issues[0].path.startsWith('extra['), res.issues[0].path);
    const inf = text({ ...observation('dn-2', 'il-u', 'il', {}, T), extra: raw('1e400') });
    assert.equal((await json(await s.as('il', 'POST', `${BASE}/reports`, inf), 400)).issues[0].path, 'extra');
  } finally {
    await s.destroy();
  }
});

test('a report too big for a record entry is a 413, alone or in a batch, naming where it is', async () => {
  const s = await startTestServer();
  try {
    const big = { ...observation('big-1', 'il-u', 'il', {}, T), pad: 'x'.repeat(70_000) };
    assert.equal((await json(await s.as('il', 'POST', `${BASE}/reports`, big), 413)).issues.length, 1);
    const batch = [observation('big-0', 'il-u', 'il', {}, T), big];
    assert.equal((await json(await s.as('il', 'POST', `${BASE}/reports`, batch), 413)).issues[0].path, '[1]');
  } finally {
    await s.destroy();
  }
});

test('a signed statement: an impossible time, or a body over 64 KiB, is a 4xx naming the field', async () => {
  const s = await startTestServer();
  try {
    const signer = readSignerKeyFile(`${s.dir}/keys/actors/undof.key`);
    const at = (time: string) => {
      const x = signStatement(signer, { type: 'report', arrangement: ID, body: observation(`st-${time}`, 'sy-u', 'sy', {}, T), time: T });
      return { ...x, statement: { ...x.statement, time } };
    };
    for (const time of ['2025-02-30T00:00:00Z', 'not a time'])
      assert.equal((await json(await s.as('undof', 'POST', `${BASE}/statements`, at(time)), 400)).issues[0].path, 'statement.time');
    const big = signStatement(signer, {
      type: 'report',
      arrangement: ID,
      body: { ...observation('st-big', 'sy-u', 'sy', {}, T), pad: 'x'.repeat(70_000) },
      time: T,
    });
    assert.equal((await json(await s.as('undof', 'POST', `${BASE}/statements`, big), 413)).issues[0].path, 'statement.body');
  } finally {
    await s.destroy();
  }
});

test('static paths are decoded once: GET /%25 without a token is not a 500', async () => {
  const s = await startTestServer();
  try {
    for (const p of ['/%25', '/%25%25', '/a%25b']) assert.ok((await s.as(null, 'GET', p)).statusCode < 500, p);
  } finally {
    await s.destroy();
  }
});

test('an unknown /api path is a JSON 404, not the UI', async () => {
  const s = await startTestServer();
  try {
    for (const p of ['/api/nope', '/api/arrangement', `${BASE}/nope`, '/api']) {
      const res = await s.as('ru', 'GET', p);
      assert.equal(res.statusCode, 404, p);
      assert.match(String(res.headers['content-type']), /application\/json/, p);
      assert.ok(JSON.parse(res.body).error);
    }
  } finally {
    await s.destroy();
  }
});

test('/reports names the missing or mistyped field of a report, alone or at its place in a batch', async () => {
  const s = await startTestServer();
  try {
    const ok = observation('rf-0', 'il-u', 'il', {}, T);
    const cases: [unknown, string][] = [
      [{ id: 'rf-1', time: T }, 'type'],
      [{ type: 'observation', time: T }, 'id'],
      [{ type: 'observation', id: 'rf-2' }, 'time'],
      [{ type: 7, id: 'rf-3', time: T }, 'type'],
      [{ type: 'observation', id: 7, time: T }, 'id'],
      [[ok, ok, ok, { type: 'observation', id: 'rf-4' }], '[3].time'],
      [[ok, { type: 'observation', id: 5, time: T }], '[1].id'],
    ];
    for (const [body, path] of cases) {
      const res = await json(await s.as('il', 'POST', `${BASE}/reports`, body), 400);
      assert.ok(
        res.issues.some((i: Issue) => i.path === path),
        `${JSON.stringify(body)}: ${JSON.stringify(res.issues)}`,
      );
    }
  } finally {
    await s.destroy();
  }
});

test('/talks/prepare names the command field at fault as command.<field>', async () => {
  const s = await startTestServer();
  try {
    const res = await json(await s.as('il', 'POST', `${BASE}/talks/prepare`, { command: { kind: 'submit', text: 5 } }), 400);
    assert.equal(res.issues[0].path, 'command.text');
  } finally {
    await s.destroy();
  }
});

test('reports naming an unknown zone, actor or notification are refused, naming the field', async () => {
  const s = await startTestServer();
  try {
    const w = { from: '2025-12-28T00:00:00Z', to: '2025-12-29T00:00:00Z' };
    const size = s.deployment.log.size;
    const cases: [string, unknown, string][] = [
      ['il', { type: 'notification', id: 'u-1', time: T, actor: 'il', zone: 'nowhere', window: w }, 'zone'],
      ['undof', observation('u-2', 'zz-u', 'zz', {}, T), 'actor'],
      ['sy', { type: 'ack', id: 'u-3', time: T, actor: 'sy', notification: 'no-such' }, 'notification'],
      ['undof', { type: 'inspection', id: 'u-4', time: T, source: 'undof', zones: ['aos', 'nowhere'] }, 'zones[1]'],
    ];
    for (const [actor, body, path] of cases) assert.equal((await json(await s.as(actor, 'POST', `${BASE}/reports`, body), 400)).issues[0].path, path);
    assert.equal(s.deployment.log.size, size, 'nothing recorded');
    // Known ones pass, and an acknowledgement may follow its notification in the same batch.
    const note = { type: 'notification', id: 'u-5', time: T, actor: 'il', zone: 'aos', window: w };
    await json(await s.as('il', 'POST', `${BASE}/reports`, [note]), 202);
    await json(await s.as('sy', 'POST', `${BASE}/reports`, { type: 'ack', id: 'u-6', time: T, actor: 'sy', notification: 'u-5' }), 202);
  } finally {
    await s.destroy();
  }
});

test('a JSON body in any charset but UTF-8 is a 415', async () => {
  const s = await startTestServer();
  try {
    const body = JSON.stringify(observation('cs-1', 'il-u', 'il', {}, T));
    for (const cs of ['utf-16', 'UTF-16LE', 'iso-8859-1'])
      await json(await s.as('il', 'POST', `${BASE}/reports`, body, { 'content-type': `application/json; charset=${cs}` }), 415);
    await json(await s.as('il', 'POST', `${BASE}/reports`, body, { 'content-type': 'application/json; charset=UTF-8' }), 202);
  } finally {
    await s.destroy();
  }
});

test("a report dated after the server's clock plus the tolerance is refused; the engine's clock stays", async () => {
  const s = await startTestServer({ now: () => STORY_START });
  try {
    const far = await json(await s.as('undof', 'POST', `${BASE}/reports`, observation('f-1', 'sy-u', 'sy', {}, '9999-12-31T00:00:00Z')), 400);
    assert.equal(far.issues[0].path, 'time');
    const batch = [observation('f-2', 'sy-u', 'sy', {}, T), observation('f-3', 'sy-u', 'sy', {}, '2025-12-27T07:05:01Z')];
    assert.equal((await json(await s.as('undof', 'POST', `${BASE}/reports`, batch), 400)).issues[0].path, '[1].time');
    // Within the default five minutes: taken.
    await json(await s.as('undof', 'POST', `${BASE}/reports`, observation('f-4', 'sy-u', 'sy', {}, '2025-12-27T07:04:59Z')), 202);
    const posture = await json(await s.as('ru', 'GET', `${BASE}/posture`), 200);
    assert.equal(posture.time, '2025-12-27T07:04:59Z');
  } finally {
    await s.destroy();
  }
});

test('the future tolerance is set per arrangement (reports.future_tolerance)', async () => {
  const text0 = readFileSync(EXAMPLE, 'utf8');
  const source = parseArrangementSource(text0.replace(/^actors:/m, 'reports: { future_tolerance: PT1H }\nactors:'), {
    file: EXAMPLE,
    baseDir: dirname(EXAMPLE),
  });
  assert.equal(source.arrangement.reports?.futureToleranceMs, 3_600_000);
  const { mkdtempSync, rmSync } = await import('node:fs');
  const dir = mkdtempSync('/tmp/detente-hostile-');
  const d = await Deployment.open({ dataDir: dir, source, deployment: 'test', now: () => STORY_START, checkpointIntervalMs: 0 });
  const app = await buildApp(d, { web: false });
  try {
    const post = (id: string, time: string) =>
      app.inject({
        method: 'POST',
        url: `${BASE}/reports`,
        headers: { authorization: `Bearer ${d.tokens.undof}`, 'content-type': 'application/json' },
        payload: JSON.stringify(observation(id, 'sy-u', 'sy', {}, time)),
      });
    assert.equal((await post('t-1', '2025-12-27T07:59:00Z')).statusCode, 202);
    assert.equal((await post('t-2', '2025-12-27T08:01:00Z')).statusCode, 400);
  } finally {
    await app.close();
    await d.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a body trickling in a byte at a time is cut off when the request timeout passes', async () => {
  const s = await startTestServer();
  const app = await buildApp(s.deployment, { web: false, requestTimeoutMs: 600 });
  try {
    const address = await app.listen({ port: 0, host: '127.0.0.1' });
    const { port } = new URL(address);
    const started = Date.now();
    const closed = await new Promise<{ ms: number; answer: string }>((resolve, reject) => {
      const sock = createConnection({ port: Number(port), host: '127.0.0.1' });
      let answer = '';
      let timer: NodeJS.Timeout | undefined;
      sock.on('connect', () => {
        sock.write(
          `POST ${BASE}/reports HTTP/1.1\r\nhost: x\r\nauthorization: Bearer ${s.tokens.undof}\r\ncontent-type: application/json\r\ncontent-length: 1000\r\n\r\n{`,
        );
        timer = setInterval(() => sock.writable && sock.write(' '), 150);
      });
      sock.on('data', (b) => (answer += b.toString()));
      sock.on('error', () => undefined);
      sock.on('close', () => {
        clearInterval(timer);
        resolve({ ms: Date.now() - started, answer });
      });
      setTimeout(() => reject(new Error('the slow client was never cut off')), 8_000).unref();
    });
    assert.ok(closed.ms < 5_000, `closed after ${closed.ms} ms`);
    assert.ok(closed.ms >= 500, `closed after ${closed.ms} ms, before the timeout`);
  } finally {
    await app.close();
    await s.destroy();
  }
});
