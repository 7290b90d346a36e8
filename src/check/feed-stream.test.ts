import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Monitor } from '../monitor/engine.ts';
import { feedStream } from './feed-stream.ts';
import type { Finding } from '../monitor/findings.ts';
import { parseReportAt } from './parse.ts';
import { ReadAhead } from './read-ahead.ts';
import { testArrangement } from '../monitor/testdoc.ts';
import { LineFeeder, lines, type Rejection } from '../monitor/stream.ts';

// A stream fed in chunks, with or without a worker reading ahead, gives the
// same outcomes, line by line, as its lines fed one by one.

const RULES = [
  { id: 'p', kind: 'presence', zone: 'z1', only: ['a'] },
  { id: 'l', kind: 'limit', zone: 'b1', actor: 'a', asset: 'tanks', max: 50 },
  { id: 'nt', kind: 'notice', actor: 'b', zone: 'z1', lead: 'PT1H', ack: 'PT10M' },
  { id: 's', kind: 'separation', between: ['a', 'm'], km: 9.26, m: 300, lookahead: 'PT5M' },
];

function monitor(): Monitor {
  return new Monitor(testArrangement(RULES));
}

/** A stream of n lines: mostly unit reports, some notifications and acks, blank, CRLF, non-ASCII and bad lines. */
function stream(n: number, seed: number): string {
  let s = seed >>> 0;
  const rnd = () => (s = (Math.imul(s, 1103515245) + 12345) >>> 0) / 2 ** 32;
  const t0 = Date.UTC(2025, 11, 27, 10);
  const out: string[] = [];
  for (let i = 0; i < n; i++) {
    const time = new Date(t0 + i * 7000 - (rnd() < 0.05 ? 60000 : 0)).toISOString().replace('.000Z', 'Z');
    const k = rnd();
    const unit = `u${Math.floor(rnd() * 40)}${rnd() < 0.05 ? 'é' : ''}`;
    const actor = ['a', 'b', 'm'][Math.floor(rnd() * 3)];
    const position = [35.75 + rnd() * 0.2, 32.95 + rnd() * 0.2];
    if (k < 0.03) out.push('');
    else if (k < 0.05)
      out.push(`{"type":"notification","id":"n${i}","time":"${time}","actor":"b","zone":"z1","window":{"from":"${time}","to":"${time.replace('T1', 'T2')}"}}`);
    else if (k < 0.07) out.push(`{"type":"ack","id":"k${i}","time":"${time}","actor":"${actor}","notification":"n${i - 1}"}`);
    else if (k < 0.09)
      out.push(
        [
          'not json',
          '{"type":"observation"',
          '{"type":"sighting","id":"x","time":"2025-12-27T10:00:00Z"}',
          '   ',
          '\uFEFF{}',
          `{"type":"observation","id":"r${i - 1}","time":"${time}","unit":"u1","actor":"a","position":[35.85,33.05]}`,
        ][Math.floor(rnd() * 6)],
      );
    else if (k < 0.3) {
      const v = { east_mps: Math.round((rnd() - 0.5) * 400), north_mps: Math.round((rnd() - 0.5) * 400) };
      out.push(
        JSON.stringify({ type: 'track', id: `r${i}`, time, unit, actor, position, altitude_m: 3000, velocity: v, holdings: { tanks: 1 } }) +
          (rnd() < 0.1 ? '\r' : ''),
      );
    } else {
      const o: Record<string, unknown> = {
        type: 'observation',
        id: `r${i}`,
        time,
        unit,
        actor,
        position,
        holdings: { tanks: Math.floor(rnd() * 30), troops: 10 },
      };
      if (rnd() < 0.05) o.status = 'withdrawn';
      if (rnd() < 0.05) o.attrs = { tanks: { model: 'x' } };
      if (rnd() < 0.2) o.category = 'police';
      out.push(JSON.stringify(o));
    }
  }
  return out.join('\n');
}

type Outcome = Finding[] | Rejection;

function oneByOne(text: string): Outcome[] {
  const feeder = new LineFeeder(monitor());
  return [...lines(text)].map((l) => feeder.feed(l));
}

/** The text's bytes in chunks of random sizes, cut anywhere (inside a character too). */
async function* chunks(text: string, seed: number, max: number): AsyncGenerator<Buffer> {
  const bytes = Buffer.from(text, 'utf8');
  let s = seed;
  for (let i = 0; i < bytes.length; ) {
    s = (Math.imul(s, 1103515245) + 12345) >>> 0;
    const n = 1 + (s % max);
    yield bytes.subarray(i, i + n);
    i += n;
  }
}

async function chunked(text: string, seed: number, max: number, ahead: ReadAhead | null, strict = false): Promise<{ outcomes: Outcome[]; completed: boolean }> {
  const feeder = new LineFeeder(monitor(), parseReportAt);
  const outcomes: Outcome[] = [];
  const completed = await feedStream(
    chunks(text, seed, max),
    feeder,
    {
      line: (o) => {
        outcomes.push(o);
        return !(strict && !Array.isArray(o));
      },
    },
    ahead,
  );
  return { outcomes, completed };
}

test('fed in chunks, a stream gives the same outcomes as line by line', async () => {
  for (const [seed, max] of [
    [1, 7],
    [2, 300],
    [3, 5000],
    [4, 1 << 20],
  ]) {
    const text = stream(3000, seed) + (seed % 2 ? '\n' : '');
    const expected = oneByOne(text);
    const got = await chunked(text, seed, max, null);
    assert.equal(got.completed, true);
    assert.deepStrictEqual(got.outcomes, expected, `seed ${seed}`);
  }
});

test('with a worker reading ahead, the outcomes are the same', async () => {
  const ahead = new ReadAhead();
  try {
    assert.equal(await ahead.up, true, 'the worker started');
    for (const [seed, max] of [
      [5, 4000],
      [6, 100_000],
      [7, 333],
    ]) {
      const text = stream(5000, seed);
      const expected = oneByOne(text);
      const got = await chunked(text, seed, max, ahead);
      assert.deepStrictEqual(got.outcomes, expected, `seed ${seed}`);
    }
  } finally {
    ahead.close();
  }
});

test('a stop at a bad line stops the stream there, with or without a worker', async () => {
  const text = stream(2000, 9);
  const expected = oneByOne(text);
  const firstBad = expected.findIndex((o) => !Array.isArray(o));
  assert.ok(firstBad > 0);
  const ahead = new ReadAhead();
  try {
    await ahead.up;
    for (const a of [null, ahead]) {
      const got = await chunked(text, 9, 2000, a, true);
      assert.equal(got.completed, false);
      assert.deepStrictEqual(got.outcomes, expected.slice(0, firstBad + 1));
    }
  } finally {
    ahead.close();
  }
});

test('when the worker is gone, the lines are read here, none lost', async () => {
  const ahead = new ReadAhead();
  await ahead.up;
  const text = stream(4000, 11);
  const expected = oneByOne(text);
  const feeder = new LineFeeder(monitor(), parseReportAt);
  const outcomes: Outcome[] = [];
  let n = 0;
  // The worker is stopped while chunks it was asked to read are still on their way.
  const completed = await feedStream(
    chunks(text, 11, 3000),
    feeder,
    {
      line: (o) => {
        outcomes.push(o);
        return true;
      },
      read: () => void (++n === 20 && ahead.close()),
    },
    ahead,
  );
  assert.equal(completed, true);
  assert.deepStrictEqual(outcomes, expected);
});
