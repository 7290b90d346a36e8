// detente demo [--data DIR] [--port N] [--host H] [--speed N] [--bench FILE]
// Runs the southern-Syria case live (src/sim/demo.ts) in a new data directory and
// prints the URL and a login link per actor. --bench FILE replaces round 1's bench model
// (examples/southern-syria/bench.yaml); round 2 still puts its own when it opens.
import { mkdirSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startDemo } from '../sim/demo.ts';
import { DEMO_QUORUM, stopWitnesses } from '../sim/demo-witnesses.ts';
import { benchArg } from './bench-arg.ts';
import { parseArgs, UsageError } from './args.ts';
import { loginLinks } from './login-links.ts';
import { portOf } from './serve.ts';

const USAGE = 'usage: detente demo [--data DIR] [--port N] [--host H] [--speed N] [--bench FILE]';

export async function run(argv: string[]): Promise<number> {
  const a = parseArgs(argv, { values: { data: undefined, port: undefined, host: '127.0.0.1', speed: '60000', bench: undefined } });
  if (a.positional.length) throw new UsageError(`unexpected argument "${a.positional[0]}"; ${USAGE}`);
  const speed = Number(a.values.speed);
  if (!Number.isFinite(speed) || speed <= 0 || speed > 1e7)
    throw new UsageError(`--speed must be a positive number (story seconds per real second), not "${a.values.speed}"`);
  const port = portOf(a.values.port, 7474);
  const benchRead = benchArg(a.values.bench);
  if (benchRead === 2) return 2;
  const bench = benchRead.model;
  let dataDir = a.values.data;
  if (dataDir === undefined) dataDir = mkdtempSync(join(tmpdir(), 'detente-demo-'));
  else {
    mkdirSync(dataDir, { recursive: true });
    // The demo writes its story from the start; it does not continue another record.
    if (readdirSync(dataDir).length) throw new UsageError(`--data ${dataDir} is not empty; the demo starts in a new or empty directory`);
  }
  // Said at once, step by step: a start that prints nothing for seconds looks hung.
  process.stdout.write('detente demo: starting\n');
  const t0 = performance.now();
  const demo = await startDemo({
    dataDir,
    port,
    host: a.values.host!,
    speed,
    bench,
    onFeedError: (m) => process.stderr.write(`demo feed: ${m}\n`),
    onProgress: (what) => process.stdout.write(`  … ${what} (${((performance.now() - t0) / 1000).toFixed(1)} s)\n`),
  });
  const { server } = demo;
  const d = server.deployment;
  const out = [`detente demo: ${d.arrangement.title}`, `  open ${server.url}`, `  log in as:`];
  out.push(...loginLinks(server.url, d));
  if (demo.witnesses.length)
    out.push(`  witnesses (${DEMO_QUORUM} of ${demo.witnesses.length} must cosign): ${demo.witnesses.map((w) => `${w.name} ${w.url}`).join(', ')}`);
  out.push(`  data: ${dataDir} (detente export --data ${dataDir} --out BUNDLE)`, `  story clock: ${speed.toLocaleString('en')}× real time; Ctrl-C stops`);
  process.stdout.write(out.join('\n') + '\n');
  await server.closed;
  demo.feed.stop();
  stopWitnesses(demo.witnesses);
  return 0;
}
