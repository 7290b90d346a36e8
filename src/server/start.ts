// Starts a server on a data directory and stops it cleanly on SIGINT/SIGTERM.
import { join } from 'node:path';
import { writeFileAtomic } from '../store/atomic-file.ts';
import { redactUrl } from '../store/postgres/connect.ts';
import { schemaFor } from '../store/postgres/schema-name.ts';
import type { ArrangementSource } from '../arrangement/load.ts';
import type { Endorsement } from '../record/statement.ts';
import { buildApp } from './app.ts';
import { type CotListener, type CotTlsOptions, startCotListener } from './cot/listener.ts';
import { Deployment, DeploymentRefused } from './deployment.ts';
import { ClusterNode } from './cluster/node.ts';
import { clusterHooks } from './cluster/forward.ts';
import type { WebhookOptions } from './webhooks/webhooks.ts';

export interface StartOptions {
  source: ArrangementSource;
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
  /** on PostgreSQL: the URL other nodes forward writes to (`--advertise`; default this server's http://HOST:PORT/) */
  advertise?: string;
  /** on PostgreSQL: this node cannot go on (its lease lost, the record refused while following); default: say so and exit 1 */
  onFatal?: (message: string) => void;
  /** on PostgreSQL: this node became the sequencing node (epoch: the takeover's number) */
  onLeader?: (epoch: number) => void;
}

export interface Running {
  deployment: Deployment;
  url: string;
  /** where the tokens are: DIR/tokens.json, or the PostgreSQL table that holds them */
  tokensPath: string;
  /** the CoT listener, when one was asked for (on a follower: once it takes over) */
  cot?: CotListener;
  /** on PostgreSQL: this node of the deployment (leader or follower) */
  node?: ClusterNode;
  /** resolves once the server has stopped */
  closed: Promise<void>;
  stop(): Promise<void>;
}

function exitOnFatal(message: string): void {
  process.stderr.write(`detente serve: ${message}\n`);
  process.exit(1);
}

export async function startServer(o: StartOptions): Promise<Running> {
  const open = (follower: boolean, onCommitted?: (size: number) => void) =>
    Deployment.open({
      dataDir: o.dataDir,
      store: o.store,
      source: o.source,
      deployment: o.deployment,
      now: o.now,
      delayUntil: o.delayUntil,
      readsBeforeCheck: o.readsBeforeCheck,
      onRefused: o.onRefused,
      custodial: o.custodial,
      endorsements: o.endorsements,
      witnessUrls: o.witnessUrls,
      webhooks: o.webhooks,
      follower,
      onCommitted,
    });
  // On PostgreSQL every node takes part: the one holding the sequencer's lease writes, the others follow and forward (docs/postgres.md).
  let node: ClusterNode | undefined;
  let startCot: (() => Promise<void>) | undefined;
  if (o.store !== undefined) {
    node = await ClusterNode.open({
      url: o.store,
      schema: schemaFor(o.source.arrangement.id),
      open,
      onFatal: o.onFatal ?? exitOnFatal,
      onLeader: (epoch) => {
        o.onLeader?.(epoch);
        void startCot?.().catch((e: Error) => (o.onFatal ?? exitOnFatal)(`the CoT listener did not start: ${e.message}`));
      },
    }).catch((e: unknown) => {
      if (e instanceof DeploymentRefused) throw e;
      throw new DeploymentRefused(`--store ${redactUrl(o.store!)}: ${(e as Error).message || String(e)}`);
    });
  }
  const deployment = node ? node.deployment : await open(false);
  const app = await buildApp(deployment, { logger: o.logger, logPublic: o.logPublic, ...(node ? { first: clusterHooks(node) } : {}) });
  try {
    await app.listen({ port: o.port, host: o.host });
  } catch (e) {
    await deployment.close();
    await node?.release();
    throw e;
  }
  const addr = app.server.address();
  const port = typeof addr === 'object' && addr ? addr.port : o.port;
  const host = o.host.includes(':') ? `[${o.host}]` : o.host;
  let cot: CotListener | undefined;
  if (o.cot?.port !== undefined || o.cot?.tls) {
    const cotPort = o.cot.port;
    const tls = o.cot.tls;
    const begin = async () => {
      cot = await startCotListener({ deployment, host: o.host, port: cotPort, tls });
      running.cot = cot;
    };
    // A follower's CoT batches would be refused: its listener starts when it takes over.
    if (node?.following) startCot = begin;
    else
      await begin().catch(async (e) => {
        await app.close();
        await deployment.close();
        await node?.release();
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
      await node?.close();
      await cot?.close();
      await app.close();
      await deployment.close();
      await node?.release();
      resolveClosed();
    })());
  const onSignal = () => void stop();
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  const tokensPath =
    o.dataDir !== undefined ? join(o.dataDir, 'tokens.json') : `${redactUrl(o.store!)}, schema ${schemaFor(deployment.id)}, table secrets, row "tokens"`;
  // On PostgreSQL the tokens live in the database; a data directory gets a copy for clients, as before.
  if (o.store !== undefined && o.dataDir !== undefined) writeFileAtomic(tokensPath, JSON.stringify(deployment.tokens, null, 2) + '\n');
  const url = `http://${host}:${port}/`;
  const running: Running = { deployment, url, tokensPath, cot, closed, stop, ...(node ? { node } : {}) };
  await node?.begin(o.advertise ?? url);
  return running;
}
