import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseReportByJson } from '../../monitor/reports.ts';
import type { CotEvent } from './event.ts';
import { parseCot } from './parse.ts';
import { CotReportError, cotToReport } from './to-report.ts';

function one(xml: string): CotEvent {
  const [item] = parseCot(xml);
  assert.equal(item.kind, 'event');
  return (item as { event: CotEvent }).event;
}

const T = 'time="2025-12-27T10:00:00.000Z" start="2025-12-27T10:00:00.000Z" stale="2025-12-27T10:05:00.000Z"';

test('a position event with <track> becomes a track report: velocity from speed and course, the rest kept', () => {
  const ev = one(
    `<event version="2.0" uid="il-f16-2" type="a-f-A-M-F" how="m-g" ${T}><point lat="33.2" lon="35.7" hae="6000" ce="12.5" le="9999999"/><detail><track speed="200" course="30"/><contact callsign="VIPER 2"/></detail></event>`,
  );
  const r = cotToReport(ev, 'il');
  assert.equal(r.type, 'track');
  assert.equal(r.unit, 'il-f16-2');
  assert.equal(r.actor, 'il');
  assert.deepEqual(r.position, [35.7, 33.2]);
  assert.equal(r.altitude_m, 6000);
  assert.ok(Math.abs(r.velocity!.east_mps - 100) < 1e-9);
  assert.ok(Math.abs(r.velocity!.north_mps - 200 * Math.cos(Math.PI / 6)) < 1e-9);
  assert.equal(r.how, 'm-g');
  assert.equal(r.ce, 12.5);
  assert.equal('le' in r, false, 'an unknown error (9999999) is left out');
  assert.equal(r.callsign, 'VIPER 2');
  // The monitor reads it as any other report: the same unit, place and motion.
  const m = parseReportByJson(JSON.stringify(r));
  assert.equal(m.type, 'track');
  if (m.type !== 'track') return;
  assert.equal(m.time, Date.parse('2025-12-27T10:00:00Z'));
  assert.deepEqual([m.lon, m.lat, m.alt, m.actor, m.unit], [35.7, 33.2, 6000, 'il', 'il-f16-2']);
  assert.ok(Math.abs(m.velocity!.ve - 100) < 1e-9);
});

test('a position event without speed and course is an observation, unknown height left out', () => {
  const ev = one(
    `<event version="2.0" uid="sy-61" type="a-h-G" how="h-e" ${T}><point lat="33.05" lon="35.95" hae="9999999.0" ce="9999999" le="9999999"/><detail><track/></detail></event>`,
  );
  const r = cotToReport(ev, 'undof');
  assert.equal(r.type, 'observation');
  assert.equal('altitude_m' in r, false);
  assert.equal('velocity' in r, false);
  const m = parseReportByJson(JSON.stringify(r));
  assert.equal(m.type, 'observation');
});

test('the report id is the unit and the time: the same event sent twice is the same report', () => {
  const xml = `<event version="2.0" uid="u1" type="a-f-G" how="m-g" ${T}><point lat="1" lon="2" hae="0" ce="1" le="1"/></event>`;
  assert.equal(cotToReport(one(xml), 'il').id, cotToReport(one(xml), 'il').id);
  assert.notEqual(cotToReport(one(xml), 'il').id, cotToReport(one(xml.replaceAll('10:00:00.000Z', '10:00:01.000Z')), 'il').id);
});

test('drawings, alerts and tracks with a bad speed are refused, naming the event', () => {
  const shape = one(`<event version="2.0" uid="zone-1" type="u-d-f" how="h-e" ${T}><point lat="1" lon="2" hae="0" ce="1" le="1"/></event>`);
  assert.throws(
    () => cotToReport(shape, 'il'),
    (e) => e instanceof CotReportError && /"zone-1": type u-d-f is not a position/.test(e.message),
  );
  const bad = one(
    `<event version="2.0" uid="u2" type="a-f-G" how="m-g" ${T}><point lat="1" lon="2" hae="0" ce="1" le="1"/><detail><track speed="fast" course="1"/></detail></event>`,
  );
  assert.throws(() => cotToReport(bad, 'il'), /"u2": <track> speed="fast"/);
});
