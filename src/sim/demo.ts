// The southern-Syria case, live: the 1974 regime in force, the Baku talks replayed
// from first submissions to the announced text (which brings the 2025 terms into
// force), then the example's reports on a story clock, round after round.
import { join } from 'node:path';
import { withoutRules, withWitnesses } from '../arrangement/amend.ts';
import { loadArrangementSource } from '../arrangement/load.ts';
import { parseTime } from '../arrangement/time.ts';
import { openKeyring } from '../server/keyring.ts';
import { startServer, type Running } from '../server/start.ts';
import { parseCommand } from '../talks/commands.ts';
import { mayAct } from '../policy/policy.ts';
import { benchOf, readModelFile } from '../server/core/bench-store.ts';
import { zoneGeometries } from '../server/zone-geometry.ts';
import { zoneCacheDir } from '../server/zone-geometry-cache.ts';
import { StoryClock } from './clock.ts';
import { demoTalks, FIRST_BENCH, NEGOTIATED_RULES } from './demo-talks.ts';
import { DEMO_QUORUM, type RunningWitness, startDemoWitnesses, stopWitnesses } from './demo-witnesses.ts';
import { ReportFeed } from './feed.ts';

export const EXAMPLE_DIR = new URL('../../examples/southern-syria/', import.meta.url).pathname;

export interface DemoOptions {
  dataDir: string;
  port: number;
  host: string;
  /** story milliseconds per real millisecond */
  speed: number;
  onFeedError?: (message: string) => void;
  /** run the three witnesses beside the server (default true) */
  witnesses?: boolean;
  /** round 1's bench model (read with readModelFile); default examples/southern-syria/bench.yaml */
  bench?: unknown;
  /** told what the start is doing as it begins each step, so a start is never silent */
  onProgress?: (what: string) => void;
}

export interface Demo {
  server: Running;
  feed: ReportFeed;
  clock: StoryClock;
  witnesses: RunningWitness[];
  stop(): Promise<void>;
}

export async function startDemo(o: DemoOptions): Promise<Demo> {
  const progress = o.onProgress ?? (() => undefined);
  progress('loading the arrangement (examples/southern-syria)');
  const source = loadArrangementSource(join(EXAMPLE_DIR, 'arrangement.yaml'));
  // The zones' outlines and areas the first page asks for, traced on a worker while the
  // witnesses, the record and the talks start: the links are printed once they are there.
  let traced = false;
  const tracing = zoneGeometries(source.arrangement, zoneCacheDir()).then(
    () => void (traced = true),
    () => undefined,
  );
  const rulesById = new Map(((source.value as { rules?: { id: string }[] }).rules ?? []).map((r) => [r.id, r]));
  const clock = new StoryClock(o.speed);
  const steps = demoTalks(rulesById);
  clock.hold(parseTime(steps[0].at));
  let feed: ReportFeed | undefined;
  // Deadlines pass with the story clock, but never past a report the feed has yet to post.
  const now = () => Math.min(clock.now(), feed?.horizon() ?? Infinity);
  // The log's key first: the witnesses are told whose checkpoints they cosign.
  const origin = `detente/demo/${source.arrangement.id}`;
  const actorIds = source.arrangement.actors.map((a) => a.id);
  const logVkey = openKeyring(o.dataDir, origin, actorIds, actorIds).logSigner.verifier.vkey;
  if (o.witnesses !== false) progress('starting the witnesses');
  const witnesses = o.witnesses === false ? [] : await startDemoWitnesses(o.dataDir, origin, logVkey, o.host);
  const served = withoutRules(source, NEGOTIATED_RULES);
  let server: Running;
  progress('opening the record and starting the server');
  try {
    server = await startServer({
      source: witnesses.length
        ? withWitnesses(served, { quorum: DEMO_QUORUM, keys: witnesses.map((w) => ({ name: w.name, key: w.vkey, actor: w.actor })) })
        : served,
      witnessUrls: new Map(witnesses.map((w) => [w.name, w.url])),
      dataDir: o.dataDir,
      port: o.port,
      host: o.host,
      deployment: 'demo',
      bench: o.bench ?? readModelFile(join(EXAMPLE_DIR, FIRST_BENCH)),
      now,
      delayUntil: (t) => clock.realDelay(t),
    });
  } catch (e) {
    stopWitnesses(witnesses);
    throw e;
  }
  const d = server.deployment;
  progress(`replaying the talks (${steps.length} steps)`);
  try {
    for (const s of steps) {
      clock.hold(parseTime(s.at));
      // The steps' rules come from the example file: parsed like any command from outside.
      const actor = d.actors.get(s.actor)!;
      await d.command(actor, parseCommand(s.command));
      if (s.bench) {
        const may = mayAct(actor, 'write-bench');
        if (!may.ok) throw new Error(`demo step at ${s.at}: ${may.reason}`);
        benchOf(d).put(readModelFile(join(EXAMPLE_DIR, s.bench)));
      }
    }
  } catch (e) {
    await server.stop();
    stopWitnesses(witnesses);
    throw e;
  }
  progress('starting the report feed');
  feed = new ReportFeed(
    join(EXAMPLE_DIR, 'reports.ndjson'),
    clock,
    { post: (actor, reports) => d.postReports(d.actors.get(actor)!, reports) },
    new Set(d.actors.keys()),
    o.onFeedError,
  );
  clock.run(feed.storyStart - 60_000);
  d.clockMoved();
  feed.run();
  if (!traced) progress("tracing the zones' outlines and areas");
  await tracing;
  return {
    server,
    feed,
    clock,
    witnesses,
    async stop() {
      feed.stop();
      await server.stop();
      stopWitnesses(witnesses);
    },
  };
}
