import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import type { CotEvent, CotItem } from './event.ts';
import { CotStreamParser, parseCot } from './parse.ts';

const T = '2025-12-27T10:00:00Z';
function ev(uid: string, point = 'lat="33.1" lon="35.9" hae="250" ce="10" le="5"', detail = '<detail><track speed="10" course="90"/></detail>'): string {
  return `<event version="2.0" uid="${uid}" type="a-f-G-U-C" how="m-g" time="${T}" start="${T}" stale="2025-12-27T10:05:00Z"><point ${point}/>${detail}</event>`;
}

function events(items: CotItem[]): CotEvent[] {
  return items.flatMap((i) => (i.kind === 'event' ? [i.event] : []));
}
function refusals(items: CotItem[]) {
  return items.flatMap((i) => (i.kind === 'refused' ? [i.refusal] : []));
}

test('events back to back, with declarations, comments and white space between them, are read in order', () => {
  const text = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n${ev('a')}<!-- keepalive -->\n<?xml version="1.0"?>${ev('b')}  ${ev('c')}`;
  const items = parseCot(text);
  assert.deepEqual(refusals(items), []);
  const got = events(items);
  assert.deepEqual(
    got.map((e) => e.uid),
    ['a', 'b', 'c'],
  );
  assert.deepEqual(got[0].point, { lat: 33.1, lon: 35.9, hae: 250, ce: 10, le: 5 });
  assert.equal(got[0].time, Date.parse(T));
  assert.equal(got[0].detail?.[0].name, 'track');
  assert.equal(got[0].detail?.[0].attrs.course, '90');
});

test('however the stream is cut into chunks, the same events come out', () => {
  const text = `<?xml version="1.0"?>${ev('a')}\n${ev('b', undefined, '<detail><remarks>x &amp; y &#x263A; <![CDATA[<raw>]]></remarks></detail>')}${ev('c')}`;
  const whole = parseCot(text);
  fc.assert(
    fc.property(fc.array(fc.integer({ min: 0, max: text.length }), { maxLength: 8 }), (cuts) => {
      const at = [...new Set(cuts)].sort((a, b) => a - b);
      const p = new CotStreamParser();
      const got: CotItem[] = [];
      let last = 0;
      for (const c of at) {
        got.push(...p.push(text.slice(last, c)));
        last = c;
      }
      got.push(...p.push(text.slice(last)), ...p.end());
      assert.deepEqual(got, whole);
    }),
  );
  assert.equal(events(whole)[1].detail?.[0].text, 'x & y ☺ <raw>');
});

test('an event is returned as soon as it is whole, before the stream ends', () => {
  const p = new CotStreamParser();
  const text = ev('a') + ev('b');
  const cut = ev('a').length + 10;
  assert.deepEqual(
    events(p.push(text.slice(0, cut))).map((e) => e.uid),
    ['a'],
  );
  assert.deepEqual(
    events(p.push(text.slice(cut))).map((e) => e.uid),
    ['b'],
  );
});

// Each malformed event is refused naming it (uid where readable) and saying why; the next one is read.
const BAD: [string, string, RegExp][] = [
  ['an unclosed event', ev('u1').replace('</event>', ''), /<event> is not closed|is not closed/],
  ['an unclosed inner tag', ev('u2', undefined, '<detail><track speed="1" course="2"></detail>'), /<track> is not closed/],
  ['a bad number', ev('u3', 'lat="33.x" lon="35.9" hae="0" ce="1" le="1"'), /lat="33\.x" is not a number/],
  ['an empty number', ev('u4', 'lat="" lon="35.9" hae="0" ce="1" le="1"'), /lat="" is not a number/],
  ['a blank number', ev('u4b', 'lat=" " lon="35.9" hae="0" ce="1" le="1"'), /lat=" " is not a number/],
  ['a hexadecimal number', ev('u4c', 'lat="0x1f" lon="35.9" hae="0" ce="1" le="1"'), /lat="0x1f" is not a number/],
  ['a latitude out of range', ev('u5', 'lat="91" lon="35.9" hae="0" ce="1" le="1"'), /lat=91 is out of range \[-90, 90\]/],
  ['a longitude out of range', ev('u6', 'lat="33" lon="-180.5" hae="0" ce="1" le="1"'), /lon=-180\.5 is out of range/],
  ['an event with no point', ev('u7').replace(/<point [^>]*\/>/, ''), /has no <point>/],
  ['a point with no hae', ev('u8', 'lat="33" lon="35"  ce="1" le="1"'), /<point> has no hae/],
  ['a time without a zone', ev('u9').replace(`time="${T}"`, 'time="2025-12-27T10:00:00"'), /time="2025-12-27T10:00:00" is not an RFC 3339/],
  ['an unquoted attribute', ev('u10').replace('how="m-g"', 'how=m-g'), /must be quoted/],
  ['an unknown entity', ev('u11', undefined, '<detail><remarks>&nbsp;</remarks></detail>'), /unknown entity &nbsp;/],
  ['a DOCTYPE inside', ev('u12', undefined, '<detail><!DOCTYPE x></detail>'), /DTDs are refused/],
  ['a duplicated attribute', ev('u13').replace('how="m-g"', 'how="m-g" how="h-e"'), /how is given twice/],
  ['an event with no uid', ev('x').replace('uid="x" ', ''), /has no uid/],
];

for (const [what, bad, why] of BAD) {
  test(`${what} is refused with why, and the next event is still read`, () => {
    const items = parseCot(ev('before') + bad + ev('after'));
    const r = refusals(items);
    assert.equal(r.length, 1, JSON.stringify(items));
    assert.match(r[0].reason, why);
    assert.equal(r[0].n, 2);
    const uid = /uid="([^"]+)"/.exec(bad)?.[1];
    if (uid) {
      assert.equal(r[0].uid, uid);
      assert.match(r[0].message, new RegExp(`^event 2 \\(uid "${uid}"\\) at character ${ev('before').length} refused: `));
    }
    assert.deepEqual(
      events(items).map((e) => e.uid),
      ['before', 'after'],
    );
  });
}

test('text outside events and elements that are not events are refused, and reading goes on', () => {
  const items = parseCot(`garbage${ev('a')}<ping/>${ev('b')}`);
  const r = refusals(items);
  assert.equal(r.length, 2);
  assert.match(r[0].reason, /text outside an event: "garbage"/);
  assert.match(r[1].reason, /<ping> is not a CoT event/);
  assert.deepEqual(
    events(items).map((e) => e.uid),
    ['a', 'b'],
  );
});

test('an event cut off by the end of the stream is refused at the end, not before', () => {
  const p = new CotStreamParser();
  const half = ev('a').slice(0, 50);
  assert.deepEqual(p.push(half), []);
  const end = p.end();
  assert.equal(refusals(end).length, 1);
  assert.equal(refusals(end)[0].uid, 'a');
});

test('an element larger than the limit is refused and the stream resumes at the next event', () => {
  const p = new CotStreamParser({ maxElementChars: 2000 });
  const big = ev('big', undefined, `<detail><remarks>${'x'.repeat(3000)}`).replace('</event>', '');
  const got = [...p.push(big), ...p.push(`${'y'.repeat(3000)}</remarks></detail></event>`), ...p.push(ev('next')), ...p.end()];
  assert.equal(refusals(got).length, 1);
  assert.match(refusals(got)[0].reason, /longer than 2000 characters/);
  assert.deepEqual(
    events(got).map((e) => e.uid),
    ['next'],
  );
});

test("TAK's <auth> element is read as the connection's credentials", () => {
  const items = parseCot(`<auth><cot username="il" password="tok&amp;en" uid="ANDROID-1"/></auth>${ev('a')}`);
  assert.deepEqual(items[0], { kind: 'auth', auth: { username: 'il', password: 'tok&en', uid: 'ANDROID-1' } });
  assert.equal(items[1].kind, 'event');
});

test('bytes cut inside a UTF-8 character are read as the whole character', () => {
  const bytes = Buffer.from(ev('a', undefined, '<detail><contact callsign="القدس ☺ 𝄞"/></detail>'));
  const whole = parseCot(bytes.toString('utf8'));
  for (let cut = 1; cut < bytes.length; cut += 7) {
    const p = new CotStreamParser();
    const got = [...p.pushBytes(bytes.subarray(0, cut)), ...p.pushBytes(bytes.subarray(cut)), ...p.end()];
    assert.deepEqual(got, whole);
  }
  assert.equal(events(whole)[0].detail?.[0].attrs.callsign, 'القدس ☺ 𝄞');
});
