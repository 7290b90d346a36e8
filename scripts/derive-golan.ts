// Derives the geometry of the southern-Syria example from the OpenStreetMap extract
// in the shared data folder, and writes it beside the arrangement:
//
//   examples/southern-syria/zones.geojson   Area of Separation and Golan Heights (copied from
//                                           OSM), plus the polygons drawn here by hand
//   examples/southern-syria/lines.geojson   Line A and Line B, derived from the Area of Separation
//
// Run: node --import tsx scripts/derive-golan.ts [SOURCE.geojson]
// SOURCE defaults to ../shared/data/golan/osm-golan-undof.geojson beside the checkout.
// The output is a pure function of SOURCE and this file: same input, same bytes.
//
// Nothing here is authoritative. The 1974 Lines A and B are not published as geometry;
// they are taken as the western and eastern edges of the OSM Area of Separation, split at
// its northernmost and southernmost vertices. The hand-drawn polygons are rough outlines
// for a worked example. Every derived or drawn feature says so in `note` and carries
// `approximate: true`. The OSM data is © OpenStreetMap contributors, ODbL 1.0; see
// examples/southern-syria/DATA-LICENSE.md.

import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

type Position = [number, number];
type Ring = Position[];

interface Feature {
  type: 'Feature';
  id: string;
  properties: Record<string, string | number | boolean>;
  geometry: { type: 'Polygon'; coordinates: Ring[] } | { type: 'LineString'; coordinates: Position[] };
}

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const source = resolve(process.argv[2] ?? join(root, '..', 'shared', 'data', 'golan', 'osm-golan-undof.geojson'));
const outDir = join(root, 'examples', 'southern-syria');

const RELATION_AOS = '184888';
const RELATION_GOLAN = '16119376';
const OSM_NOTE = 'OpenStreetMap relation {rel}, copied unchanged except for ring orientation (counter-clockwise, RFC 7946)';

// Polygons drawn for the example. Rough outlines, not survey data: each is labelled so.
const DRAWN: { id: string; name: string; note: string; ring: Ring }[] = [
  {
    id: 'hermon',
    name: 'Mount Hermon (southern massif)',
    note: 'approximate: hand-drawn outline of the southern Hermon massif around the summit and the northern tip of the Area of Separation; not a surveyed boundary',
    ring: [
      [35.76, 33.36],
      [35.9, 33.36],
      [35.95, 33.42],
      [35.92, 33.47],
      [35.8, 33.46],
      [35.76, 33.36],
    ],
  },
  {
    id: 'sw-airspace',
    name: 'South-west Syria no-fly area (reported 2025 draft)',
    note: 'approximate: hand-drawn outline of south-west Syria (Quneitra and Daraa) for the reported no-fly zone; not a negotiated boundary',
    ring: [
      [35.88, 32.7],
      [36.2, 32.6],
      [36.45, 32.65],
      [36.5, 33.0],
      [36.4, 33.3],
      [36.1, 33.4],
      [35.9, 33.35],
      [35.88, 32.7],
    ],
  },
  {
    id: 'south',
    name: 'Southern Syria (Turkish forces excluded)',
    note: 'approximate: hand-drawn outline of Quneitra, Daraa and Suwayda governorates, its western edge drawn through the Area of Separation; not an administrative boundary',
    ring: [
      [35.86, 32.75],
      [36.4, 32.5],
      [36.85, 32.31],
      [37.2, 32.55],
      [37.1, 33.1],
      [36.5, 33.35],
      [36.05, 33.45],
      [35.86, 33.4],
      [35.86, 32.75],
    ],
  },
  {
    id: 'ru-deploy',
    name: 'Russian deployment area',
    note: 'approximate: hand-drawn area on the Syrian side, about 6–13 km east of Line B, for the example; no such area has been published',
    ring: [
      [35.96, 33.04],
      [36.04, 33.04],
      [36.05, 33.2],
      [35.97, 33.2],
      [35.96, 33.04],
    ],
  },
  {
    id: 'deconf',
    name: 'Deconfliction airspace over the Russian deployment area',
    note: 'approximate: hand-drawn box around the Russian deployment area for the example',
    ring: [
      [35.95, 32.98],
      [36.12, 32.98],
      [36.12, 33.26],
      [35.95, 33.26],
      [35.95, 32.98],
    ],
  },
];

function fail(msg: string): never {
  process.stderr.write(`derive-golan: ${msg}\n`);
  process.exit(1);
}

function signedArea(ring: Ring): number {
  let a = 0;
  for (let i = 0; i < ring.length - 1; i++) a += ring[i][0] * ring[i + 1][1] - ring[i + 1][0] * ring[i][1];
  return a / 2;
}

function segmentsCross(p: Position, q: Position, r: Position, s: Position): boolean {
  const o = (a: Position, b: Position, c: Position) => Math.sign((b[0] - a[0]) * (c[1] - a[1]) - (b[1] - a[1]) * (c[0] - a[0]));
  const o1 = o(p, q, r),
    o2 = o(p, q, s),
    o3 = o(r, s, p),
    o4 = o(r, s, q);
  if (o1 !== o2 && o3 !== o4) return true;
  const on = (a: Position, b: Position, c: Position) =>
    Math.min(a[0], b[0]) <= c[0] && c[0] <= Math.max(a[0], b[0]) && Math.min(a[1], b[1]) <= c[1] && c[1] <= Math.max(a[1], b[1]);
  return (o1 === 0 && on(p, q, r)) || (o2 === 0 && on(p, q, s)) || (o3 === 0 && on(r, s, p)) || (o4 === 0 && on(r, s, q));
}

/** The spec's ring checks: closed, at least four positions, in range, no two non-adjacent edges touching. */
function checkRing(ring: Ring, what: string): void {
  if (ring.length < 4) fail(`${what}: fewer than four positions`);
  const [f, l] = [ring[0], ring[ring.length - 1]];
  if (f[0] !== l[0] || f[1] !== l[1]) fail(`${what}: ring not closed`);
  for (const [x, y] of ring) {
    if (!Number.isFinite(x) || !Number.isFinite(y) || Math.abs(x) > 180 || Math.abs(y) > 90) fail(`${what}: position out of range`);
  }
  const n = ring.length - 1;
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      if (j === i + 1 || (i === 0 && j === n - 1)) continue; // adjacent edges share a vertex
      if (segmentsCross(ring[i], ring[i + 1], ring[j], ring[j + 1])) fail(`${what}: self-intersecting ring (edges ${i} and ${j})`);
    }
  }
}

/** Counter-clockwise exterior ring (RFC 7946 §3.1.6), starting where the source starts. */
function ccw(ring: Ring): Ring {
  return signedArea(ring) < 0 ? [...ring].reverse() : ring;
}

function osmRing(features: { properties?: Record<string, unknown>; geometry?: { type?: string; coordinates?: unknown } }[], relation: string): Ring {
  const f = features.find((x) => String(x.properties?.osm_relation) === relation);
  if (!f) fail(`${source}: no feature with osm_relation ${relation}`);
  if (f.geometry?.type !== 'Polygon') fail(`relation ${relation}: expected a Polygon`);
  const rings = f.geometry.coordinates as Ring[];
  if (rings.length !== 1) fail(`relation ${relation}: expected one ring, found ${rings.length}`);
  const ring = rings[0].map(([x, y]) => [x, y] as Position);
  checkRing(ring, `relation ${relation}`);
  return ring;
}

/**
 * Splits a closed ring at its northernmost and southernmost vertices (the first of each, if
 * tied) and returns the two chains, each running north to south, western one first. The
 * western chain is the one with the smaller mean longitude.
 */
function splitEdges(ring: Ring): { west: Position[]; east: Position[] } {
  const open = ring.slice(0, -1);
  let n = 0;
  let s = 0;
  open.forEach((p, i) => {
    if (p[1] > open[n][1]) n = i;
    if (p[1] < open[s][1]) s = i;
  });
  const walk = (from: number, to: number): Position[] => {
    const out: Position[] = [];
    for (let i = from; ; i = (i + 1) % open.length) {
      out.push(open[i]);
      if (i === to) return out;
    }
  };
  const one = walk(n, s); // north → south one way round
  const other = walk(s, n).reverse(); // north → south the other way
  const mean = (c: Position[]) => c.reduce((a, p) => a + p[0], 0) / c.length;
  return mean(one) < mean(other) ? { west: one, east: other } : { west: other, east: one };
}

function polygon(id: string, properties: Feature['properties'], ring: Ring): Feature {
  checkRing(ring, id);
  return { type: 'Feature', id, properties: { id, ...properties }, geometry: { type: 'Polygon', coordinates: [ccw(ring)] } };
}

/** Pretty JSON with each position on one line, so diffs of the output stay readable. */
function format(fc: { type: 'FeatureCollection'; features: Feature[] }): string {
  return JSON.stringify(fc, null, 2).replace(/\[\s+(-?[\d.e+-]+),\s+(-?[\d.e+-]+)\s+\]/g, '[$1, $2]') + '\n';
}

const input = JSON.parse(readFileSync(source, 'utf8')) as { features?: unknown };
if (!Array.isArray(input.features)) fail(`${source}: not a FeatureCollection`);
const features = input.features as Parameters<typeof osmRing>[0];

const aos = osmRing(features, RELATION_AOS);
const golan = osmRing(features, RELATION_GOLAN);
const { west, east } = splitEdges(aos);

const zones: Feature[] = [
  polygon(
    'aos',
    {
      name: 'Area of Separation (UNDOF)',
      source: 'OpenStreetMap',
      osm_relation: RELATION_AOS,
      note: OSM_NOTE.replace('{rel}', RELATION_AOS) + '; as mapped in OSM, not the 1974 map',
      approximate: true,
    },
    aos,
  ),
  polygon(
    'golan',
    {
      name: 'Golan Heights',
      source: 'OpenStreetMap',
      osm_relation: RELATION_GOLAN,
      note: OSM_NOTE.replace('{rel}', RELATION_GOLAN) + '; tagged boundary=disputed in OSM (claimed by Syria and Israel, controlled by Israel)',
      approximate: true,
    },
    golan,
  ),
  ...DRAWN.map((d) => polygon(d.id, { name: d.name, source: 'drawn for the example', note: d.note, approximate: true }, d.ring)),
];

const derivedNote = (side: string) =>
  `approximate, not authoritative: the ${side} edge of the Area of Separation as mapped in OpenStreetMap (relation ${RELATION_AOS}), ` +
  'from its northernmost to its southernmost vertex; the 1974 line itself is not published as geometry';
const lines: Feature[] = [
  {
    type: 'Feature',
    id: 'line-a',
    properties: {
      id: 'line-a',
      name: 'Line A ("Alpha"), Israeli side',
      source: 'derived from OpenStreetMap',
      osm_relation: RELATION_AOS,
      note: derivedNote('western'),
      approximate: true,
    },
    geometry: { type: 'LineString', coordinates: west },
  },
  {
    type: 'Feature',
    id: 'line-b',
    properties: {
      id: 'line-b',
      name: 'Line B ("Bravo"), Syrian side',
      source: 'derived from OpenStreetMap',
      osm_relation: RELATION_AOS,
      note: derivedNote('eastern'),
      approximate: true,
    },
    geometry: { type: 'LineString', coordinates: east },
  },
];

writeFileSync(join(outDir, 'zones.geojson'), format({ type: 'FeatureCollection', features: zones }));
writeFileSync(join(outDir, 'lines.geojson'), format({ type: 'FeatureCollection', features: lines }));
process.stdout.write(`derive-golan: ${zones.length} zones, line-a ${west.length} positions, line-b ${east.length} positions → ${outDir}\n`);
