// Random but meaningful cases for differential tests of the monitoring engine:
// an arrangement in the spec's format (inline geometry) and a report stream.
//
// Shape: fast-check picks a small "world" (line, zones, rules) and a list of events;
// a deterministic builder turns them into the arrangement and the reports. Events
// are atomic (a sortie of two aircraft is one event), so shrinking removes whole
// happenings and the stream stays coherent.
//
// Fairness: two correct implementations may differ within 0.1% of great-circle
// distance and in how they extrapolate over a flat frame, so the builder keeps static
// positions off polygon edges (except exactly on vertices and on axis-aligned edges,
// which must count as inside) and 0.5% away from band limits, and the arbitrary
// finally drops any case in which the reference itself finds an evaluation too close
// to a threshold (referenceAmbiguities). Times are exact, so time thresholds (a
// notification sent exactly `lead` before its window, an ack exactly at its deadline,
// a report exactly at a commitment's due time, holdings exactly at `max`) are generated
// on purpose.
//
// Left out on purpose, because only a reading of the spec (not a bug) could make two
// implementations differ there, and the reference's reading is already documented:
// left/right bands of a zone's edge (ring orientation), altitudes exactly at an
// `altitude_m` bound, `units: []`, out-of-order notifications, acks and inspections
// (only observations arrive late), the same actor on both sides of a separation rule,
// calendar durations (P1M). Kept in, because semantics.md decides them: reports older
// than a unit's posture, withdrawals followed by older reports, a report arriving late
// in the middle of a sortie (the clock must not run back), a first report after a
// commitment's fixed `due`, two actors' units with the same id.

import fc from 'fast-check';
import { EARTH_RADIUS_KM, type Pos, type Side } from './geometry.ts';
import { referenceAmbiguities } from './monitor.ts';
import { addDuration, formatTime } from './time.ts';
import type { RefActor, RefArrangement, RefReport, RefRule, RefZone, Role } from './types.ts';
import { Zones } from './zones.ts';

export interface GeneratedCase {
  arrangement: RefArrangement;
  reports: RefReport[];
  /** RFC 3339, for the engine; the reference takes Date.parse(until). */
  until: string;
}

export function toNdjson(reports: readonly object[]): string {
  return reports.map((r) => JSON.stringify(r)).join('\n') + '\n';
}

const RAD = Math.PI / 180;
const T0 = Date.parse('2025-12-27T06:00:00Z');
const MIN_REPORTS = 20;
const MAX_REPORTS = 200;

// ---------------------------------------------------------------- small helpers

/** Decimal rounding through the decimal string, so equal decimals give equal doubles everywhere. */
const q = (v: number, digits: number): number => Number(v.toFixed(digits));
const q4 = (p: Pos): Pos => [q(p[0], 4), q(p[1], 4)];
const q6 = (p: Pos): Pos => [q(p[0], 6), q(p[1], 6)];

/** Deterministic PRNG (mulberry32) so the builder is a pure function of the drawn numbers. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const pick = <T>(list: readonly T[], n: number): T => list[((n % list.length) + list.length) % list.length];

/** Moves a position by (east, north) km on a flat frame at its latitude. */
function offsetKm(p: Pos, eastKm: number, northKm: number): Pos {
  return [p[0] + eastKm / (EARTH_RADIUS_KM * RAD * Math.cos(p[1] * RAD)), p[1] + northKm / (EARTH_RADIUS_KM * RAD)];
}

const rect = (x0: number, y0: number, x1: number, y1: number): Pos[] =>
  [
    [x0, y0],
    [x1, y0],
    [x1, y1],
    [x0, y1],
    [x0, y0],
  ].map((p) => q4(p as unknown as Pos));

// ---------------------------------------------------------------- the world

const SIDES: Side[] = ['east', 'west', 'north', 'south', 'left', 'right', 'both'];
// Bands of a zone's edge keep to sides that do not depend on a ring's orientation, and
// mostly to `both`: beside an edge running north-south, "north" or "south" is decided by
// how the nearest point is computed (a sphere puts it slightly poleward), not by the rule.
const EDGE_SIDES: Side[] = ['both', 'both', 'both', 'east', 'north'];
const BAND_KM: [number, number][] = [
  [0, 10],
  [0, 20],
  [5, 15],
  [10, 25],
];

const worldArb = fc.record({
  extras: fc.oneof(
    { weight: 3, arbitrary: fc.subarray(['mediator', 'third-party', 'guarantor'] as const, { maxLength: 1 }).map((x) => ['observer' as const, ...x]) },
    { weight: 2, arbitrary: fc.subarray(['mediator', 'observer', 'third-party', 'guarantor'] as const, { maxLength: 2 }) },
  ),
  lineLon: fc.integer({ min: 0, max: 100 }), // 35.82 + x/1000
  bend1: fc.integer({ min: -50, max: 50 }), // thousandths of a degree
  bend2: fc.integer({ min: -50, max: 50 }),
  lineNorthward: fc.boolean(),
  aos: fc.record({
    west: fc.integer({ min: 20, max: 80 }),
    east: fc.integer({ min: 5, max: 40 }),
    south: fc.integer({ min: 0, max: 150 }),
    tall: fc.integer({ min: 100, max: 250 }),
    peak: fc.integer({ min: 10, max: 40 }),
  }),
  zh: fc.record({
    gap: fc.integer({ min: 30, max: 120 }),
    wide: fc.integer({ min: 100, max: 200 }),
    south: fc.integer({ min: 0, max: 250 }),
    tall: fc.integer({ min: 100, max: 250 }),
  }),
  airAlt: fc.constantFrom<[number, number]>([0, 5000], [1000, 8000], [0, 15000]),
  multi: fc.boolean(),
  bandA: fc.record({ km: fc.integer({ min: 0, max: 3 }), side: fc.constantFrom(...SIDES), minusZh: fc.boolean() }),
  bandB: fc.record({ km: fc.constantFrom(3, 5), side: fc.constantFrom(...EDGE_SIDES) }),
  rules: fc.record({
    onlyWho: fc.nat(),
    zhCategories: fc.boolean(),
    bandPolice: fc.boolean(),
    airForbid: fc.boolean(),
    tanksMax: fc.constantFrom(0, 10, 30),
    artMax: fc.constantFrom(0, 5),
    artTest: fc.constantFrom('gt', 'gte', 'lt', 'lte', 'eq'),
    artZone: fc.constantFrom('zh', 'band-b'),
    artActor: fc.constantFrom('il', 'sy'),
    noticeAck: fc.constantFrom<(string | undefined)[]>('PT10M', 'PT15M', undefined),
    notice2: fc.boolean(),
    sepSecond: fc.nat(),
    sepKm: fc.constantFrom(5, 9.26),
    sepM: fc.constantFrom<(number | undefined)[]>(300, 300, undefined),
    lookahead: fc.constantFrom('PT2M', 'PT3M'),
    deployActor: fc.nat(),
    deployDueH: fc.constantFrom(2, 6, 12, 30),
    deployMin: fc.constantFrom(100, 500, 1000),
    deployZone: fc.constantFrom('zh', 'band-b'),
    withdrawWithin: fc.constantFrom('PT3H', 'PT6H', 'PT12H'),
    countCommitment: fc.boolean(),
    clearCommitment: fc.constantFrom<('none' | 'units' | 'tanks')[]>('none', 'units', 'tanks'),
    clearDueH: fc.constantFrom(1, 4, 10),
    inspectEvery: fc.constantFrom('PT2H', 'PT4H', 'PT6H', 'P1D'),
    inspectBoth: fc.boolean(),
  }),
  order: fc.array(fc.nat(), { minLength: 20, maxLength: 20 }),
  // Syria names a ground unit and an aircraft as Israel does: a unit is its actor and id together.
  sharedIds: fc.boolean(),
});
type World = typeof worldArb extends fc.Arbitrary<infer W> ? W : never;

const ACTOR_FOR_ROLE: Record<string, { id: string; role: Role; ground: string[]; air: string[] }> = {
  mediator: { id: 'ru', role: 'mediator', ground: ['ru-1'], air: ['ru-air'] },
  observer: { id: 'undof', role: 'observer', ground: ['undof-1'], air: [] },
  'third-party': { id: 'tr', role: 'third-party', ground: ['tr-1'], air: [] },
  guarantor: { id: 'us', role: 'guarantor', ground: [], air: [] },
};

interface Built {
  doc: RefArrangement;
  zones: Zones;
  polygons: Map<string, Pos[][][]>; // zone id → polygons → rings
  line: Pos[];
  groundUnits: { unit: string; actor: string }[];
  airUnits: { unit: string; actor: string }[];
  actors: RefActor[];
}

function buildWorld(w: World): Built {
  const actors: RefActor[] = [
    { id: 'il', name: 'Israel', role: 'party' },
    { id: 'sy', name: 'Syria', role: 'party' },
  ];
  const groundUnits = [
    { unit: 'il-1', actor: 'il' },
    { unit: 'il-2', actor: 'il' },
    { unit: 'il-3', actor: 'il' },
    { unit: 'sy-1', actor: 'sy' },
    { unit: 'sy-2', actor: 'sy' },
    { unit: 'sy-3', actor: 'sy' },
  ];
  const airUnits = [
    { unit: 'il-air', actor: 'il' },
    { unit: 'sy-air', actor: 'sy' },
  ];
  if (w.sharedIds) {
    groundUnits.push({ unit: 'il-1', actor: 'sy' });
    airUnits.push({ unit: 'il-air', actor: 'sy' });
  }
  for (const role of w.extras) {
    const a = ACTOR_FOR_ROLE[role];
    actors.push({ id: a.id, name: a.id.toUpperCase(), role: a.role });
    for (const u of a.ground) groundUnits.push({ unit: u, actor: a.id });
    for (const u of a.air) airUnits.push({ unit: u, actor: a.id });
  }
  const has = (id: string): boolean => actors.some((a) => a.id === id);

  const L0 = 35.82 + w.lineLon / 1000;
  let line: Pos[] = [q4([L0, 33.4]), q4([L0 + w.bend1 / 1000, 33.1]), q4([L0 + w.bend2 / 1000, 32.8])];
  if (w.lineNorthward) line = [...line].reverse();

  // Area of separation: a pentagon (slanted roof edges) straddling the line's west side.
  const ax0 = L0 - w.aos.west / 1000;
  const ax1 = L0 + w.aos.east / 1000;
  const ay0 = 32.9 + w.aos.south / 1000;
  const ay1 = ay0 + w.aos.tall / 1000;
  const aosRing: Pos[] = [
    [ax0, ay0],
    [ax1, ay0],
    [ax1, ay1],
    [(ax0 + ax1) / 2, ay1 + w.aos.peak / 1000],
    [ax0, ay1],
    [ax0, ay0],
  ].map((p) => q4(p as unknown as Pos));
  // A zone with a hole, east of the line.
  const hx0 = L0 + w.zh.gap / 1000;
  const hx1 = hx0 + w.zh.wide / 1000;
  const hy0 = 32.85 + w.zh.south / 1000;
  const hy1 = hy0 + w.zh.tall / 1000;
  const holeRing = rect(hx0 + 0.3 * (hx1 - hx0), hy0 + 0.3 * (hy1 - hy0), hx0 + 0.7 * (hx1 - hx0), hy0 + 0.7 * (hy1 - hy0));
  const zhRings = [rect(hx0, hy0, hx1, hy1), holeRing];
  const airRing = rect(35.6, 32.8, L0 - 0.02, 33.35);
  const multi = [[rect(36.1, 32.9, 36.18, 32.98)], [rect(36.1, 33.1, 36.2, 33.2)]];

  const polygons = new Map<string, Pos[][][]>([
    ['aos', [[aosRing]]],
    ['zh', [zhRings]],
    ['air', [[airRing]]],
  ]);
  const zones: RefZone[] = [
    { id: 'aos', name: 'Area of Separation', geometry: { type: 'Polygon', coordinates: [aosRing] } },
    { id: 'zh', name: 'Limited area with an exclusion', geometry: { type: 'Polygon', coordinates: zhRings } },
    { id: 'air', name: 'South-west airspace', geometry: { type: 'Polygon', coordinates: [airRing] }, altitude_m: w.airAlt },
    {
      id: 'band-a',
      name: 'Area of limitation by the line',
      band: { of: 'line-b', km: BAND_KM[w.bandA.km], side: w.bandA.side },
      ...(w.bandA.minusZh ? { minus: ['zh'] } : {}),
    },
    { id: 'band-b', name: 'Strip around the area of separation', band: { of: 'aos', km: [0, w.bandB.km], side: w.bandB.side }, minus: ['aos'] },
  ];
  if (w.multi) {
    zones.push({ id: 'zm', name: 'Two depots', geometry: { type: 'MultiPolygon', coordinates: multi } });
    polygons.set('zm', multi);
  }

  const r = w.rules;
  const rules: RefRule[] = [];
  const onlyWho = has('undof') ? 'undof' : has('ru') ? 'ru' : pick(['il', 'sy'], r.onlyWho);
  rules.push({ id: 'p-aos', kind: 'presence', zone: 'aos', only: [onlyWho] });
  rules.push({ id: 'p-zh', kind: 'presence', zone: 'zh', forbid: ['il'], ...(r.zhCategories ? { categories: ['police'] } : {}) });
  if (r.bandPolice) rules.push({ id: 'p-band', kind: 'presence', zone: 'band-a', only: ['sy'], categories: ['police'] });
  if (r.airForbid) rules.push({ id: 'p-air', kind: 'presence', zone: 'air', forbid: ['sy'] });
  rules.push({ id: 'l-tanks', kind: 'limit', zone: 'band-a', actor: 'sy', asset: 'tanks', max: r.tanksMax });
  rules.push({ id: 'l-art', kind: 'limit', zone: r.artZone, actor: r.artActor, asset: 'artillery', max: r.artMax, where: { range_km: { [r.artTest]: 20 } } });
  rules.push({ id: 'n-aos', kind: 'notice', actor: 'il', zone: 'aos', lead: 'PT1H', ...(r.noticeAck ? { ack: r.noticeAck } : {}) });
  if (r.notice2) rules.push({ id: 'n-zh', kind: 'notice', actor: 'sy', zone: 'zh', lead: 'PT30M', ack: 'PT15M' });
  const second = has('ru') && r.sepSecond % 2 === 0 ? 'ru' : 'sy';
  rules.push({
    id: 's-air',
    kind: 'separation',
    between: ['il', second],
    km: r.sepKm,
    ...(r.sepM === undefined ? {} : { m: r.sepM }),
    lookahead: r.lookahead,
  });
  const deployer = has('ru') && r.deployActor % 2 === 0 ? 'ru' : 'sy';
  rules.push({
    id: 'c-deploy',
    kind: 'commitment',
    actor: deployer,
    due: formatTime(T0 + r.deployDueH * 3_600_000),
    present: { zone: r.deployZone, asset: 'troops', min: r.deployMin },
  });
  rules.push({ id: 'c-withdraw', kind: 'commitment', actor: 'il', after: 'c-deploy', within: r.withdrawWithin, absent: { zone: 'aos' } });
  if (r.countCommitment) {
    rules.push({ id: 'c-count', kind: 'commitment', actor: 'sy', due: formatTime(T0 + 8 * 3_600_000), present: { zone: 'zh', min: 2 } });
  }
  if (r.clearCommitment !== 'none') {
    // Absent, with its clock started by the first report: the first report's own posture counts.
    rules.push({
      id: 'c-clear',
      kind: 'commitment',
      actor: 'il',
      due: formatTime(T0 + r.clearDueH * 3_600_000),
      absent: { zone: 'zh', ...(r.clearCommitment === 'tanks' ? { asset: 'tanks' } : {}) },
    });
  }
  if (w.multi) rules.push({ id: 'p-zm', kind: 'presence', zone: 'zm', only: ['il'] });
  if (has('undof')) {
    rules.push({ id: 'i-undof', kind: 'inspection', actor: 'undof', zones: r.inspectBoth ? ['band-a', 'zh'] : ['zh'], every: r.inspectEvery });
  }
  // Rule order decides output order within a report: shuffle it.
  const keyed = rules.map((rule, i) => ({ rule, key: w.order[i % w.order.length] * 100 + i }));
  keyed.sort((a, b) => a.key - b.key);

  const doc: RefArrangement = {
    detente: 1,
    id: 'generated',
    title: 'Generated arrangement for differential tests',
    actors,
    assets: [{ id: 'troops' }, { id: 'tanks' }, { id: 'artillery' }, { id: 'sam' }, { id: 'aircraft' }],
    lines: [{ id: 'line-b', geometry: { type: 'LineString', coordinates: line } }],
    zones,
    rules: keyed.map((k) => k.rule),
  };
  return { doc, zones: new Zones(doc), polygons, line, groundUnits, airUnits, actors };
}

// ---------------------------------------------------------------- places

const placeArb = fc.record({
  mode: fc.constantFrom('zone', 'zone', 'vertex', 'edge', 'band', 'band', 'strip', 'random'),
  k: fc.nat(),
  seed: fc.nat(),
});
type Place = typeof placeArb extends fc.Arbitrary<infer P> ? P : never;

/** True when no zone test of this position (at this altitude) is too close to call. */
function clear(b: Built, p: Pos, alt: number | undefined): boolean {
  let ok = true;
  for (const z of b.doc.zones) b.zones.contains(z.id, p, alt, () => (ok = false));
  return ok;
}

function place(b: Built, sel: Place, alt: number | undefined): Pos {
  const rnd = prng(sel.seed * 7919 + sel.k);
  for (let attempt = 0; attempt < 25; attempt++) {
    const p = candidate(b, sel, rnd, attempt);
    if (clear(b, p, alt)) return p;
  }
  return [35.3, 32.5]; // far from every zone: always fair
}

function candidate(b: Built, sel: Place, rnd: () => number, attempt: number): Pos {
  const polyIds = [...b.polygons.keys()];
  switch (sel.mode) {
    case 'zone': {
      const rings = b.polygons.get(pick(polyIds, sel.k))!.flat();
      const outer = rings[0];
      const xs = outer.map((p) => p[0]);
      const ys = outer.map((p) => p[1]);
      const x0 = Math.min(...xs);
      const y0 = Math.min(...ys);
      return q6([x0 + rnd() * (Math.max(...xs) - x0), y0 + rnd() * (Math.max(...ys) - y0)]);
    }
    case 'vertex': {
      // Exactly a vertex (rings as written): on the boundary, so inside.
      const rings = b.polygons.get(pick(polyIds, sel.k + attempt))!.flat();
      const ring = pick(rings, Math.floor(rnd() * 10));
      return pick(ring, Math.floor(rnd() * 10));
    }
    case 'edge': {
      // Exactly on an axis-aligned edge: the midpoint of two decimal vertices, rounded
      // to a decimal the edge passes through (same lon or same lat), so it is exact.
      const rings = b.polygons.get(pick(polyIds, sel.k + attempt))!.flat();
      const ring = pick(rings, Math.floor(rnd() * 10));
      const i = Math.floor(rnd() * (ring.length - 1));
      const a = ring[i];
      const c = ring[i + 1];
      if (a[0] === c[0]) return [a[0], q((a[1] + c[1]) / 2, 6)];
      if (a[1] === c[1]) return [q((a[0] + c[0]) / 2, 6), a[1]];
      return a;
    }
    case 'band': {
      // Near line-b at a distance around the band limits (never within 0.5%, see `clear`).
      const band = b.doc.zones.find((z) => z.id === 'band-a')!.band!;
      const i = Math.floor(rnd() * (b.line.length - 1));
      const f = rnd();
      const a = b.line[i];
      const c = b.line[i + 1];
      const base: Pos = [a[0] + f * (c[0] - a[0]), a[1] + f * (c[1] - a[1])];
      const dir = [(c[0] - a[0]) * Math.cos(base[1] * RAD), c[1] - a[1]];
      const len = Math.hypot(dir[0], dir[1]);
      const normal = [dir[1] / len, -dir[0] / len];
      const factor = pick([0.05, 0.3, 0.6, 0.9, 0.97, 1.03, 1.1, 1.5], Math.floor(rnd() * 8));
      const span = band.km[1];
      const d = Math.max(0.05, factor * span) * (rnd() < 0.5 ? 1 : -1);
      return q6(offsetKm(base, normal[0] * d, normal[1] * d));
    }
    case 'strip': {
      // Around the area of separation's edge, inside or outside it.
      const ring = b.polygons.get('aos')![0][0];
      const i = Math.floor(rnd() * (ring.length - 1));
      const f = rnd();
      const a = ring[i];
      const c = ring[i + 1];
      const base: Pos = [a[0] + f * (c[0] - a[0]), a[1] + f * (c[1] - a[1])];
      const d = pick([-2, -0.5, 0.5, 1.5, 2.5, 4, 6], Math.floor(rnd() * 7));
      const ang = rnd() * 2 * Math.PI;
      return q6(offsetKm(base, Math.cos(ang) * d, Math.sin(ang) * d));
    }
    default:
      return q6([35.55 + rnd() * 0.7, 32.7 + rnd() * 0.8]);
  }
}

// ---------------------------------------------------------------- events

const dtArb = fc.oneof(
  { weight: 1, arbitrary: fc.constant(0) }, // same time as the previous report: ties by input order
  { weight: 12, arbitrary: fc.integer({ min: 60, max: 1800 }) }, // seconds
  { weight: 4, arbitrary: fc.integer({ min: 1800, max: 4 * 3600 }) },
);

const holdingsArb = fc.record({
  form: fc.constantFrom('full', 'full', 'full', 'empty', 'none'),
  troops: fc.constantFrom(0, 100, 400, 800),
  tanks: fc.constantFrom(0, 5, 10, 11, 30),
  artillery: fc.constantFrom(0, 2, 5, 6),
  range: fc.constantFrom<(number | undefined)[]>(undefined, 10, 20, 30),
  sam: fc.constantFrom(0, 0, 1),
});

const eventArb = fc.oneof(
  {
    weight: 40,
    arbitrary: fc.record({
      k: fc.constant('move' as const),
      unit: fc.nat(),
      where: placeArb,
      hold: holdingsArb,
      category: fc.constantFrom<(string | undefined)[]>(undefined, undefined, undefined, 'army', 'police', 'navy'),
      late: fc.oneof({ weight: 6, arbitrary: fc.constant(0) }, { weight: 1, arbitrary: fc.constantFrom(60, 300, 900, 1800) }),
      dt: dtArb,
    }),
  },
  {
    weight: 4,
    arbitrary: fc.record({ k: fc.constant('withdraw' as const), unit: fc.nat(), dt: dtArb }),
  },
  {
    weight: 4,
    arbitrary: fc.record({
      k: fc.constant('hover' as const),
      unit: fc.nat(),
      where: placeArb,
      alt: fc.constantFrom<(number | undefined)[]>(undefined, 300, 1500, 3000, 6000, 9000),
      dt: dtArb,
    }),
  },
  {
    weight: 7,
    arbitrary: fc.record({
      k: fc.constant('sortie' as const),
      first: fc.nat(),
      second: fc.nat(),
      at: placeArb,
      tca: fc.integer({ min: 60, max: 900 }),
      miss: fc.constantFrom(0, 0.3, 0.6, 0.8, 1.25, 1.6, 2.5),
      // Helicopters and drones: slow enough that over a tick plus the lookahead no frame
      // (flat, great circle, rhumb) moves them apart by more than the comparison tolerance.
      speedA: fc.integer({ min: 15, max: 45 }),
      speedB: fc.integer({ min: 15, max: 45 }),
      heading: fc.integer({ min: 0, max: 359 }),
      crossing: fc.integer({ min: 60, max: 180 }),
      alt: fc.constantFrom(800, 1500, 3000, 4500, 6000),
      dAlt: fc.constantFrom(0, 100, 200, 400, 600, 1200),
      upA: fc.constantFrom(0, 0, 0, 3, -3),
      upB: fc.constantFrom(0, 0, 0, 2, -2),
      noAltB: fc.constantFrom(false, false, false, false, true),
      ticks: fc.integer({ min: 2, max: 10 }),
      every: fc.constantFrom(30, 60),
      park: fc.boolean(),
      // A report arriving mid-sortie with an older time: the clock must not run back.
      lateMidway: fc.constantFrom(0, 0, 0, 30, 90, 300),
      dt: dtArb,
    }),
  },
  {
    weight: 10,
    arbitrary: fc.record({
      k: fc.constant('notify' as const),
      rule: fc.nat(),
      otherZone: fc.constantFrom(false, false, false, false, false, false, false, false, false, true),
      offset: fc.constantFrom(-3600, -600, -1, 0, 0, 1, 600, 1800, 5400),
      len: fc.constantFrom(1800, 3600, 4 * 3600, 12 * 3600),
      units: fc.constantFrom(0, 0, 1, 2),
      unitPick: fc.nat(),
      dt: dtArb,
    }),
  },
  {
    weight: 10,
    arbitrary: fc.record({
      k: fc.constant('ack' as const),
      notification: fc.nat(),
      actor: fc.nat(),
      timing: fc.constantFrom('now', 'now', 'deadline', 'just-late'),
      dt: dtArb,
    }),
  },
  {
    weight: 6,
    arbitrary: fc.record({ k: fc.constant('inspect' as const), source: fc.nat(), zones: fc.nat(), dt: dtArb }),
  },
  {
    // A unit of a notifying actor entering the notified zone around the window's bounds,
    // so that coverage, window bounds and lead times are exercised, not left to chance.
    weight: 8,
    arbitrary: fc.record({
      k: fc.constant('enter' as const),
      notification: fc.nat(),
      unit: fc.nat(),
      timing: fc.constantFrom('from', 'to', 'inside', 'inside', 'after'),
      leaveFirst: fc.boolean(),
      seed: fc.nat(),
      dt: dtArb,
    }),
  },
);
type Event = typeof eventArb extends fc.Arbitrary<infer E> ? E : never;

// ---------------------------------------------------------------- the stream

type SortieEvent = Extract<Event, { k: 'sortie' }>;

/**
 * Two aircraft on straight courses that pass `miss` × km apart `tca` seconds after the
 * first tick, laid out on a flat frame at the meeting point: a track each per tick
 * (the second 5 s after the first), then both at rest or withdrawn, so that nothing is
 * left flying on an extrapolation long enough for flat-frame differences to matter.
 * Ids are given by the caller.
 */
function sortie(e: SortieEvent, A: { unit: string; actor: string }, B: { unit: string; actor: string }, centre: Pos, start: number, km: number): RefReport[] {
  const hA = e.heading * RAD;
  const hB = (e.heading + e.crossing) * RAD;
  const vA = [(e.speedA * Math.sin(hA)) / 1000, (e.speedA * Math.cos(hA)) / 1000];
  const vB = [(e.speedB * Math.sin(hB)) / 1000, (e.speedB * Math.cos(hB)) / 1000];
  const rel = [vB[0] - vA[0], vB[1] - vA[1]];
  const relLen = Math.hypot(rel[0], rel[1]) || 1;
  const perp = [-rel[1] / relLen, rel[0] / relLen];
  const half = (e.miss * km) / 2;
  const track = (who: 'A' | 'B', s: number, final: boolean): RefReport => {
    const u = who === 'A' ? A : B;
    const v = who === 'A' ? vA : vB;
    const sign = who === 'A' ? -1 : 1;
    const tau = s - e.tca;
    const pos = q6(offsetKm(centre, sign * half * perp[0] + v[0] * tau, sign * half * perp[1] + v[1] * tau));
    const up = who === 'A' ? e.upA : e.upB;
    const alt = (who === 'A' ? e.alt : e.alt + e.dAlt) + up * s;
    const r: RefReport = {
      type: 'track',
      id: '',
      time: formatTime(start + s * 1000),
      source: 'radar',
      unit: u.unit,
      actor: u.actor,
      kind: 'aircraft',
      position: pos,
      velocity: final ? { east_mps: 0, north_mps: 0, up_mps: 0 } : { east_mps: q(v[0] * 1000, 3), north_mps: q(v[1] * 1000, 3), up_mps: up },
      holdings: { aircraft: 1 },
    };
    if (!(who === 'B' && e.noAltB)) r.altitude_m = q(alt, 1);
    if (final && !e.park) r.status = 'withdrawn';
    return r;
  };
  const out: RefReport[] = [];
  for (let k = 0; k < e.ticks; k++) out.push(track('A', k * e.every, false), track('B', k * e.every + 5, false));
  const end = e.ticks * e.every;
  out.push(track('A', end, true), track('B', end, true));
  return out;
}

function buildReports(b: Built, events: Event[]): RefReport[] {
  const reports: RefReport[] = [];
  let T = T0;
  let n = 0;
  const id = (prefix: string): string => `${prefix}-${++n}`;
  const push = (r: RefReport): void => {
    if (reports.length < MAX_REPORTS) reports.push(r);
  };
  const lastPos = new Map<string, Pos>();
  const notices = b.doc.rules.filter((r): r is Extract<RefRule, { kind: 'notice' }> => r.kind === 'notice');
  const sent: { report: RefReport; ack: string }[] = [];
  const sep = b.doc.rules.find((r): r is Extract<RefRule, { kind: 'separation' }> => r.kind === 'separation');

  for (const e of events) {
    if (reports.length >= MAX_REPORTS) break;
    switch (e.k) {
      case 'move': {
        const { unit, actor } = pick(b.groundUnits, e.unit);
        const pos = place(b, e.where, undefined);
        let time = T + e.dt * 1000;
        if (e.late > 0)
          time = T - e.late * 1000; // out of order: reported late, the clock stays
        else T = time;
        const h = e.hold;
        const r: RefReport = { type: 'observation', id: id('o'), time: formatTime(time), source: 'undof', unit, actor, position: pos };
        if (e.category !== undefined) r.category = e.category;
        if (h.form === 'empty') r.holdings = {};
        if (h.form === 'full') {
          r.holdings = { troops: h.troops, tanks: h.tanks, artillery: h.artillery };
          if (h.sam > 0) r.holdings.sam = h.sam;
          if (h.range !== undefined && h.artillery > 0) r.attrs = { artillery: { range_km: h.range } };
        }
        lastPos.set(unit, pos);
        push(r);
        break;
      }
      case 'withdraw': {
        const { unit, actor } = pick(b.groundUnits, e.unit);
        T += e.dt * 1000;
        push({
          type: 'observation',
          id: id('o'),
          time: formatTime(T),
          source: 'undof',
          unit,
          actor,
          position: lastPos.get(unit) ?? [35.3, 32.5],
          status: 'withdrawn',
        });
        break;
      }
      case 'hover': {
        // A rotorcraft at rest: a track with zero velocity, so it takes part in separation.
        const { unit, actor } = pick(b.airUnits, e.unit);
        T += e.dt * 1000;
        const pos = place(b, e.where, e.alt);
        const r: RefReport = {
          type: 'track',
          id: id('t'),
          time: formatTime(T),
          source: 'radar',
          unit,
          actor,
          kind: 'helicopter',
          position: pos,
          velocity: { east_mps: 0, north_mps: 0, up_mps: 0 },
          holdings: { aircraft: 1 },
        };
        if (e.alt !== undefined) r.altitude_m = e.alt;
        lastPos.set(unit, pos);
        push(r);
        break;
      }
      case 'sortie': {
        const firsts = b.airUnits.filter((u) => u.actor === (sep?.between[0] ?? 'il'));
        const seconds = b.airUnits.filter((u) => u.actor === (sep?.between[1] ?? 'sy'));
        if (firsts.length === 0 || seconds.length === 0) break;
        T += e.dt * 1000;
        // Every position flown must be fair to judge zones by; if one is not, the whole
        // sortie is moved elsewhere (a few tries), else dropped.
        for (let attempt = 0; attempt < 8; attempt++) {
          const centre = place(b, { ...e.at, seed: e.at.seed + attempt * 104_729 }, undefined);
          const flown = sortie(e, pick(firsts, e.first), pick(seconds, e.second), centre, T, sep?.km ?? 9.26);
          if (!flown.every((r) => clear(b, r.position as Pos, r.altitude_m))) continue;
          if (e.lateMidway > 0) {
            // A sensor far from every zone, so that only the clock can be affected.
            const mid = 2 * Math.floor(e.ticks / 2);
            const time = formatTime(Date.parse(flown[mid].time) - e.lateMidway * 1000);
            flown.splice(mid + 1, 0, { type: 'observation', id: '', time, source: 'undof', unit: 'il-9', actor: 'il', position: [35.3, 32.5] });
          }
          for (const r of flown) {
            r.id = id(r.type === 'track' ? 't' : 'o');
            lastPos.set(r.unit as string, r.position as Pos);
            push(r);
          }
          T = Date.parse(flown[flown.length - 1].time) + 5000;
          break;
        }
        break;
      }
      case 'notify': {
        if (notices.length === 0) break;
        const rule = pick(notices, e.rule);
        T += e.dt * 1000;
        const zone = e.otherZone ? (rule.zone === 'aos' ? 'zh' : 'aos') : rule.zone;
        const from = addDuration(T, rule.lead) + e.offset * 1000;
        const r: RefReport = {
          type: 'notification',
          id: id('n'),
          time: formatTime(T),
          actor: rule.actor,
          zone,
          window: { from: formatTime(from), to: formatTime(from + e.len * 1000) },
          purpose: 'patrol',
        };
        if (e.units > 0) {
          const own = b.groundUnits.filter((u) => u.actor === rule.actor);
          const chosen = new Set<string>();
          for (let i = 0; i < e.units; i++) chosen.add(pick(own, e.unitPick + i).unit);
          r.units = [...chosen];
        }
        sent.push({ report: r, ack: rule.ack ?? 'PT10M' });
        push(r);
        break;
      }
      case 'ack': {
        if (sent.length === 0) break;
        const target = pick(sent, e.notification);
        const actor = pick(b.actors, e.actor).id;
        const deadline = addDuration(Date.parse(target.report.time), target.ack);
        let time = T + e.dt * 1000;
        if (e.timing === 'deadline' && deadline >= T) time = deadline;
        if (e.timing === 'just-late' && deadline + 1000 >= T) time = deadline + 1000;
        T = time;
        push({ type: 'ack', id: id('a'), time: formatTime(T), actor, notification: target.report.id });
        break;
      }
      case 'enter': {
        if (sent.length === 0) break;
        const n = pick(sent, e.notification).report;
        const own = b.groundUnits.filter((u) => u.actor === n.actor);
        const unit = n.units && e.unit % 3 !== 0 ? pick(n.units, e.unit) : pick(own, e.unit).unit;
        const actor = n.actor as string;
        T += e.dt * 1000;
        if (e.leaveFirst) {
          push({ type: 'observation', id: id('o'), time: formatTime(T), source: 'undof', unit, actor, position: [35.3, 32.5], holdings: { troops: 100 } });
        }
        const from = Date.parse(n.window!.from);
        const to = Date.parse(n.window!.to);
        const wanted = e.timing === 'from' ? from : e.timing === 'to' ? to : e.timing === 'after' ? to + 1000 : T;
        T = Math.max(T, wanted);
        const k = [...b.polygons.keys()].indexOf(n.zone as string);
        const pos = place(b, { mode: 'zone', k: Math.max(0, k), seed: e.seed }, undefined);
        lastPos.set(unit, pos);
        push({ type: 'observation', id: id('o'), time: formatTime(T), source: 'undof', unit, actor, position: pos, holdings: { troops: 100 } });
        break;
      }
      case 'inspect': {
        T += e.dt * 1000;
        const insp = b.doc.rules.find((r): r is Extract<RefRule, { kind: 'inspection' }> => r.kind === 'inspection');
        const options = [insp?.zones ?? ['zh'], ['zh'], ['band-a'], ['aos', 'zh'], ['band-b']];
        const sources = ['undof', 'undof', 'undof', 'undof', 'sy'];
        push({
          type: 'inspection',
          id: id('i'),
          time: formatTime(T),
          source: pick(sources, e.source),
          zones: [...pick(options, e.zones)],
          summary: 'inspected',
        });
        break;
      }
    }
  }
  return reports;
}

const untilArb = fc.constantFrom(0, 0, 3600, 6 * 3600, 2 * 86_400);

/** Valid cases with 20–200 reports that the reference finds fair to judge an engine by. */
export const caseArbitrary: fc.Arbitrary<GeneratedCase> = fc
  .record({ world: worldArb, events: fc.array(eventArb, { minLength: 16, maxLength: 110 }), extra: untilArb })
  .map(({ world, events, extra }) => {
    const b = buildWorld(world);
    const reports = buildReports(b, events);
    const last = Math.max(T0, ...reports.map((r) => Date.parse(r.time)));
    return { arrangement: b.doc, reports, until: formatTime(last + extra * 1000) };
  })
  .filter(
    (c) =>
      c.reports.length >= MIN_REPORTS && c.reports.length <= MAX_REPORTS && referenceAmbiguities(c.arrangement, c.reports, Date.parse(c.until)).length === 0,
  );
