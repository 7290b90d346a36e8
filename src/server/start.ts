// Starts a server on a data directory and stops it cleanly on SIGINT/SIGTERM.
import { join } from 'node:path';
import { writeFileAtomic } from '../store/atomic-file.ts';
import { redactUrl } from '../store/postgres/connect.ts';
import { schemaFor } from '../store/postgres/schema-name.ts';
import type { ArrangementSource } from '../arrangement/load.ts';
import type { Endorsement } from '../record/statement.ts';
import { buildApp } from './app.ts';
import { type CotListener, type CotTlsOptions, startCotListener } from './cot/listener.ts';
import { attachBench } from './core/bench-store.ts';
import { Deployment, DeploymentRefused } from './deployment.ts';
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
  /** the mediator's bench to start with (`--bench FILE`, read with readModelFile); else the stored one (core/bench-store.ts) */
  bench?: unknown;
}

export interface Running {
  deployment: Deployment;
  url: string;
  /** where the tokens are: DIR/tokens.json, or the PostgreSQL table that holds them */
  tokensPath: string;
  /** the CoT listener, when one was asked for */
  cot?: CotListener;
  /** resolves once the server has stopped */
  closed: Promise<void>;
  stop(): Promise<void>;
}

export async function startServer(o: StartOptions): Promise<Running> {
  const deployment = await Deployment.open({
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
  });
  try {
    attachBench(deployment, { dataDir: o.dataDir, initial: o.bench });
  } catch (e) {
    await deployment.close();
    throw new DeploymentRefused((e as Error).message);
  }
  const app = await buildApp(deployment, { logger: o.logger, logPublic: o.logPublic });
  try {
    await app.listen({ port: o.port, host: o.host });
  } catch (e) {
    await deployment.close();
    throw e;
  }
  let cot: CotListener | undefined;
  if (o.cot?.port !== undefined || o.cot?.tls)
    cot = await startCotListener({ deployment, host: o.host, port: o.cot.port, tls: o.cot.tls }).catch(async (e) => {
      await app.close();
      await deployment.close();
      throw e;
    });
  const addr = app.server.address();
  const port = typeof addr === 'object' && addr ? addr.port : o.port;
  const host = o.host.includes(':') ? `[${o.host}]` : o.host;
  let resolveClosed!: () => void;
  const closed = new Promise<void>((r) => (resolveClosed = r));
  let stopping: Promise<void> | undefined;
  const stop = () =>
    (stopping ??= (async () => {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
      await cot?.close();
      await app.close();
      await deployment.close();
      resolveClosed();
    })());
  const onSignal = () => void stop();
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  const tokensPath =
    o.dataDir !== undefined ? join(o.dataDir, 'tokens.json') : `${redactUrl(o.store!)}, schema ${schemaFor(deployment.id)}, table secrets, row "tokens"`;
  // On PostgreSQL the tokens live in the database; a data directory gets a copy for clients, as before.
  if (o.store !== undefined && o.dataDir !== undefined) writeFileAtomic(tokensPath, JSON.stringify(deployment.tokens, null, 2) + '\n');
  return { deployment, url: `http://${host}:${port}/`, tokensPath, cot, closed, stop };
}
