// `npm run bench [-- suite ...]`: runs the benchmark suites, prints one table of
// figures beside their anchors (as ratios), and writes bench/results.json.
import { writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import type { BenchRow, Suite } from './harness.ts';

const SUITES: Record<string, () => Promise<{ suite: Suite }>> = {
  zones: () => import('./zones.ts'),
  separation: () => import('./separation.ts'),
  check: () => import('./check.ts'),
  record: () => import('./record.ts'),
  server: () => import('./server.ts'),
  events: () => import('./events.ts'),
  restart: () => import('./restart.ts'),
  witness: () => import('./witness.ts'),
  tiles: () => import('./tiles.ts'),
  witnessed: () => import('./witnessed.ts'),
  verify: () => import('./verify.ts'),
  cot: () => import('./cot.ts'),
  'cot-tcp': () => import('./cot-tcp.ts'),
  follow: () => import('./follow.ts'),
  postgres: () => import('./postgres.ts'),
  nodes: () => import('./nodes.ts'),
  csv: () => import('./csv.ts'),
  startup: () => import('./startup.ts'),
  'browser-units': () => import('./browser-units.ts'),
};

function fmt(x: number): string {
  if (!Number.isFinite(x)) return String(x);
  if (Math.abs(x) >= 1000) return Math.round(x).toLocaleString('en');
  return x.toPrecision(3);
}

const wanted = process.argv.slice(2);
for (const w of wanted) if (!SUITES[w]) throw new Error(`unknown suite "${w}" (have: ${Object.keys(SUITES).join(', ')})`);
const names = wanted.length ? wanted : Object.keys(SUITES);
const rows: BenchRow[] = [];
for (const name of names) {
  process.stderr.write(`bench: ${name}…\n`);
  const { suite } = await SUITES[name]();
  rows.push(...(await suite()));
}

const table = [
  '| suite | case | ours | anchor | ratio | target | met |',
  '|---|---|---|---|---|---|---|',
  ...rows
    .map((r) =>
      [
        r.suite,
        r.case + (r.note ? ` (${r.note})` : ''),
        `${fmt(r.value)} ${r.unit}`,
        r.anchor ? `${r.anchor.name}: ${fmt(r.anchor.value)}${r.anchor.published ? ' (published)' : ''}` : '',
        r.ratio !== undefined ? `${fmt(r.ratio)}×` : '',
        r.target ?? '',
        r.met === undefined ? '' : r.met ? 'yes' : 'NO',
      ].join(' | '),
    )
    .map((l) => `| ${l} |`),
].join('\n');
console.log(table);
const machine = { node: process.version, cpus: cpus().length, cpu: cpus()[0]?.model, date: new Date().toISOString() };
if (!wanted.length) writeFileSync(new URL('./results.json', import.meta.url), JSON.stringify({ machine, rows }, null, 2) + '\n');
console.log(`\n${machine.cpus} × ${machine.cpu}, Node ${machine.node}${wanted.length ? '' : '; written to bench/results.json'}`);
