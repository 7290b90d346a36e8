// The world's land for the map, cut at build time so a page loads only what lies near its
// arrangement. Natural Earth's countries (world-atlas) become one small index (names,
// ids, boxes) and a module per country and detail (10m, 50m) that the page imports on
// demand: the page takes 10m detail for the countries at the arrangement and 50m for the
// ring around, instead of the whole world at 10m (3.66 MB). Each country module holds its
// outline and its land borders (the arcs it shares with another country), so borders
// need no topology in the page.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Feature, Geometry, Position } from 'geojson';
import { feature } from 'topojson-client';
import type { GeometryCollection, Topology } from 'topojson-specification';
import type { Plugin } from 'vite';

export type Detail = '10m' | '50m';
export const DETAILS: readonly Detail[] = ['10m', '50m'];

/**
 * One country as a small TopoJSON topology sliced from the world's (its arcs only, still
 * quantized and delta-encoded: a third of the size of the same lines in GeoJSON):
 * `outline` its land, `borders` the arcs it shares with another country.
 */
export interface CountryPart {
  type: 'Topology';
  transform: Topology['transform'];
  arcs: Topology['arcs'];
  objects: { outline: { type: string; arcs: unknown }; borders: { type: 'MultiLineString'; arcs: number[][] } };
}

export interface CountryEntry {
  key: string;
  id?: string;
  name: string;
  bbox: [number, number, number, number];
  details: Detail[];
}

type Countries = Topology<{ countries: GeometryCollection<{ name: string }> }>;

const MODULE = 'virtual:detente-land';
const require = createRequire(import.meta.url);

function arcsOf(arcs: unknown, out: Set<number> = new Set()): Set<number> {
  if (typeof arcs === 'number') out.add(arcs < 0 ? ~arcs : arcs);
  else if (Array.isArray(arcs)) for (const a of arcs) arcsOf(a, out);
  return out;
}

/** The same nesting of arc references, renumbered through `index` (~i keeps its direction). */
function renumber(arcs: unknown, index: (a: number) => number): unknown {
  if (typeof arcs === 'number') return arcs < 0 ? ~index(~arcs) : index(arcs);
  return Array.isArray(arcs) ? arcs.map((a) => renumber(a, index)) : arcs;
}

function bboxOf(positions: Position[]): [number, number, number, number] {
  let w = Infinity,
    s = Infinity,
    e = -Infinity,
    n = -Infinity;
  for (const [x, y] of positions) {
    w = Math.min(w, x);
    e = Math.max(e, x);
    s = Math.min(s, y);
    n = Math.max(n, y);
  }
  return [w, s, e, n];
}

function positionsOf(g: Geometry): Position[] {
  if (g.type === 'Polygon') return g.coordinates.flat();
  if (g.type === 'MultiPolygon') return g.coordinates.flat(2);
  return [];
}

/** Every country of one detail, keyed by its ISO number (or its name where it has none). */
export function cutCountries(detail: Detail): Map<string, CountryEntry & { part: CountryPart }> {
  const topo = JSON.parse(readFileSync(require.resolve(`world-atlas/countries-${detail}.json`), 'utf8')) as Countries;
  const geoms = topo.objects.countries.geometries;
  // Which countries each arc bounds: an arc of two is a land border.
  const owners = new Map<number, number[]>();
  geoms.forEach((g, i) => {
    for (const a of arcsOf((g as { arcs?: unknown }).arcs)) owners.set(a, [...(owners.get(a) ?? []), i]);
  });
  const out = new Map<string, CountryEntry & { part: CountryPart }>();
  geoms.forEach((g, i) => {
    const f = feature(topo, g) as Feature<Geometry | null, { name: string }>;
    if (!f.geometry) return;
    const own = [...arcsOf((g as { arcs?: unknown }).arcs)].sort((a, b) => a - b);
    const slot = new Map(own.map((a, j) => [a, j]));
    const shared = own.filter((a) => (owners.get(a) ?? []).some((o) => o !== i));
    const key = (f.id === undefined ? `n-${f.properties.name}` : String(f.id)).replace(/[^\w-]/g, '_');
    out.set(key, {
      key,
      ...(f.id !== undefined ? { id: String(f.id) } : {}),
      name: f.properties.name,
      bbox: bboxOf(positionsOf(f.geometry)),
      details: [detail],
      part: {
        type: 'Topology',
        transform: topo.transform,
        arcs: own.map((a) => topo.arcs[a]),
        objects: {
          outline: { type: String(g.type), arcs: renumber((g as { arcs?: unknown }).arcs, (a) => slot.get(a)!) },
          borders: { type: 'MultiLineString', arcs: shared.map((a) => [slot.get(a)!]) },
        },
      },
    });
  });
  return out;
}

/** The index module's entries: every country, with the details it comes in. */
export function landIndex(byDetail: Map<Detail, ReturnType<typeof cutCountries>>): CountryEntry[] {
  const entries = new Map<string, CountryEntry>();
  for (const detail of DETAILS)
    for (const [key, c] of byDetail.get(detail) ?? []) {
      const known = entries.get(key);
      if (known) known.details.push(detail);
      // The finest detail's box: it is the one drawn near the arrangement.
      else entries.set(key, { key, ...(c.id ? { id: c.id } : {}), name: c.name, bbox: c.bbox, details: [detail] });
    }
  return [...entries.values()];
}

/** The vite plugin: `import { countries } from 'virtual:detente-land'` (types in web/src/map/land-index.d.ts). */
export function land(): Plugin {
  let cut: Map<Detail, ReturnType<typeof cutCountries>> | undefined;
  const data = () => (cut ??= new Map(DETAILS.map((d) => [d, cutCountries(d)])));
  return {
    name: 'detente-land',
    resolveId(id) {
      return id === MODULE || id.startsWith(`${MODULE}/`) ? `\0${id}` : undefined;
    },
    load(id) {
      if (!id.startsWith(`\0${MODULE}`)) return undefined;
      const rest = id.slice(MODULE.length + 1);
      if (rest === '') {
        const lines = landIndex(data()).map((c) => {
          const loaders = c.details.map((d) => `${JSON.stringify(d)}: () => import(${JSON.stringify(`${MODULE}/${d}/${c.key}`)}).then((m) => m.default)`);
          return `  { key: ${JSON.stringify(c.key)}, id: ${JSON.stringify(c.id)}, name: ${JSON.stringify(c.name)}, bbox: ${JSON.stringify(c.bbox)}, load: { ${loaders.join(', ')} } },`;
        });
        return `export const countries = [\n${lines.join('\n')}\n];\n`;
      }
      const [, detail, key] = /^\/(10m|50m)\/(.+)$/.exec(rest) ?? [];
      const c = detail
        ? data()
            .get(detail as Detail)
            ?.get(key)
        : undefined;
      if (!c) return undefined;
      // JSON.parse of a string literal is quicker for an engine than the same object literal.
      return `export default JSON.parse(${JSON.stringify(JSON.stringify(c.part))});\n`;
    },
  };
}
