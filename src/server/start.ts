// Starts a server on a data directory and stops it cleanly on SIGINT/SIGTERM. One server
// runs one or several arrangements, each its own Deployment (its log, origin and keys;
// shared-dir.ts for the data directory's layout), all in one app.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomic } from '../store/atomic-file.ts';
import { redactUrl } from '../store/postgres/connect.ts';
import { schemaFor } from '../store/postgres/schema-name.ts';
import type { ArrangementSource } from '../arrangement/load.ts';
import type { Endorsement } from '../record/statement.ts';
import { buildApp } from './app.ts';
import { SeatTable } from './auth.ts';
import { DeploymentRefused } from './core/refused.ts';
import { checkOwner, filesOf, TOKENS_DIR, tokensFile } from './shared-dir.ts';
import { type TokenWatch, watchTokens } from './token-watch.ts';
import { type CotListener, type CotTlsOptions, startCotListener } from './cot/listener.ts';
import { attachBench } from './core/bench-store.ts';
import { Deployment } from './deployment.ts';
import { ClusterNode } from './cluster/node.ts';
import { clusterHooks } from './cluster/forward.ts';
import type { WebhookOptions } from './webhooks/webhooks.ts';
import { zoneGeometries } from './zone-geometry.ts';
import { zoneCacheDir } from './zone-geometry-cache.ts';

export interface StartOptions {
  /** one arrangement (or give `sources`) */
  source?: ArrangementSource;
  /** several arrangements, each its own log and origin; the first owns the data directory (shared-dir.ts) */
  sources?: readonly ArrangementSource[];
  /** the arrangement the CoT listener serves (default the first) */
  cotArrangement?: string;
  /** optional when `store` is given */
  dataDir?: string;
  /** postgres://… : the record, keys and tokens in PostgreSQL */
  store?: string;
  port: number;
  host: string;
  deployment?: string;
  now?: () => number;
  delayUntil?: (t: number) => number;
  /** serve reads while the stored record is checked; see DeploymentOptions */
  readsBeforeCheck?: boolean;
  onRefused?: (e: Error) => void;
  logger?: boolean;
  /** serve /log/ (tlog-tiles) without a token */
  logPublic?: boolean;
  /** see DeploymentOptions.custodial (default all) */
  custodial?: readonly string[] | 'all';
  /** see DeploymentOptions.endorsements */
  endorsements?: readonly Endorsement[];
  /** where the arrangement's witnesses listen, by name */
  witnessUrls?: ReadonlyMap<string, string>;
  /** Cursor on Target: a plain-TCP port (`--cot-port`) and/or a TLS port with client certificates */
  cot?: { port?: number; tls?: CotTlsOptions };
  /** webhook delivery (`--webhook-allow-private`); see DeploymentOptions.webhooks */
  webhooks?: WebhookOptions;
  /** the mediator's bench to start with (`--bench FILE`, read with readModelFile); else the stored one (core/bench-store.ts) */
  bench?: unknown;
  /** on PostgreSQL: the URL other nodes forward writes to (`--advertise`; default this server's http://HOST:PORT/) */
  advertise?: string;
  /** on PostgreSQL: this node cannot go on (its lease lost, the record refused while following); default: say so and exit 1 */
  onFatal?: (message: string) => void;
  /** on PostgreSQL: this node became the sequencing node of an arrangement (epoch: the takeover's number) */
  onLeader?: (epoch: number, arrangement: string) => void;
}

export interface Running {
  /** the first arrangement's */
  deployment: Deployment;
  /** every arrangement's, in the order given */
  deployments: Deployment[];
  url: string;
  /** where the first arrangement's tokens are: DIR/tokens.json, or the PostgreSQL table that holds them */
  tokensPath: string;
  /** where each arrangement's tokens are, by id: DIR/tokens/<id>.json, or its PostgreSQL table */
  tokensPaths: Record<string, string>;
  /** reads the token files again (a revocation), when the server watches them (SQLite) */
  tokens?: TokenWatch;
  /** the CoT listener, when one was asked for (on a follower: once it takes over) */
  cot?: CotListener;
  /** on PostgreSQL: this node of each arrangement's deployment (leader or follower), the first's */
  node?: ClusterNode;
  /** on PostgreSQL: by arrangement id */
  nodes?: ReadonlyMap<string, ClusterNode>;
  /** resolves once the server has stopped */
  closed: Promise<void>;
  stop(): Promise<void>;
}

/** The arrangements asked for, one id once. */
export function sourcesOf(o: Pick<StartOptions, 'source' | 'sources'>): ArrangementSource[] {
  const sources = [...(o.sources ?? []), ...(o.source ? [o.source] : [])];
  if (sources.length === 0) throw new DeploymentRefused('no arrangement to serve');
  const seen = new Map<string, string>();
  for (const s of sources) {
    const id = s.arrangement.id;
    const before = seen.get(id);
    if (before !== undefined) throw new DeploymentRefused(`${before} and ${s.file} are both arrangement "${id}": each arrangement is served once`);
    seen.set(id, s.file);
  }
  return sources;
}

function exitOnFatal(message: string): void {
  process.stderr.write(`detente serve: ${message}\n`);
  process.exit(1);
}

interface Opened {
  deployments: Deployment[];
  /** on PostgreSQL: each arrangement's cluster node (one lease per arrangement's schema) */
  nodes: Map<string, ClusterNode>;
  /** a follower's CoT listener starts when its node takes over */
  onLeader: Map<string, () => void>;
}

/**
 * Opens one deployment per arrangement, in order; if one is refused, those opened are
 * closed. On PostgreSQL each is a node of its arrangement's deployment: the one holding
 * the sequencer's lease writes, the others follow and forward (docs/postgres.md).
 */
async function openDeployments(o: StartOptions, sources: readonly ArrangementSource[]): Promise<Opened> {
  const ids = sources.map((s) => s.arrangement.id);
  if (o.dataDir !== undefined && o.store === undefined) checkOwner(o.dataDir, ids[0], ids);
  const out: Opened = { deployments: [], nodes: new Map(), onLeader: new Map() };
  try {
    for (const [i, source] of sources.entries()) {
      const id = source.arrangement.id;
      const open = (follower: boolean, onCommitted?: (size: number) => void) =>
        Deployment.open({
          dataDir: o.dataDir,
          store: o.store,
          source,
          deployment: o.deployment,
          now: o.now,
          delayUntil: o.delayUntil,
          readsBeforeCheck: o.readsBeforeCheck,
          onRefused: o.onRefused,
          // The server's custody and endorsements name actors and keys of whichever arrangement has them.
          custodial: custodialIn(o.custodial, source),
          endorsements: o.endorsements,
          witnessUrls: o.witnessUrls,
          webhooks: o.webhooks,
          alongside: ids.filter((x) => x !== id),
          files: o.dataDir !== undefined ? filesOf(o.dataDir, id, i === 0) : undefined,
          follower,
          onCommitted,
        });
      if (o.store === undefined) {
        out.deployments.push(await open(false));
        continue;
      }
      const node = await ClusterNode.open({
        url: o.store,
        schema: schemaFor(id),
        open,
        onFatal: o.onFatal ?? exitOnFatal,
        onLeader: (epoch) => {
          o.onLeader?.(epoch, id);
          out.onLeader.get(id)?.();
        },
      }).catch((e: unknown) => {
        if (e instanceof DeploymentRefused) throw e;
        throw new DeploymentRefused(`--store ${redactUrl(o.store!)}: ${(e as Error).message || String(e)}`);
      });
      out.nodes.set(id, node);
      out.deployments.push(node.deployment);
    }
  } catch (e) {
    await closeOpened(out);
    throw e;
  }
  return out;
}

/** Stops following, closes each deployment (its last checkpoint), then releases the leases. */
async function closeOpened(opened: Opened): Promise<void> {
  for (const n of opened.nodes.values()) await n.close();
  for (const d of opened.deployments) await d.close();
  for (const n of opened.nodes.values()) await n.release();
}

/** --custodial for one arrangement of several: the named actors it has. */
function custodialIn(custodial: StartOptions['custodial'], source: ArrangementSource): StartOptions['custodial'] {
  if (custodial === undefined || custodial === 'all') return custodial;
  const ids = new Set(source.arrangement.actors.map((a) => a.id));
  return custodial.filter((id) => ids.has(id));
}

export async function startServer(o: StartOptions): Promise<Running> {
  const sources = sourcesOf(o);
  // Traced beside the record's opening, off this thread: the first page asks for them.
  for (const s of sources) zoneGeometries(s.arrangement, zoneCacheDir()).catch(() => undefined);
  const opened = await openDeployments(o, sources);
  const { deployments, nodes } = opened;
  const deployment = deployments[0];
  const closeAll = () => closeOpened(opened);
  try {
    // A --bench model is the first arrangement's; each keeps its own beside its record.
    for (const [i, d] of deployments.entries()) attachBench(d, { dataDir: o.dataDir, initial: i === 0 ? o.bench : undefined });
  } catch (e) {
    await closeAll();
    throw new DeploymentRefused((e as Error).message);
  }
  const table = new SeatTable(deployments.map((d) => ({ id: d.id, tokens: d.tokens, actors: d.actors })));
  const app = await buildApp(deployments, {
    logger: o.logger,
    logPublic: o.logPublic,
    tokens: table,
    ...(nodes.size ? { first: clusterHooks(nodes, deployment.id) } : {}),
  });
  try {
    await app.listen({ port: o.port, host: o.host });
  } catch (e) {
    await closeAll();
    throw e;
  }
  const addr = app.server.address();
  const port = typeof addr === 'object' && addr ? addr.port : o.port;
  const host = o.host.includes(':') ? `[${o.host}]` : o.host;
  let cot: CotListener | undefined;
  // Set once started: a follower's CoT listener starts later, and joins it then.
  let running: Running | undefined;
  if (o.cot?.port !== undefined || o.cot?.tls) {
    const served = deployments.find((d) => d.id === (o.cotArrangement ?? deployment.id));
    if (!served) {
      await app.close();
      await closeAll();
      throw new DeploymentRefused(`--cot-arrangement ${o.cotArrangement}: not an arrangement served here (${deployments.map((d) => d.id).join(', ')})`);
    }
    const cotPort = o.cot.port;
    const tls = o.cot.tls;
    const begin = async () => {
      cot = await startCotListener({ deployment: served, host: o.host, port: cotPort, tls });
      if (running) running.cot = cot;
    };
    // A follower's CoT batches would be refused: its listener starts when it takes over.
    if (nodes.get(served.id)?.following)
      opened.onLeader.set(served.id, () => void begin().catch((e: Error) => (o.onFatal ?? exitOnFatal)(`the CoT listener did not start: ${e.message}`)));
    else
      await begin().catch(async (e) => {
        await app.close();
        await closeAll();
        throw e;
      });
  }
  let resolveClosed!: () => void;
  const closed = new Promise<void>((r) => (resolveClosed = r));
  let stopping: Promise<void> | undefined;
  const stop = () =>
    (stopping ??= (async () => {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
      tokens?.close();
      await cot?.close();
      await app.close();
      await closeAll();
      resolveClosed();
    })());
  const onSignal = () => void stop();
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  const tokensPaths = Object.fromEntries(deployments.map((d) => [d.id, tokensWhere(o, d)]));
  const tokensPath = o.dataDir !== undefined ? join(o.dataDir, 'tokens.json') : tokensPaths[deployment.id];
  if (o.dataDir !== undefined) writeTokenFiles(o.dataDir, deployments);
  // On SQLite the files are the tokens: a revocation there is read at once.
  const tokens = o.dataDir !== undefined && o.store === undefined ? watchTokens(o.dataDir, table, deployments) : undefined;
  const url = `http://${host}:${port}/`;
  const first = nodes.get(deployment.id);
  running = { deployment, deployments, url, tokensPath, tokensPaths, tokens, cot, closed, stop, ...(first ? { node: first, nodes } : {}) };
  for (const n of nodes.values()) await n.begin(o.advertise ?? url);
  return running;
}

function tokensWhere(o: StartOptions, d: Deployment): string {
  return o.dataDir !== undefined ? tokensFile(o.dataDir, d.id) : `${redactUrl(o.store!)}, schema ${schemaFor(d.id)}, table secrets, row "tokens"`;
}

/**
 * DIR/tokens/<id>.json for every arrangement, and DIR/tokens.json the first's as it has
 * always been. On SQLite the first's DIR/tokens.json and the others' DIR/tokens/<id>.json
 * are the tokens themselves (keyring.ts), the rest copies for clients; on PostgreSQL all
 * are copies of the database's.
 */
function writeTokenFiles(dataDir: string, deployments: readonly Deployment[]): void {
  mkdirSync(join(dataDir, TOKENS_DIR), { recursive: true, mode: 0o700 });
  const text = (d: Deployment) => JSON.stringify(d.tokens, null, 2) + '\n';
  writeFileAtomic(join(dataDir, 'tokens.json'), text(deployments[0]));
  for (const d of deployments) writeFileAtomic(tokensFile(dataDir, d.id), text(d));
}
