import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { parseReportByJson, type Report } from '../monitor/reports.ts';
import { parseReportAt, parseReportLine } from './parse.ts';
import { ReportScanner } from './scan.ts';

// The scanner must agree with JSON.parse + toReport on every line: the same
// Report, or (through the general way it falls back to) the same error. Lines
// are rendered from random report-like values in random JSON styles, then
// sometimes damaged.

type Outcome = { report: Report } | { error: string };

function general(line: string): Outcome {
  try {
    return { report: parseReportByJson(line) };
  } catch (e) {
    return { error: (e as Error).message };
  }
}

function viaScanner(line: string): Outcome {
  try {
    return { report: parseReportLine(line) };
  } catch (e) {
    return { error: (e as Error).message };
  }
}

/** Checks one line every way the scanner is used. */
function agree(line: string): void {
  const expected = general(line);
  assert.deepStrictEqual(viaScanner(line), expected, line);
  const direct = new ReportScanner().scan(line, 0, line.length);
  if (direct !== undefined) assert.deepStrictEqual({ report: direct }, expected, line);
  // The same line inside a longer text, read in place.
  const text = `{"junk":1}\n${line}\n{"type":`;
  let inPlace: Outcome;
  try {
    inPlace = { report: parseReportAt(text, 11, 11 + line.length) };
  } catch (e) {
    inPlace = { error: (e as Error).message };
  }
  assert.deepStrictEqual(inPlace, expected, line);
}

// ---- values -------------------------------------------------------------------

/** A JSON value with the formatting choices left open. */
type Json =
  | { k: 'num'; v: number }
  | { k: 'str'; v: string }
  | { k: 'lit'; v: 'true' | 'false' | 'null' }
  | { k: 'arr'; v: Json[] }
  | { k: 'obj'; v: [string, Json][] };

const num = (v: number): Json => ({ k: 'num', v });
const str = (v: string): Json => ({ k: 'str', v });
const obj = (v: [string, Json][]): Json => ({ k: 'obj', v });
const arr = (v: Json[]): Json => ({ k: 'arr', v });

const anyText = fc.oneof(
  fc.constantFrom(
    '',
    'u1',
    'sy',
    'army',
    'police',
    'withdrawn',
    'active',
    'observation',
    'track',
    'troops',
    'tanks',
    '__proto__',
    'constructor',
    '10',
    '007',
    'é',
    'a"b',
    'a\\b',
    'tab\there',
    'x'.repeat(14),
    'sy-0-10',
    '\u2028',
    '\ud800',
    'n-4',
  ),
  fc.string({ maxLength: 8 }),
  fc.string({ unit: 'grapheme', maxLength: 4 }),
);
const times = fc.oneof(
  fc.integer({ min: Date.UTC(1990, 0, 1), max: Date.UTC(2060, 0, 1) }).map((t) => new Date(t).toISOString().replace('.000Z', 'Z')),
  fc
    .integer({ min: Date.UTC(2025, 11, 27), max: Date.UTC(2025, 11, 27, 3) })
    .map((t) => new Date(Math.floor(t / 1000) * 1000).toISOString().replace('.000Z', 'Z')),
  fc.constantFrom(
    '2025-12-27T10:00:00Z',
    '2025-12-27T10:00:60Z',
    '2025-12-27T10:59:59z',
    '2025-12-27t10:00:00Z',
    '2025-12-27T10:00:00.5Z',
    '2025-12-27T12:00:00+02:00',
    '2025-02-29T00:00:00Z',
    '2024-02-29T23:59:59Z',
    '2025-12-27T10:61:00Z',
    '2025-12-27T10:00:0aZ',
    '27/12/2025 10:00',
    '2025-12-27T10:00:00',
    '0050-01-01T00:00:00Z',
  ),
);
const numbers = fc.oneof(
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.integer({ min: -200, max: 200 }),
  fc.double({ min: -181, max: 181, noNaN: true }),
  fc.constantFrom(0, -0, 180, -180, 90, -90, 180.00001, 1e21, 1.5e-7, 0.1, 36.61907, 32.74096, 6000, 2 ** 53 + 2),
);

/** A value of any kind: what a field holds when it holds the wrong thing. */
const anyValue: fc.Arbitrary<Json> = fc.letrec<{ v: Json }>((tie) => ({
  v: fc.oneof(
    { depthSize: 'small' },
    numbers.map(num),
    anyText.map(str),
    fc.constantFrom<Json>({ k: 'lit', v: 'true' }, { k: 'lit', v: 'false' }, { k: 'lit', v: 'null' }),
    fc.array(tie('v'), { maxLength: 3 }).map(arr),
    fc.array(fc.tuple(anyText, tie('v')), { maxLength: 3 }).map(obj),
  ),
})).v;

/** A value that is usually right for the field, sometimes not. */
function field(good: fc.Arbitrary<Json>): fc.Arbitrary<Json> {
  return fc.oneof({ arbitrary: good, weight: 6 }, { arbitrary: anyValue, weight: 1 });
}

const position = fc.oneof(
  fc.tuple(numbers, numbers).map(([a, b]) => arr([num(a), num(b)])),
  fc.tuple(fc.double({ min: -180, max: 180, noNaN: true }), fc.double({ min: -90, max: 90, noNaN: true })).map(([a, b]) => arr([num(a), num(b)])),
  fc.tuple(numbers, numbers, anyValue).map(([a, b, c]) => arr([num(a), num(b), c])),
);
const holdings = fc
  .array(
    fc.tuple(
      fc.oneof(fc.constantFrom('troops', 'tanks', 'sam', 'artillery', '1', '__proto__', 'toString'), anyText),
      fc.oneof(fc.nat(1000).map(num), numbers.map(num)),
    ),
    { maxLength: 4 },
  )
  .map(obj);
const velocity = fc
  .array(fc.tuple(fc.constantFrom('east_mps', 'north_mps', 'up_mps', 'other'), fc.oneof(numbers.map(num), anyValue)), { maxLength: 4 })
  .map(obj);
const attrs = fc
  .array(
    fc.tuple(
      fc.constantFrom('sam', 'artillery', 'x'),
      fc.oneof(fc.array(fc.tuple(fc.constantFrom('range_km', 'calibre_mm'), anyValue), { maxLength: 2 }).map(obj), anyValue),
    ),
    { maxLength: 2 },
  )
  .map(obj);
const window = fc.array(fc.tuple(fc.constantFrom('from', 'to', 'x'), fc.oneof(times.map(str), anyValue)), { maxLength: 3 }).map(obj);
const strings = fc.array(anyText.map(str), { maxLength: 3 }).map(arr);

const FIELDS: Record<string, fc.Arbitrary<Json>> = {
  id: anyText.map(str),
  time: times.map(str),
  unit: anyText.map(str),
  actor: anyText.map(str),
  category: anyText.map(str),
  status: fc.constantFrom('withdrawn', 'active', 'gone').map(str),
  position,
  altitude_m: fc.oneof(numbers.map(num), fc.constant<Json>({ k: 'lit', v: 'null' })),
  holdings,
  attrs,
  velocity,
  zone: anyText.map(str),
  window,
  units: strings,
  zones: strings,
  notification: anyText.map(str),
  source: anyText.map(str),
  extra: anyValue,
};

/** A report-like object: a type, then a random selection of fields in random order, some given twice. */
const reportObject: fc.Arbitrary<[string, Json][]> = fc
  .tuple(
    fc.constantFrom('observation', 'track', 'notification', 'ack', 'inspection', 'sighting', ''),
    fc.record(
      Object.fromEntries(Object.entries(FIELDS).map(([k, a]) => [k, fc.option(field(a), { nil: undefined, freq: 3 })])) as Record<
        string,
        fc.Arbitrary<Json | undefined>
      >,
    ),
    fc.option(field(anyValue), { nil: undefined, freq: 4 }),
    fc.nat(),
    fc.boolean(),
  )
  .map(([type, fields, dup, seed, dropType]) => {
    const entries: [string, Json][] = dropType ? [] : [['type', str(type)]];
    for (const [k, v] of Object.entries(fields)) if (v !== undefined) entries.push([k, v]);
    // Shuffle (deterministically from the seed) and maybe repeat a key.
    const rnd = mulberry(seed);
    for (let i = entries.length - 1; i > 0; i--) {
      const j = Math.floor(rnd() * (i + 1));
      [entries[i], entries[j]] = [entries[j], entries[i]];
    }
    if (dup !== undefined && entries.length > 0) entries.splice(Math.floor(rnd() * entries.length), 0, [entries[Math.floor(rnd() * entries.length)][0], dup]);
    return entries;
  });

function mulberry(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), a | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// ---- rendering ------------------------------------------------------------------

/** Renders a value as JSON, choosing whitespace, number forms and string escapes at random. */
function render(v: Json, rnd: () => number, plain: boolean): string {
  const ws = () => (plain || rnd() < 0.8 ? '' : [' ', '\t', '\r', '\n', '  '][Math.floor(rnd() * 5)]);
  switch (v.k) {
    case 'num':
      return plain ? JSON.stringify(v.v) : numberText(v.v, rnd);
    case 'str':
      return plain ? JSON.stringify(v.v) : stringText(v.v, rnd);
    case 'lit':
      return v.v;
    case 'arr':
      return `[${ws()}${v.v.map((x) => render(x, rnd, plain) + ws()).join(',' + ws())}]`;
    case 'obj':
      return `{${ws()}${v.v.map(([k, x]) => `${plain ? JSON.stringify(k) : stringText(k, rnd)}${ws()}:${ws()}${render(x, rnd, plain)}${ws()}`).join(',' + ws())}}`;
  }
}

function numberText(v: number, rnd: () => number): string {
  const r = rnd();
  if (!Number.isFinite(v)) return v > 0 ? '1e400' : '-1e400';
  if (Object.is(v, -0)) return ['-0', '-0.0', '-0e3', '0'][Math.floor(r * 4)];
  if (r < 0.5) return JSON.stringify(v);
  if (r < 0.6) return v.toExponential();
  if (r < 0.65) return v.toExponential(3).replace('e', 'E');
  if (r < 0.75) return v.toFixed(Math.floor(rnd() * 8));
  if (r < 0.8 && Number.isInteger(v)) return `${v}.000`;
  if (r < 0.85 && Number.isInteger(v) && v !== 0) return `${v}00e-2`;
  if (r < 0.9) return v.toPrecision(17);
  return JSON.stringify(v);
}

function stringText(s: string, rnd: () => number): string {
  if (rnd() < 0.7) return JSON.stringify(s);
  let out = '"';
  for (const ch of s) {
    const r = rnd();
    const c = ch.charCodeAt(0);
    if (ch === '"' || ch === '\\') out += '\\' + ch;
    else if (c < 32) out += '\\u' + c.toString(16).padStart(4, '0');
    else if (r < 0.2) out += '\\u' + c.toString(16).padStart(4, '0').toUpperCase();
    else if (r < 0.25 && ch === '/') out += '\\/';
    else out += ch;
  }
  return out + '"';
}

/** Damage to the text: characters deleted, inserted or replaced. */
const damage = fc.array(
  fc.tuple(
    fc.nat(),
    fc.constantFrom('', ' ', '"', '\\', '{', '}', '[', ']', ',', ':', '0', '-', 'e', '.', '\u0000', '\uFEFF', 'x', 'null', '\r'),
    fc.boolean(),
  ),
  { maxLength: 3 },
);

function damaged(text: string, edits: [number, string, boolean][]): string {
  let t = text;
  for (const [at, s, replace] of edits) {
    const i = t.length === 0 ? 0 : at % t.length;
    t = t.slice(0, i) + s + t.slice(replace ? i + 1 : i);
  }
  return t;
}

// ---- properties ---------------------------------------------------------------------

test('scanner and JSON.parse + toReport agree on well-formed report lines', () => {
  fc.assert(
    fc.property(reportObject, fc.nat(), fc.boolean(), (entries, seed, plain) => {
      agree(render(obj(entries), mulberry(seed), plain));
    }),
    { numRuns: 3000 },
  );
});

test('scanner and JSON.parse + toReport agree on damaged lines', () => {
  fc.assert(
    fc.property(reportObject, fc.nat(), damage, (entries, seed, edits) => {
      agree(damaged(render(obj(entries), mulberry(seed), false), edits));
    }),
    { numRuns: 3000 },
  );
});

test('scanner and JSON.parse + toReport agree on lines of the common shapes', () => {
  // Mostly valid reports, so that the scanner answers and is compared, not just left.
  const observation = fc.record({
    type: fc.constantFrom('observation', 'track'),
    id: fc.oneof(
      fc.nat().map((n) => `r${n}`),
      anyText,
    ),
    time: times,
    source: fc.constantFrom('sensor', 'radar'),
    unit: fc.nat(3000).map((n) => `u${n}`),
    actor: fc.constantFrom('il', 'sy', 'ru', 'tr'),
    category: fc.option(fc.constantFrom('army', 'police', ''), { nil: undefined }),
    status: fc.option(fc.constantFrom('withdrawn', 'active'), { nil: undefined }),
    position: fc.option(fc.tuple(fc.double({ min: -180, max: 180, noNaN: true }), fc.double({ min: -90, max: 90, noNaN: true })), { nil: undefined }),
    altitude_m: fc.option(fc.oneof(fc.integer({ min: 0, max: 12000 }), fc.constant(null)), { nil: undefined }),
    velocity: fc.option(
      fc.record(
        {
          east_mps: fc.integer({ min: -300, max: 300 }),
          north_mps: fc.double({ noNaN: true, noDefaultInfinity: true }),
          up_mps: fc.option(fc.integer(), { nil: undefined }),
        },
        { requiredKeys: ['east_mps', 'north_mps'] },
      ),
      { nil: undefined },
    ),
    holdings: fc.option(fc.dictionary(fc.constantFrom('troops', 'tanks', 'sam', '7'), fc.nat(1000), { maxKeys: 3 }), { nil: undefined }),
    attrs: fc.option(fc.constant({ sam: { range_km: 40 } }), { nil: undefined }),
  });
  fc.assert(
    fc.property(observation, (o) => {
      agree(JSON.stringify(o));
    }),
    { numRuns: 3000 },
  );
});

test('scanner and JSON.parse + toReport agree on short decimals, boundaries and odd characters in strings', () => {
  // Decimals written out digit by digit: the scanner works out those of up to 15 digits itself.
  const decimal = fc
    .tuple(fc.boolean(), fc.stringMatching(/^(0|[1-9][0-9]{0,8})$/), fc.stringMatching(/^[0-9]{1,8}$/), fc.constantFrom('', '', '', 'e1', 'e-2', 'E+0'))
    .map(([neg, int, frac, exp]) => `${neg ? '-' : ''}${int}.${frac}${exp}`);
  const coordinate = fc.oneof(
    decimal,
    fc.constantFrom(
      '90',
      '-90',
      '180',
      '-180',
      '90.0',
      '90.00000000000001',
      '-180.0000000000001',
      '179.99999999999999',
      '0.1',
      '0.3',
      '3',
      '1e2',
      '-0',
      '1.',
      '.5',
      '01',
      '1e',
      '--1',
      '1e+',
      '0x10',
    ),
  );
  const odd = fc.constantFrom(
    '\u0000',
    '\u0001',
    '\t',
    '\n',
    '\r',
    '\u001f',
    '\u007f',
    '\u00e9',
    '\u2028',
    '\ud83d\ude00',
    '\ud800',
    '\\\\',
    '\\"',
    '\\/',
    '\\b',
    '\\u0041',
    '\\u00e9',
    '\\a',
    '\\x41',
    '\\u00zz',
    '\\u12',
    '\\',
  );
  const line = fc
    .record({
      lon: coordinate,
      lat: coordinate,
      east: decimal,
      north: fc.option(decimal, { nil: undefined }),
      troops: fc.oneof(decimal, fc.constantFrom('1e400', '-1', '-0', '1e', '7', '0')),
      extra: coordinate,
      where: fc.constantFrom('id', 'unit', 'actor', 'category', 'source', 'extra'),
      before: fc.string({ maxLength: 3 }),
      odd: fc.option(odd, { nil: undefined }),
    })
    .map((o) => {
      const text = (k: string, v: string) => `"${o.where === k && o.odd !== undefined ? o.before + o.odd : ''}${v}"`;
      const velocity = `{"east_mps":${o.east}${o.north === undefined ? '' : `,"north_mps":${o.north}`}}`;
      return `{"type":"track","id":${text('id', 'r1')},"time":"2025-12-27T10:00:00Z","source":${text('source', 's')},"unit":${text('unit', 'u1')},"actor":${text('actor', 'sy')},"category":${text('category', 'army')},"position":[${o.lon},${o.lat}],"velocity":${velocity},"holdings":{"troops":${o.troops}},"extra":[${text('extra', 'x')},${o.extra}]}`;
    });
  fc.assert(fc.property(line, agree), { numRuns: 5000 });
});

test('scanner agrees on the example lines, on BOM, CRLF, repeated fields and unusual number forms', () => {
  const base =
    '{"type":"observation","id":"o-17","time":"2025-12-27T10:00:00Z","source":"undof","unit":"sy-61-bde","actor":"sy","category":"army","position":[35.95,33.05],"holdings":{"troops":800,"tanks":30}}';
  const lines = [
    base,
    base + '\r',
    '\uFEFF' + base,
    '  ' + base + ' \t',
    base.replace('[35.95,33.05]', '[3.595e1,33.05e0]'),
    base.replace('[35.95,33.05]', '[35.95E+0,-0]'),
    base.replace('[35.95,33.05]', '[1e400,33]'),
    base.replace('[35.95,33.05]', '[035.95,33.05]'),
    base.replace('[35.95,33.05]', '[35.95,33.05,12]'),
    base.replace('[35.95,33.05]', '[35.95,33.05,"x"]'),
    base.replace('[35.95,33.05]', '[35.95]'),
    base.replace('[35.95,33.05]', '[35.95,90]'),
    base.replace('[35.95,33.05]', '[-180,-90]'),
    base.replace('"troops":800', '"troops":8e2'),
    base.replace('"troops":800', '"troops":800,"troops":-1'),
    base.replace('"troops":800', '"troops":-1,"troops":800'),
    base.replace('"troops":800', '"__proto__":800'),
    base.replace('"troops":800', '"2":1,"1":2'),
    base.replace('"sy-61-bde"', '"sy-61-\\u0062de"'),
    base.replace('"sy-61-bde"', '"sy-61-\u0001bde"'),
    base.replace('"undof"', '"un\u0000dof"'),
    base.replace('"undof"', '"un\\adof"'),
    base.replace('"undof"', '"un\\u00zzdof"'),
    base.replace('"undof"', '"un\\/dof"'),
    base.replace('"unit"', '"\\u0075nit"'),
    base.replace('"id":"o-17"', '"id":"o-17","id":"o-18"'),
    base.replace('"id":"o-17"', '"id":"o-17","id":7'),
    base.replace('"id":"o-17"', '"id":7,"id":"o-17"'),
    base.replace('"id":"o-17"', '"id":""'),
    base.replace('"position"', '"position":"x","position"'),
    base.replace('"time":"2025-12-27T10:00:00Z"', '"time":"2025-12-27T10:00:00.000+00:00"'),
    base.replace('"source":"undof"', '"source":{"a":[1,{"b":null}],"c":"\\u00e9"}'),
    base.replace('"source":"undof"', '"source":' + '['.repeat(100) + ']'.repeat(100)),
    base.replace('"category":"army"', '"category":null'),
    base.replace('"category":"army"', '"status":"withdrawn"').replace(',"position":[35.95,33.05]', ''),
    base.replace('"observation"', '"track"'),
    base.replace('"observation"', '"track"').replace('"holdings"', '"velocity":{"east_mps":1e2,"north_mps":-0.5},"holdings"'),
    base.replace('"observation"', '"track"').replace('"holdings"', '"velocity":{"east_mps":1e2},"holdings"'),
    base.replace('"observation"', '"track"').replace('"holdings"', '"velocity":{"east_mps":1,"north_mps":2,"up_mps":null},"holdings"'),
    base.replace('}}', '},"attrs":{"sam":{"range_km":40}}}'),
    base.replace('}}', '},"attrs":{"sam":4}}'),
    base.replace('}}', '},"altitude_m":null}'),
    base.replace('}}', '},"altitude_m":"high"}'),
    base.replace('"undof"', ''),
    base.replace('"undof"', '-'),
    base.replace('"undof"', '.5'),
    base.replace('"undof"', 'tru'),
    base.replace('"undof"', 'nul'),
    base.replace('"undof"', '[1,]'),
    base.replace('"undof"', '{"a":1,}'),
    base.replace('"undof"', '{"a"}'),
    base.replace('[35.95,33.05]', '[,33.05]'),
    base.replace('"troops":800', '"troops":'),
    base.replace('"troops":800', '"troops":,"tanks":1'),
    base + ',',
    base + '}',
    base.slice(0, -1),
    '{"type":"notification","id":"n-4","time":"2025-12-27T08:00:00Z","actor":"il","zone":"aos","window":{"from":"2025-12-27T09:30:00Z","to":"2025-12-27T12:00:00Z"},"units":["il-7-bde"],"purpose":"patrol"}',
    '{"type":"notification","id":"n-5","time":"2025-12-27T08:00:00Z","actor":"il","zone":"aos","window":{"from":"2025-12-27T12:30:00Z","to":"2025-12-27T12:00:00Z"}}',
    '{"type":"ack","id":"a-9","time":"2025-12-27T08:03:00Z","actor":"sy","notification":"n-4"}',
    '{"type":"inspection","id":"i-2","time":"2025-12-28T07:00:00Z","source":"undof","zones":["sy-0-10"],"summary":"no change"}',
    '{"type":"inspection","id":"i-3","time":"2025-12-28T07:00:00Z","source":"undof","zones":"sy-0-10"}',
    '[1,2,3]',
    '{}',
    'null',
    '',
    'not json at all',
  ];
  for (const l of lines) agree(l);
});

test('deeply nested fields that no report reads are left to JSON.parse, not a stack overflow', () => {
  const deep = '['.repeat(200_000) + ']'.repeat(200_000);
  agree(`{"type":"ack","id":"a","time":"2025-12-27T10:00:00Z","actor":"sy","notification":"n","x":${deep}}`);
  agree(`{"type":"ack","id":"a","time":"2025-12-27T10:00:00Z","actor":"sy","notification":"n","x":${'{"a":'.repeat(1000)}1${'}'.repeat(1000)}}`);
});

test('times sharing a date and hour are worked out as parseTime would', () => {
  const scanner = new ReportScanner();
  const line = (time: string) => `{"type":"ack","id":"a","time":"${time}","actor":"sy","notification":"n"}`;
  for (const time of [
    '2025-12-27T10:00:00Z',
    '2025-12-27T10:59:60Z',
    '2025-12-27T10:07:09z',
    '2025-12-27T10:60:00Z',
    '2025-12-27T10:5a:00Z',
    '2025-12-27T10:00:00.5Z',
    '2025-12-27T11:00:00Z',
    '2025-12-27T10:00:61Z',
    '2025-12-27T11:00:00+01:00',
    '2025-12-27T11:00:00Z',
  ]) {
    const l = line(time);
    const r = scanner.scan(l, 0, l.length);
    assert.deepStrictEqual(r === undefined ? general(l) : { report: r }, general(l), time);
  }
});
