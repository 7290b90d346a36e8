import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { readWithNodeCot } from '../../../test/helpers/node-cot.ts';
import { hasXmllint, xsdErrors } from '../../../test/helpers/xmllint.ts';
import { loadArrangement } from '../../arrangement/load.ts';
import type { Finding } from '../../monitor/findings.ts';
import { arrangementFeatures } from '../zone-features.ts';
import type { CotEvent } from './event.ts';
import { findingPosition, findingsToCot } from './from-findings.ts';
import { unitsToCot } from './from-units.ts';
import { zonesToCot } from './from-zones.ts';
import { parseCot } from './parse.ts';
import { decimal, el, writeEvent, writeEvents } from './write.ts';

const ARR = loadArrangement(new URL('../testdata/holes.yaml', import.meta.url).pathname);
const FEATURES = arrangementFeatures(ARR);
const T0 = Date.parse('2025-12-27T10:00:00Z');

const ZONES = zonesToCot(FEATURES, { time: T0 });
const UNITS = unitsToCot(
  [
    { unit: 'a-1', actor: 'a', category: 'army', lon: 35.2, lat: 32.2, alt: null, velocity: null, time: T0 },
    { unit: 'b-jet', actor: 'b', category: 'air-force', lon: 36.2, lat: 32.2, alt: 6000, velocity: { ve: -100, vn: 0, vu: 0 }, time: T0 },
  ],
  { affiliation: (a) => (a === 'a' ? 'f' : 'h') },
);
const FINDINGS: Finding[] = [
  {
    finding: 'violation',
    state: 'open',
    rule: 'r-core',
    kind: 'limit',
    time: '2025-12-27T10:00:00Z',
    report: 'o-1',
    actor: 'a',
    zone: 'core',
    asset: 'troops',
    observed: 12,
    max: 10,
    units: ['a-1'],
  },
  {
    finding: 'separation',
    state: 'open',
    rule: 'r-sep',
    kind: 'separation',
    time: '2025-12-27T10:01:00Z',
    report: 't-2',
    units: ['a-1', 'b-jet'],
    cpa_s: 90,
    cpa_km: 2.5,
    cpa_m: 100,
  },
  { finding: 'violation', state: 'closed', rule: 'r-core', kind: 'limit', time: '2025-12-27T11:00:00Z', report: 'o-3', actor: 'a', zone: 'core' },
];
const FINDING_EVENTS = findingsToCot(FINDINGS, {
  position: () => [36.2, 32.2],
  ruleText: (r) => (r === 'r-core' ? 'At most 10 troops <in> the core & no more.' : undefined),
});
const EMITTED: CotEvent[] = [...ZONES, ...UNITS, ...FINDING_EVENTS];

test('zones go out as one u-d-f shape per part and per hole, lines as open shapes', () => {
  const uids = ZONES.map((e) => e.uid);
  assert.ok(uids.includes('detente.holes.zone.ring.0.hole.1'), 'the drawn hole is a shape of its own');
  assert.ok(
    uids.some((u) => u.startsWith('detente.holes.zone.outer.0.hole.')),
    'the hole cut by another zone is kept',
  );
  assert.deepEqual(
    uids.filter((u) => u.startsWith('detente.holes.zone.islands.')),
    ['detente.holes.zone.islands.0', 'detente.holes.zone.islands.1'],
  );
  const ring = ZONES.find((e) => e.uid === 'detente.holes.zone.ring.0')!;
  const links = ring.detail!.filter((d) => d.name === 'link').map((d) => d.attrs.point);
  assert.equal(links.length, 5);
  assert.equal(links[0], links[4], 'a closed shape repeats its first vertex');
  assert.ok(links.includes('32,35') && links.includes('32.4,35.4'), 'vertices as lat,lon');
  const line = ZONES.find((e) => e.uid === 'detente.holes.line.ridge.0')!;
  assert.deepEqual(
    line.detail!.filter((d) => d.name === 'link').map((d) => d.attrs.point),
    ['33,35', '33.1,35.1', '33.1,35.2'],
  );
});

test('a finding is placed at its unit, else at its zone, else left out', () => {
  const at = findingPosition((u) => (u === 'b-jet' ? [36.25, 32.25] : undefined), FEATURES);
  assert.deepEqual(at(FINDINGS[1]), [36.25, 32.25]);
  assert.deepEqual(at(FINDINGS[0]), [36.2, 32.2], 'the middle of zone core');
  assert.equal(at({ ...FINDINGS[1], units: ['nobody'] }), null);
});

test('only open findings go out: zone breaches as geofence alerts, others as markers', () => {
  assert.deepEqual(
    FINDING_EVENTS.map((e) => e.type),
    ['b-a-g', 'b-m-p-s-m'],
  );
});

test('every event we emit validates against the CoT base-event schema (xmllint)', {
  skip: !hasXmllint && 'xmllint (Debian libxml2-utils) is not installed',
}, () => {
  assert.ok(EMITTED.length > 10);
  assert.deepEqual(xsdErrors(EMITTED.map(writeEvent)), []);
});

test('the schema check can fail: an event with a latitude out of range or no point is caught', { skip: !hasXmllint && 'xmllint is not installed' }, () => {
  const good = writeEvent(UNITS[0]);
  const errors = xsdErrors([good.replace(/lat="[^"]*"/, 'lat="91"'), good.replace(/<point [^>]*\/>/, '')]);
  assert.ok(errors.some((l) => /e0\.xml/.test(l) && /lat/.test(l)));
  assert.ok(errors.some((l) => /e1\.xml/.test(l)));
});

test('what we write reads back the same with our parser', () => {
  const items = parseCot(writeEvents(EMITTED));
  assert.deepEqual(
    items.map((i) => (i.kind === 'event' ? i.event : i)),
    EMITTED.map((e) => ({ ...e, point: { ...e.point } })),
  );
});

test('any event written and read back is itself: text, attributes and numbers survive escaping', () => {
  const str = fc.string({ unit: 'binary', maxLength: 20 });
  const name = fc.stringMatching(/^[a-z_][a-z0-9_.-]{0,8}$/);
  const atom = fc.stringMatching(/^[a-z](-[a-z]){0,4}$/);
  const time = fc.integer({ min: 0, max: 4_000_000_000_000 });
  const coord = (m: number) => fc.double({ min: -m, max: m, noNaN: true }).map((x) => (Object.is(x, -0) ? 0 : x));
  // XML cannot carry every code point: what it cannot is written as U+FFFD, and only that changes.
  const xmlSafe = (s: string) =>
    s.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '\ufffd');
  fc.assert(
    fc.property(
      str.filter((s) => s.length > 0),
      atom,
      atom,
      time,
      coord(90),
      coord(180),
      fc.array(fc.tuple(name, name, str, str), { maxLength: 4 }),
      (uid, type, how, t, lat, lon, kids) => {
        const ev: CotEvent = {
          version: '2.0',
          uid,
          type,
          how,
          time: t,
          start: t,
          stale: t + 1000,
          point: { lat, lon, hae: 1.5, ce: 0.001, le: 1e-7 },
          detail: kids.map(([n, a, v, txt]) => el(n, { [a]: v }, [], txt)),
        };
        const items = parseCot(writeEvent(ev));
        assert.equal(items.length, 1);
        assert.equal(items[0].kind, 'event', JSON.stringify(items[0]));
        const back = (items[0] as { event: CotEvent }).event;
        assert.equal(back.uid, xmlSafe(uid));
        assert.equal(back.time, t);
        assert.ok(Math.abs(back.point.lat - lat) < 1e-9 && Math.abs(back.point.lon - lon) < 1e-9);
        assert.equal(back.point.le, 1e-7);
        assert.deepEqual(
          back.detail!.map((d) => [d.name, d.attrs, d.text]),
          kids.map(([n, a, v, txt]) => [n, { [a]: xmlSafe(v) }, xmlSafe(txt)]),
        );
      },
    ),
    { numRuns: 300 },
  );
});

test('decimals never carry an exponent (xs:decimal)', () => {
  assert.equal(decimal(1e-7), '0.0000001');
  assert.equal(decimal(-2.5e-8), '-0.000000025');
  assert.equal(decimal(35.123456789), '35.123456789');
  assert.equal(decimal(9999999), '9999999');
});

test('@tak-ps/node-cot, an independent reader, reads back what we emit', async () => {
  for (const ev of EMITTED) {
    const c = readWithNodeCot(writeEvent(ev));
    const raw = c.raw.event;
    assert.equal(raw._attributes.uid, ev.uid);
    assert.equal(raw._attributes.type, ev.type);
    assert.equal(Date.parse(raw._attributes.stale), ev.stale);
    assert.equal(Number(raw.point._attributes.lat), ev.point.lat);
    assert.equal(Number(raw.point._attributes.lon), ev.point.lon);
    const gj = await c.to_geojson();
    const callsign = ev.detail!.find((d) => d.name === 'contact')!.attrs.callsign;
    assert.equal(gj.properties.callsign, callsign);
    if (ev.type === 'u-d-f') {
      // Its links become the shape's geometry: a closed ring a polygon, an open one a line.
      const links = ev.detail!.filter((d) => d.name === 'link').map((d) => d.attrs.point.split(',').map(Number).reverse());
      const closed = links[0].join() === links[links.length - 1].join();
      assert.equal(gj.geometry.type, closed ? 'Polygon' : 'LineString', ev.uid);
      const g = gj.geometry as { type: string; coordinates: number[][] | number[][][] };
      const coords = (g.type === 'Polygon' ? g.coordinates[0] : g.coordinates) as number[][];
      assert.deepEqual(
        coords.map((p) => [p[0], p[1]]),
        links,
      );
    } else {
      assert.deepEqual((gj.geometry as { coordinates: number[] }).coordinates.slice(0, 2), [ev.point.lon, ev.point.lat]);
    }
    const track = ev.detail!.find((d) => d.name === 'track');
    if (track) {
      assert.equal(gj.properties.speed, Number(track.attrs.speed));
      assert.equal(gj.properties.course, Number(track.attrs.course));
    }
  }
});
