import assert from 'node:assert/strict';
import { test } from 'node:test';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import type { CotEvent } from './event.ts';
import { CotStreamParser } from './parse.ts';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

// A server keeps what it read of an event (the unit's id, its callsign) long after the
// socket read it came in. V8 may make a substring a view of the whole string it was cut
// from: kept values must not hold on to the 64 KiB reads they were parsed out of.
test('values kept from an event do not hold the socket reads they came in', () => {
  const T = '2025-12-27T10:00:00Z';
  const pad = `<!--${'x'.repeat(1 << 18)}-->`;
  const kept: CotEvent[] = [];
  gc();
  const before = process.memoryUsage().heapUsed;
  for (let i = 0; i < 100; i++) {
    const p = new CotStreamParser();
    // ATAK's uids and callsigns are long enough (13 characters or more) to be cut as views.
    const uid = `ANDROID-${String(i).padStart(16, '0')}`;
    const text = `<event version="2.0" uid="${uid}" type="a-f-G-U-C" how="m-g" time="${T}" start="${T}" stale="${T}"><point lat="1" lon="2" hae="3" ce="4" le="5"/><detail><contact callsign="${uid}-callsign"/></detail></event>${pad}`;
    for (const item of p.pushBytes(Buffer.from(text))) if (item.kind === 'event') kept.push(item.event);
  }
  gc();
  const grown = process.memoryUsage().heapUsed - before;
  assert.equal(kept.length, 100);
  // 100 reads of 256 KiB each: held, they would be 25 MB; the events themselves are a few KB.
  assert.ok(grown < 5e6, `heap grew by ${(grown / 1e6).toFixed(1)} MB for 100 events`);
});

// The parser leaves values as views of the read until something keeps them: a refusal
// quoting a value (a long version, a bad number) is kept too, in logs and by callers.
test('refusals kept do not hold the socket reads their quoted values came in', () => {
  const T = '2025-12-27T10:00:00Z';
  const pad = `<!--${'x'.repeat(1 << 18)}-->`;
  const kept: unknown[] = [];
  gc();
  const before = process.memoryUsage().heapUsed;
  for (let i = 0; i < 100; i++) {
    const p = new CotStreamParser();
    const lat = `1.${String(i).padStart(20, '0')}x`;
    const text = `<event version="2.0" uid="u${i}" type="a-f-G-U-C" how="m-g" time="${T}" start="${T}" stale="${T}"><point lat="${lat}" lon="2" hae="3" ce="4" le="5"/></event>${pad}`;
    for (const item of p.pushBytes(Buffer.from(text))) if (item.kind === 'refused') kept.push(item.refusal);
  }
  gc();
  const grown = process.memoryUsage().heapUsed - before;
  assert.equal(kept.length, 100);
  assert.ok(grown < 5e6, `heap grew by ${(grown / 1e6).toFixed(1)} MB for 100 refusals`);
});
