// Starts a server on a data directory and stops it cleanly on SIGINT/SIGTERM.
import { join } from 'node:path';
import type { ArrangementSource } from '../arrangement/load.ts';
import type { Endorsement } from '../record/statement.ts';
import { buildApp } from './app.ts';
import { type CotListener, type CotTlsOptions, startCotListener } from './cot/listener.ts';
import { Deployment } from './deployment.ts';
import type { WebhookOptions } from './webhooks/webhooks.ts';

export interface StartOptions {
  source: ArrangementSource;
  dataDir: string;
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
}

export interface Running {
  deployment: Deployment;
  url: string;
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
  return { deployment, url: `http://${host}:${port}/`, tokensPath: join(o.dataDir, 'tokens.json'), cot, closed, stop };
}
