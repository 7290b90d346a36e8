// `detente serve --cot-port`: a loopback ATAK-like client streams position events
// over TCP; they become its actor's reports in the record and findings in the API,
// a bad event costs only itself, and what comes back is valid CoT showing only what
// the actor may see over HTTP.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { loadArrangementSource } from '../src/arrangement/load.ts';
import type { CotEvent } from '../src/interop/cot/event.ts';
import { subjectKey, type Finding } from '../src/monitor/findings.ts';
import { generateKey, parseSignerKey } from '../src/record/keys.ts';
import { endorse } from '../src/record/statement.ts';
import { genesisStatement } from '../src/server/core/arrangement-note.ts';
import { startCotListener, type CotListener } from '../src/server/cot/listener.ts';
import { custodialSigners } from '../src/server/keyring.ts';
import { AtakClient, atakEvent } from './helpers/atak.ts';
import { recordedReports } from './helpers/recorded-reports.ts';
import { json, startTestServer, STORY_START, type TestServer, type TestServerOptions } from './helpers/server.ts';
import { readWithNodeCot } from './helpers/node-cot.ts';
import { hasXmllint, xsdErrors } from './helpers/xmllint.ts';

const HOLES = new URL('../src/interop/testdata/holes.yaml', import.meta.url).pathname;
const HOLES_API = '/api/arrangements/holes';
const SYRIA_API = '/api/arrangements/southern-syria';

/** A time before the test server's clock (which starts at the story's start). */
const T = (minute: number) => new Date(STORY_START - 30 * 60_000 + minute * 60_000).toISOString();

interface Running {
  s: TestServer;
  cot: CotListener;
  /** the plain-TCP port */
  port: number;
  lines: string[];
}

const running: Running[] = [];
after(async () => {
  for (const r of running) {
    await r.cot.close();
    await r.s.destroy();
  }
});

async function start(o: TestServerOptions = {}, authTimeoutMs?: number): Promise<Running> {
  const s = await startTestServer({ web: false, ...o });
  const lines: string[] = [];
  const cot = await startCotListener({ deployment: s.deployment, port: 0, host: '127.0.0.1', log: (l) => lines.push(l), authTimeoutMs });
  const r = { s, cot, port: cot.port!, lines };
  running.push(r);
  return r;
}

const holes = () => start({ source: loadArrangementSource(HOLES) });

async function findings(s: TestServer, actor: string, api = HOLES_API): Promise<Finding[]> {
  return json(await s.as(actor, 'GET', `${api}/findings?open=true`), 200);
}

const presenceOf = (fs: Finding[], unit: string) => fs.find((f) => f.rule === 'r-core-presence' && f.units?.includes(unit));

test('positions streamed in random chunks become findings; a malformed event is refused in the log and the next on the connection lands', async () => {
  const { s, cot, port, lines } = await holes();
  const c = await AtakClient.connect(port, { seed: 3 });
  c.auth('b', s.tokens.b, 'ANDROID-b1');
  c.positions([
    { uid: 'b-1', time: T(0), lat: 32.5, lon: 36.2 }, // outside the core
    { uid: 'b-1', time: T(1), lat: 32.2, lon: 36.2 }, // inside: forbidden to b
  ]);
  c.send(`\n${atakEvent({ uid: 'b-2', time: T(2), lat: 32.2, lon: 36.2 }).replace('lat="32.2"', 'lat="32.2.2"')}`);
  c.positions([{ uid: 'b-3', time: T(3), lat: 32.21, lon: 36.21, speed: 2, course: 90 }]);
  await c.end();
  const open = await findings(s, 'a');
  const p1 = presenceOf(open, 'b-1');
  assert.ok(p1, `b-1 in the core is an open presence finding: ${JSON.stringify(open)}`);
  assert.equal(p1.time, T(1).replace('.000', ''));
  // Each report in the record is b's, as the CoT mapping made it, with the device named.
  const b1 = (await recordedReports(s, 'b', HOLES_API)).find((r) => r.id === `cot:b-1@${T(1).replace('.000', '')}`);
  assert.deepEqual([b1?.actor, b1?.unit, b1?.device, b1?.how], ['b', 'b-1', 'ANDROID-b1', 'm-g']);
  assert.ok(presenceOf(open, 'b-3'), 'the event after the malformed one landed');
  assert.equal(presenceOf(open, 'b-2'), undefined);
  assert.ok(
    lines.some((l) => /uid "b-2".*lat="32\.2\.2" is not a number/.test(l)),
    lines.join('\n'),
  );
  // b's own posture shows where its device put b-3.
  const posture = await json(await s.as('b', 'GET', `${HOLES_API}/posture`), 200);
  const b3 = posture.units.find((u: { unit: string }) => u.unit === 'b-3');
  assert.deepEqual([b3.actor, b3.position], ['b', [36.21, 32.21]]);
  // The server closed its side (the client saw it) once all was recorded; its own 'close' follows.
  for (let i = 0; i < 100 && cot.sessions.size > 0; i++) await new Promise((r) => setTimeout(r, 20));
  assert.equal(cot.sessions.size, 0);
});

test('events before <auth> are refused; after it they land', async () => {
  const { s, port, lines } = await holes();
  const c = await AtakClient.connect(port, { seed: 5 });
  c.positions([{ uid: 'b-5', time: T(5), lat: 32.2, lon: 36.2 }]);
  c.auth('b', s.tokens.b);
  c.positions([{ uid: 'b-6', time: T(6), lat: 32.2, lon: 36.2 }]);
  await c.end();
  const open = await findings(s, 'a');
  assert.ok(presenceOf(open, 'b-6'));
  assert.equal(presenceOf(open, 'b-5'), undefined);
  assert.ok(
    lines.some((l) => /uid "b-5" refused: the connection has not authenticated/.test(l)),
    lines.join('\n'),
  );
});

test('a wrong token closes the connection, and nothing sent with it is recorded', async () => {
  const { s, port, lines } = await holes();
  const c = await AtakClient.connect(port, { seed: 7 });
  // a's token under b's name: refused like an unknown one
  c.send(`<auth><cot username="b" password="${s.tokens.a}" uid="X"/></auth>${atakEvent({ uid: 'b-7', time: T(7), lat: 32.2, lon: 36.2 })}`, 4096);
  await c.closed;
  assert.ok(
    lines.some((l) => /<auth> refused, connection closed: username "b" with this password is not an actor/.test(l)),
    lines.join('\n'),
  );
  const posture = await json(await s.as('b', 'GET', `${HOLES_API}/posture`), 200);
  assert.equal(
    posture.units.find((u: { unit: string }) => u.unit === 'b-7'),
    undefined,
  );
  const size = s.deployment.log.size;
  const d = await AtakClient.connect(port);
  d.auth('b', 'not-a-token-at-all-xxxxxxxxxxxxxxxx');
  await d.closed;
  assert.equal(s.deployment.log.size, size);
});

test('a connection that does not authenticate in time is closed', async () => {
  const { port, lines } = await start({ source: loadArrangementSource(HOLES) }, 300);
  const c = await AtakClient.connect(port);
  const t = Date.now();
  await c.closed;
  assert.ok(Date.now() - t >= 250);
  assert.ok(
    lines.some((l) => /no <auth> within 0.3 s, connection closed/.test(l)),
    lines.join('\n'),
  );
});

test('a re-sent event is the same report: recorded once, the duplicate refused in the log, the rest of its read kept', async () => {
  const { s, port, lines } = await holes();
  const c = await AtakClient.connect(port, { seed: 9 });
  c.auth('b', s.tokens.b);
  const ps = [0, 1, 2].map((k) => ({ uid: `b-${20 + k}`, time: T(10 + k), lat: 32.5, lon: 36.2 }));
  c.positions(ps);
  // the same again, then a new one, in one write: one post, two refused, the new one kept
  c.send(`\n${[...ps.slice(1), { uid: 'b-23', time: T(14), lat: 32.2, lon: 36.2 }].map(atakEvent).join('\n')}`, 1 << 20);
  await c.end();
  assert.ok(presenceOf(await findings(s, 'a'), 'b-23'));
  assert.equal(lines.filter((l) => /duplicate report id/.test(l)).length, 2, lines.join('\n'));
  const ids = (await recordedReports(s, 'b', HOLES_API)).map((r) => r.id as string);
  for (const k of [20, 21, 22, 23]) assert.equal(ids.filter((id) => id.startsWith(`cot:b-${k}@`)).length, 1, `b-${k} recorded once: ${ids}`);
});

test('an actor the server holds no key for is refused at <auth>, saying why', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'detente-cot-'));
  const b = parseSignerKey(generateKey('b').skey);
  const file = join(dir, 'holes.yaml');
  writeFileSync(
    file,
    readFileSync(HOLES, 'utf8').replace('- { id: b, name: Bravo, role: party }', `- { id: b, name: Bravo, role: party, keys: ["${b.verifier.vkey}"] }`),
  );
  const source = loadArrangementSource(file);
  const data = join(dir, 'data');
  const held = custodialSigners(data, ['a', 'm']);
  const statement = genesisStatement(source, new Map([...held].map(([id, k]) => [id, k.verifier.vkey])), 'm');
  const { s, port, lines } = await start({ source, dir: data, custodial: ['a', 'm'], endorsements: [endorse(b, statement)] });
  const c = await AtakClient.connect(port);
  c.auth('b', s.tokens.b);
  await c.closed;
  assert.ok(
    lines.some((l) => /b refused, connection closed: this server holds no key for "b".*does not sign/.test(l)),
    lines.join('\n'),
  );
  // a, which it holds a key for, is taken
  const a = await AtakClient.connect(port);
  a.auth('a', s.tokens.a);
  a.positions([{ uid: 'a-1', time: T(20), lat: 32.6, lon: 36.2 }]);
  await a.end();
  const posture = await json(await s.as('a', 'GET', `${HOLES_API}/posture`), 200);
  assert.ok(posture.units.some((u: { unit: string }) => u.unit === 'a-1'));
});

const cotUid = (kind: 'unit' | 'finding', x: { actor: string; unit: string } | Finding) =>
  kind === 'unit'
    ? `detente.${(x as { actor: string }).actor}.${(x as { unit: string }).unit}`
    : `detente.finding.${subjectKey(x as Finding).replace(/\0/g, '/')}`;

/** The units and finding markers a client holds: the latest event per uid, those gone stale left out. */
function onMap(evs: CotEvent[]): Map<string, CotEvent> {
  const m = new Map<string, CotEvent>();
  for (const e of evs) if (!e.type.startsWith('u-d-')) m.set(e.uid, e);
  for (const [uid, e] of m) if (e.stale <= e.start) m.delete(uid);
  return m;
}

test('out on the same connection: zones once, then units and open findings, valid CoT, and only what the actor may see over HTTP', async () => {
  const { s, port, lines } = await start();
  // Israel's device reports a post inside the Area of Separation.
  const il = await AtakClient.connect(port, { seed: 11 });
  il.auth('il', s.tokens.il, 'ANDROID-il');
  il.positions([{ uid: 'il-post-1', time: T(0), lat: 33.3, lon: 35.825 }]);
  await il.end();
  const viewers = ['il', 'sy', 'ru', 'tr'];
  const clients = new Map<string, AtakClient>();
  for (const v of viewers) {
    const c = await AtakClient.connect(port, { seed: 20 });
    c.auth(v, s.tokens[v], `ANDROID-${v}`);
    clients.set(v, c);
  }
  // Turkey, a third party, may not report: it receives only, its events refused.
  clients.get('tr')!.positions([{ uid: 'tr-1', time: T(1), lat: 33.3, lon: 35.825 }]);
  // Then another, live, while they follow.
  const il2 = await AtakClient.connect(port, { seed: 12 });
  il2.auth('il', s.tokens.il, 'ANDROID-il-2');
  il2.positions([{ uid: 'il-post-2', time: T(1), lat: 33.31, lon: 35.83, speed: 1, course: 10 }]);
  await il2.end();
  const seen = new Map<string, Set<string>>();
  for (const v of viewers) {
    const posture = await json(await s.as(v, 'GET', `${SYRIA_API}/posture`), 200);
    const units = new Set<string>(posture.units.map((u: { actor: string; unit: string }) => cotUid('unit', u)));
    const open = new Set((await findings(s, v, SYRIA_API)).map((f) => cotUid('finding', f)));
    const c = clients.get(v)!;
    // Everything it may see arrives (the posture goes out once a second) …
    // (The zones, sent first, are traced on a worker: seconds, more on a loaded machine.)
    await c.until((evs) => [...units].every((u) => onMap(evs).has(u)), 60_000);
    await new Promise((r) => setTimeout(r, 1500));
    const map = onMap(c.received);
    // … and nothing it may not.
    for (const uid of map.keys())
      assert.ok(units.has(uid) || open.has(uid), `${v} was sent ${uid}, which it does not see over HTTP (units ${[...units]}, findings ${[...open]})`);
    assert.deepEqual(c.refused, []);
    assert.ok(
      c.received.some((e) => e.type === 'u-d-f'),
      `zones are sent to ${v}: ${lines.join('\n')}`,
    );
    const zones = c.received.filter((e) => e.type === 'u-d-f').length;
    assert.equal(new Set(c.received.filter((e) => e.type === 'u-d-f').map((e) => e.uid)).size, zones, 'zones are sent once');
    seen.set(v, new Set(map.keys()));
    const docs = c.text.split('\n').filter((l) => l.trim() !== '');
    assert.equal(docs.length, c.received.length);
    if (hasXmllint) assert.deepEqual(xsdErrors(docs), []);
    // An independent reader takes every event as we meant it.
    docs.forEach((d, k) => assert.equal(readWithNodeCot(d).raw.event._attributes.uid, c.received[k].uid));
    c.destroy();
  }
  // The test means something: Israel sees its posts and the finding they open; Turkey, a third party, sees neither.
  for (const u of ['detente.il.il-post-1', 'detente.il.il-post-2']) {
    assert.ok(seen.get('il')!.has(u), `il sees ${u}`);
    assert.ok(!seen.get('tr')!.has(u), `tr does not see ${u}`);
  }
  assert.ok(
    [...seen.get('il')!].some((u) => u.startsWith('detente.finding.') && u.includes('il-post-1')),
    `il sees the finding: ${[...seen.get('il')!]}`,
  );
  assert.ok(![...seen.get('tr')!].some((u) => u.includes('il-post')), 'tr sees nothing of the posts');
  assert.ok(
    lines.some((l) => /tr\/ANDROID-tr: event uid "tr-1" refused: .*third-party/.test(l)),
    lines.join('\n'),
  );
  const posture = await json(await s.as('ru', 'GET', `${SYRIA_API}/posture`), 200);
  assert.ok(!posture.units.some((u: { unit: string }) => u.unit === 'tr-1'));
});
