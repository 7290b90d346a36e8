// Need-to-know on every route (issue 11, design §4): every GET route the OpenAPI document
// lists, the tlog tiles and the event stream, as every actor of the southern-Syria
// example, after an Israeli track with coordinates and ids nothing else contains was
// posted (custodially and self-signed). The exact track reaches Israel, Russia (the
// mediator) and the United States (the guarantor the example adds) and nobody else; a
// finding about Israel reaches everyone the findings policy names, Turkey only findings
// about itself; Syria sees UNDOF's team only coarsened. The routes come from the OpenAPI
// document, so a GET route added later that this test cannot fill fails it.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { test } from 'node:test';
import { readSignerKeyFile } from '../src/record/key-file.ts';
import { signSealed } from './helpers/sealed-reports.ts';
import { ACTORS, BASE, ID, json, observation, STORY_START, startTestServer, type TestServer } from './helpers/server.ts';

const T = new Date(STORY_START - 60_000).toISOString();
const velocity = { east_mps: 140, north_mps: -20, up_mps: 0 };

// The planted Israeli tracks: ids and coordinates no other data holds.
const CUSTODIAL = { id: 'nk-il-custodial-7731', lon: 35.2178913, lat: 32.8034517 };
const SIGNED = { id: 'nk-il-signed-5519', lon: 35.2265431, lat: 32.8123457 };
const LIVE = { id: 'nk-il-live-4420', lon: 35.2311119, lat: 32.8199913 };
const TEAM = { id: 'nk-undof-team-3301', lon: 35.8456789, lat: 33.1567891 };
const ISRAEL_ONLY = [CUSTODIAL, SIGNED, LIVE].flatMap((p) => [p.id, String(p.lon), String(p.lat)]);
const ISRAEL_READERS = new Set(['il', 'ru', 'us']);
// The mediator's bench: reservation values no other data holds, read by the mediator
// alone (the example names no guarantor for the bench). A party must never learn them.
const RESERVATIONS = [4.918273, 713.4417];
const BENCH = {
  issues: [
    {
      id: 'strip-km',
      parties: { il: { position: 10, reservation: RESERVATIONS[0], direction: 'more' }, sy: { position: 0, reservation: 6, direction: 'less' } },
    },
    {
      id: 'troops',
      parties: { il: { position: 1200, reservation: 800, direction: 'more' }, sy: { position: 300, reservation: RESERVATIONS[1], direction: 'less' } },
    },
  ],
};
// A photo attached to the custodial track: its bytes carry the track's id, so only those who read the track may find it.
const PHOTO = Buffer.from(`a photo of ${CUSTODIAL.id} at ${CUSTODIAL.lon} ${CUSTODIAL.lat}`);
const PHOTO_SHA = createHash('sha256').update(PHOTO).digest('hex');

const ilTrack = (p: { id: string; lon: number; lat: number }) => ({
  type: 'track',
  id: p.id,
  time: T,
  source: 'il',
  unit: `jet-${p.lat > 32.81 ? 'b' : 'a'}${Math.round(p.lon * 1000) % 7}`,
  actor: 'il',
  category: 'aircraft',
  position: [p.lon, p.lat],
  altitude_m: 6100,
  velocity,
});

interface Seen {
  /** every byte each actor was sent, as text */
  text: Record<string, string>;
  /** the posture as each actor got it */
  posture: Record<string, { units: { unit: string; actor: string; position: [number, number]; coarse?: unknown }[] }>;
  findings: Record<string, { rule: string; seq: number }[]>;
}

/** Values for every path and required query parameter of the API's GET routes; a route needing anything else fails the test. */
function filler(s: TestServer, hash: string, entry: number) {
  const size = s.deployment.log.size;
  assert.ok(size < 256, 'the record fits one partial tile');
  const path: Record<string, string> = {
    id: ID,
    hash,
    sha256: PHOTO_SHA,
    // The tiles: every entry bundle and hash tile the record has (one partial tile each at this size).
    '*': '',
  };
  const query: Record<string, string> = { index: String(entry), size: String(size), from: '0', to: String(size) };
  return { path, query, size };
}

function urlsOf(route: string, params: { in: string; name: string; required?: boolean }[], fill: ReturnType<typeof filler>): string[] {
  const missing = params
    .filter((p) => p.required && p.in === 'path' && !(p.name in fill.path))
    .concat(params.filter((p) => p.required && p.in === 'query' && !(p.name in fill.query)));
  assert.deepEqual(
    missing.map((p) => `${p.in}:${p.name}`),
    [],
    `GET ${route}: this test has no value for a required parameter; give it one (and a disclosure decision to the route)`,
  );
  const query = params
    .filter((p) => p.in === 'query' && p.required)
    .map((p) => `${p.name}=${fill.query[p.name]}`)
    .join('&');
  const withQuery = (u: string) => (query ? `${u}?${query}` : u);
  if (route.endsWith('/tile/entries/{*}')) return [withQuery(route.replace('{id}', ID).replace('{*}', `000.p/${fill.size}`))];
  if (route.endsWith('/tile/{*}')) return [withQuery(route.replace('{id}', ID).replace('{*}', `0/000.p/${fill.size}`))];
  const filled = route.replace(/\{([^}]+)\}/g, (_m, name: string) => {
    assert.ok(name in fill.path, `GET ${route}: no value for {${name}}`);
    return fill.path[name];
  });
  const urls = [withQuery(filled)];
  // Optional switches that change what a route shows are tried too.
  if (params.some((p) => p.in === 'query' && p.name === 'open')) urls.push(`${filled}?open=true`);
  if (params.some((p) => p.in === 'query' && p.name === 'witnessed')) urls.push(`${filled}?witnessed=false`);
  // The history's formats each show what JSON shows, in another form.
  if (params.some((p) => p.in === 'query' && p.name === 'format')) for (const f of ['geojson', 'csv', 'cot']) urls.push(`${filled}?format=${f}`);
  return urls;
}

/** Reads an event stream for a while over a real socket (an SSE reply never ends). */
function readEvents(port: number, token: string, ms: number, during?: () => Promise<void>): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = '';
    const req = request({ port, host: '127.0.0.1', path: `${BASE}/events`, headers: { authorization: `Bearer ${token}` } }, (res) => {
      assert.equal(res.statusCode, 200);
      res.setEncoding('utf8');
      res.on('data', (c: string) => {
        text += c;
      });
      res.on('error', () => undefined);
      const done = () => {
        req.destroy();
        resolve(text);
      };
      (during ? during() : Promise.resolve()).then(() => setTimeout(done, ms), reject);
    });
    req.on('error', (e) => (text ? undefined : reject(e)));
    req.end();
  });
}

async function plant(s: TestServer): Promise<{ hash: string; entry: number }> {
  // Custodial: the server signs for Israel and seals the track.
  const attachments = [{ sha256: PHOTO_SHA, type: 'image/png', bytes: PHOTO.length }];
  const custodial = await json(await s.as('il', 'POST', `${BASE}/reports`, { ...ilTrack(CUSTODIAL), attachments }), 202);
  const upload = { 'content-type': 'image/png', authorization: `Bearer ${s.tokens.il}` };
  assert.equal((await s.app.inject({ method: 'PUT', url: `${BASE}/attachments/${PHOTO_SHA}`, headers: upload, payload: PHOTO })).statusCode, 201);
  const entry = custodial.indexes[0];
  const hash = JSON.parse(Buffer.from(await s.deployment.log.entry(entry)).toString('utf8')).statement.body.sealed;
  assert.match(hash, /^[0-9a-f]{64}$/);
  // Self-signed: Israel seals its own track and sends the opening beside the statement.
  const il = readSignerKeyFile(join(s.dir, 'keys', 'actors', 'il.key'));
  await json(await s.as('il', 'POST', `${BASE}/statements`, signSealed(il, { type: 'reports', arrangement: ID, body: { reports: [ilTrack(SIGNED)] } })), 202);
  // A finding about Israel (a post in the Area of Separation), one about Turkey (forces in the south), and UNDOF's own team.
  await json(await s.as('undof', 'POST', `${BASE}/reports`, observation('nk-post-il', 'il-post-9', 'il', { troops: 12 }, T)), 202);
  await json(await s.as('undof', 'POST', `${BASE}/reports`, observation('nk-south-tr', 'tr-unit-9', 'tr', { troops: 40 }, T, [36.1, 32.75])), 202);
  await json(await s.as('undof', 'POST', `${BASE}/reports`, observation(TEAM.id, 'undof-team-1', 'undof', { troops: 8 }, T, [TEAM.lon, TEAM.lat])), 202);
  return { hash, entry };
}

test('need-to-know on every GET route, the tiles and the event stream, as every actor of the example', { timeout: 120_000 }, async () => {
  // Webhooks fail at once (a closed loopback port, one attempt), so each actor's dead letters hold what its subscription was sent.
  const s = await startTestServer({ web: false, webhooks: { allowPrivate: true, retry: { attempts: 1, baseMs: 10 } } });
  try {
    const sids: Record<string, string> = {};
    for (const a of ACTORS) {
      const events = ['finding.opened', 'finding.closed', 'zone.entered', 'zone.exited', 'notice.unacknowledged'];
      sids[a] = (await json(await s.as(a, 'POST', `${BASE}/webhooks`, { url: 'http://127.0.0.1:1/hook', events }), 201)).id;
    }
    const { hash, entry } = await plant(s);
    await json(await s.as('ru', 'PUT', `${BASE}/talks/bench`, BENCH), 200);
    const doc = JSON.parse((await s.as('ru', 'GET', '/api/openapi.json')).body) as {
      paths: Record<string, { get?: { parameters?: { in: string; name: string; required?: boolean }[] } }>;
    };
    await s.app.listen({ port: 0, host: '127.0.0.1' });
    const port = (s.app.server.address() as AddressInfo).port;
    const fill = filler(s, hash, entry);
    const seen: Seen = { text: {}, posture: {}, findings: {} };
    let routes = 0;

    // Event streams, one per actor, open while a live track arrives (posture events go out once a second).
    const streams = ACTORS.map((a) => readEvents(port, s.tokens[a], 1500));
    await new Promise((r) => setTimeout(r, 200));
    await json(await s.as('il', 'POST', `${BASE}/reports`, ilTrack(LIVE)), 202);
    const events = await Promise.all(streams);

    for (const actor of ACTORS) {
      let text = events[ACTORS.indexOf(actor)];
      assert.match(text, /event: posture/, `${actor}: the stream greets with the posture`);
      for (const [route, ops] of Object.entries(doc.paths)) {
        if (!ops.get) continue;
        if (route.endsWith('/events')) continue; // read above, over a socket
        // A subscription's routes: the actor's own, and Israel's (another's is a 404, as an unknown one).
        const mine = urlsOf(route, ops.get.parameters ?? [], { ...fill, path: { ...fill.path, sid: sids[actor] } });
        const israels = route.includes('{sid}') ? urlsOf(route, ops.get.parameters ?? [], { ...fill, path: { ...fill.path, sid: sids.il } }) : [];
        for (const url of new Set([...mine, ...israels])) {
          const res = await s.as(actor, 'GET', url);
          assert.ok(res.statusCode < 500, `${actor} GET ${url}: ${res.statusCode} ${res.body}`);
          text += `\n${url}\n${res.body}`;
          if (url === `${BASE}/posture`) seen.posture[actor] = JSON.parse(res.body);
          if (url === `${BASE}/findings`) seen.findings[actor] = JSON.parse(res.body);
          routes++;
        }
      }
      seen.text[actor] = text;
    }
    assert.ok(routes >= ACTORS.length * 18, `routes read: ${routes}`);
    // GET /api/arrangements and /api/me: the caller's own part, nothing of another actor's
    // (test/multi-arrangement.test.ts: nor of another arrangement).
    for (const actor of ACTORS) {
      for (const route of ['/api/arrangements', '/api/me']) {
        const listed = (await json(await s.as(actor, 'GET', route), 200)).arrangements as { id: string; actor: string }[];
        assert.deepEqual(
          listed.map((a) => [a.id, a.actor]),
          [[ID, actor]],
          `${actor} GET ${route}`,
        );
      }
    }
    // The photo attached to Israel's track: fetched by exactly those who read the track.
    for (const actor of ACTORS) assert.equal(seen.text[actor].includes(PHOTO.toString()), ISRAEL_READERS.has(actor), `${actor} and the attached photo`);

    // The exact Israeli tracks: only Israel, the mediator and the guarantor.
    for (const actor of ACTORS) {
      for (const needle of ISRAEL_ONLY) {
        const at = seen.text[actor].indexOf(needle);
        const where = at < 0 ? '' : `: …${seen.text[actor].slice(Math.max(0, at - 300), at + 60)}…`;
        assert.equal(at >= 0, ISRAEL_READERS.has(actor), `${actor} ${at >= 0 ? 'was shown' : 'was not shown'} ${needle}${where}`);
      }
    }
    // The bench's reservation values: the mediator, nobody else, on any route or stream.
    for (const actor of ACTORS)
      for (const v of RESERVATIONS) assert.equal(seen.text[actor].includes(String(v)), actor === 'ru', `${actor} and the reservation value ${v}`);
    // Everyone who reads it got the live track on the stream too.
    for (const a of ISRAEL_READERS) assert.ok(events[ACTORS.indexOf(a as (typeof ACTORS)[number])].includes(LIVE.id), `${a}: the live track on the stream`);

    // Findings: the one about Israel reaches every actor the findings policy names; Turkey only its own.
    const aos = (a: string) => seen.findings[a].some((f) => f.rule === 'r-aos-only-undof');
    const south = (a: string) => seen.findings[a].some((f) => f.rule === 'r-south-no-turkey');
    for (const a of ['il', 'sy', 'ru', 'us', 'undof'] as const) assert.ok(aos(a) && south(a), `${a} sees both findings`);
    assert.equal(aos('tr'), false, 'Turkey is not concerned by the Israeli post');
    assert.equal(south('tr'), true, 'Turkey sees the finding about its own forces');
    for (const a of ACTORS) assert.equal(events[ACTORS.indexOf(a)].includes('r-aos-only-undof'), a !== 'tr', `${a}: the finding about Israel on the stream`);

    // Webhooks got what the streams got: each actor's dead letters hold its findings, Turkey's only its own; Israel's are Israel's alone.
    const dead = async (a: string, sid = sids[a]) => s.as(a, 'GET', `${BASE}/webhooks/${sid}/dead-letters`);
    for (const a of ACTORS) {
      const text = (await dead(a)).body;
      assert.equal(text.includes('r-aos-only-undof'), a !== 'tr', `${a}: the finding about Israel in its webhook's dead letters`);
      assert.ok(text.includes('r-south-no-turkey'), `${a}: the finding about Turkey in its webhook's dead letters`);
      if (a !== 'il') assert.equal((await dead(a, sids.il)).statusCode, 404, `${a} reads Israel's dead letters`);
    }

    // UNDOF's team: exact for UNDOF, the mediator and the guarantor; coarsened for the parties; absent for Turkey.
    const team = (a: string) => seen.posture[a].units.find((u) => u.unit === 'undof-team-1');
    for (const a of ['undof', 'ru', 'us']) assert.deepEqual(team(a)?.position, [TEAM.lon, TEAM.lat], a);
    for (const a of ['sy', 'il']) {
      const u = team(a);
      assert.ok(u?.coarse, `${a} sees the team coarsened`);
      assert.notDeepEqual(u.position, [TEAM.lon, TEAM.lat]);
      assert.ok(Math.abs(u.position[0] - TEAM.lon) < 0.1 && Math.abs(u.position[1] - TEAM.lat) < 0.1, `${a}: near, on the grid`);
    }
    assert.equal(team('tr'), undefined);
    for (const a of ['sy', 'il', 'tr']) assert.equal(seen.text[a].includes(String(TEAM.lon)), false, `${a} never gets the team's exact position`);
  } finally {
    await s.destroy();
  }
});
