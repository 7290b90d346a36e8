// The history routes (docs/history.md): positions at a time, tracks over a window,
// findings at a time and over a window, in each format, from the record as each actor
// may see it; bad times are 400s naming the query field.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseRfc4180 } from './helpers/rfc4180.ts';
import { BASE, json, observation, STORY_START, startTestServer } from './helpers/server.ts';
import { hasXmllint, xsdErrors } from './helpers/xmllint.ts';

const at = (min: number) => new Date(STORY_START - 120 * 60_000 + min * 60_000).toISOString();
const track = (id: string, min: number, lon: number) => ({
  type: 'track',
  id,
  time: at(min),
  source: 'il',
  unit: 'jet-h1',
  actor: 'il',
  category: 'aircraft',
  position: [lon, 32.8],
  altitude_m: 5000,
  velocity: { east_mps: 100, north_mps: 0, up_mps: 0 },
});

test('history: positions at T, tracks over a window, findings at T and over a window, in JSON, GeoJSON, CSV and CoT', { timeout: 60_000 }, async () => {
  const s = await startTestServer({ web: false });
  try {
    await json(await s.as('il', 'POST', `${BASE}/reports`, track('h-1', 0, 35.1)), 202);
    await json(await s.as('il', 'POST', `${BASE}/reports`, track('h-2', 10, 35.2)), 202);
    await json(await s.as('il', 'POST', `${BASE}/reports`, track('h-3', 20, 35.3)), 202);
    // A post in the Area of Separation (a finding opens at minute 30), withdrawn at minute 50 (it closes).
    await json(await s.as('undof', 'POST', `${BASE}/reports`, observation('h-post', 'il-post-h', 'il', { troops: 5 }, at(30))), 202);
    await json(
      await s.as('undof', 'POST', `${BASE}/reports`, {
        type: 'observation',
        id: 'h-post-gone',
        time: at(50),
        source: 'undof',
        unit: 'il-post-h',
        actor: 'il',
        status: 'withdrawn',
      }),
      202,
    );
    const get = async (actor: string, url: string) => {
      const r = await s.as(actor, 'GET', `${BASE}/history/${url}`);
      assert.equal(r.statusCode, 200, `${url}: ${r.body}`);
      return r;
    };

    // Positions: the last report at or before T; a withdrawn unit is gone.
    const pos = async (actor: string, t: string) =>
      JSON.parse((await get(actor, `positions?at=${t}`)).body).units as { unit: string; report: string; position: number[] }[];
    assert.deepEqual(
      (await pos('il', at(15))).map((u) => u.report),
      ['h-2'],
    );
    assert.deepEqual((await pos('il', at(40))).map((u) => u.report).sort(), ['h-3', 'h-post']);
    assert.deepEqual(
      (await pos('il', at(60))).map((u) => u.report),
      ['h-3'],
      'the withdrawn post is gone',
    );
    assert.deepEqual(await pos('il', at(-1)), []);
    assert.deepEqual(
      (await pos('sy', at(15))).map((u) => u.report),
      [],
      "Syria sees none of Israel's own tracks",
    );

    // Tracks over a window, and of one unit.
    const tracks = JSON.parse((await get('ru', `tracks?from=${at(5)}&to=${at(20)}`)).body) as { report: string }[];
    assert.deepEqual(
      tracks.map((p) => p.report),
      ['h-2', 'h-3'],
    );
    const one = JSON.parse((await get('ru', `tracks?unit=il-post-h`)).body) as { report: string }[];
    assert.deepEqual(
      one.map((p) => p.report),
      ['h-post'],
    );

    // The same window in the other formats.
    const geo = JSON.parse((await get('ru', `tracks?from=${at(5)}&to=${at(20)}&format=geojson`)).body);
    assert.equal(geo.type, 'FeatureCollection');
    assert.deepEqual(
      geo.features.map((f: { geometry: { coordinates: number[] } }) => f.geometry.coordinates),
      [
        [35.2, 32.8, 5000],
        [35.3, 32.8, 5000],
      ],
    );
    const csv = await get('ru', `tracks?from=${at(5)}&to=${at(20)}&format=csv`);
    assert.equal(csv.headers['content-type'], 'text/csv; charset=utf-8; header=present');
    const { records } = parseRfc4180(csv.body);
    assert.deepEqual(
      records.slice(1).map((r) => [r[records[0].indexOf('report')], r[records[0].indexOf('lon')]]),
      [
        ['h-2', '35.2'],
        ['h-3', '35.3'],
      ],
    );
    const cot = (await get('ru', `tracks?from=${at(5)}&to=${at(20)}&format=cot`)).body.trim().split('\n');
    assert.equal(cot.length, 2);
    assert.match(cot[0], /uid="detente\.il\.jet-h1"[^>]*time="[^"]*"/);
    assert.match(cot[1], /lon="35\.3"/);
    if (hasXmllint) assert.deepEqual(xsdErrors(cot), []);

    // Findings: open at minute 40, closed by minute 60; the window holds both transitions.
    type F = { rule: string; state: string; finding: string };
    const aos = (fs: F[]) => fs.filter((f) => f.rule === 'r-aos-only-undof');
    const open40 = JSON.parse((await get('sy', `findings?at=${at(40)}`)).body).findings as F[];
    assert.deepEqual(
      aos(open40).map((f) => f.state),
      ['open'],
    );
    const open60 = JSON.parse((await get('sy', `findings?at=${at(60)}`)).body).findings as F[];
    assert.deepEqual(aos(open60), []);
    const moved = JSON.parse((await get('sy', `findings?from=${at(25)}&to=${at(55)}`)).body) as F[];
    assert.deepEqual(
      aos(moved).map((f) => f.state),
      ['open', 'closed'],
    );
    assert.deepEqual(JSON.parse((await get('tr', `findings?at=${at(40)}`)).body).findings, [], 'Turkey is not concerned');
    const fcsv = parseRfc4180((await get('sy', `findings?from=${at(25)}&to=${at(55)}&format=csv`)).body).records;
    assert.deepEqual(
      fcsv
        .slice(1)
        .filter((r) => r[4] === 'r-aos-only-undof')
        .map((r) => r[3]),
      ['open', 'closed'],
    );
    const fgeo = JSON.parse((await get('sy', `findings?at=${at(40)}&format=geojson`)).body);
    const aosFeature = fgeo.features.find((f: { properties: F }) => f.properties.rule === 'r-aos-only-undof');
    assert.equal(aosFeature.geometry.type, 'Point', "at its zone's middle");
    const fcot = (await get('sy', `findings?at=${at(40)}&format=cot`)).body.trim().split('\n');
    assert.ok(fcot.some((e) => e.includes('r-aos-only-undof') && e.includes('type="b-a-g"')));
    if (hasXmllint) assert.deepEqual(xsdErrors(fcot), []);
  } finally {
    await s.destroy();
  }
});

test('history: bad at, from or to is a 400 naming the query field', { timeout: 30_000 }, async () => {
  const s = await startTestServer({ web: false });
  try {
    const cases: [string, string][] = [
      ['positions?at=yesterday', 'query.at'],
      ['positions?at=2025-02-30T00:00:00Z', 'query.at'],
      ['tracks?from=2025-12-27', 'query.from'],
      ['tracks?to=2025-12-27T25:00:00Z', 'query.to'],
      ['tracks?from=2025-12-28T00:00:00Z&to=2025-12-27T00:00:00Z', 'query.to'],
      ['findings?at=2025-12-27T00:00:00Z&to=2025-12-28T00:00:00Z', 'query.at'],
      ['findings?from=x', 'query.from'],
      ['positions?format=kml', 'query.format'],
      ['tracks?since=1', 'query'],
    ];
    for (const [url, path] of cases) {
      const r = await s.as('ru', 'GET', `${BASE}/history/${url}`);
      assert.equal(r.statusCode, 400, `${url}: ${r.body}`);
      const issues = JSON.parse(r.body).issues as { path: string }[];
      assert.ok(
        issues.some((i) => i.path === path || (path === 'query' && i.path.startsWith('query'))),
        `${url}: ${r.body}`,
      );
    }
  } finally {
    await s.destroy();
  }
});
