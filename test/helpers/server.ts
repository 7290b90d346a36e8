// A server on a fresh data directory for the cross-part tests, driven through
// fastify's inject (no sockets) unless a test listens for real (event streams).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { loadArrangementSource, type ArrangementSource } from '../../src/arrangement/load.ts';
import { buildApp } from '../../src/server/app.ts';
import assert from 'node:assert/strict';
import { Deployment, type DeploymentOptions } from '../../src/server/deployment.ts';

export const EXAMPLE = new URL('../../examples/southern-syria/arrangement.yaml', import.meta.url).pathname;
export const ID = 'southern-syria';
export const BASE = `/api/arrangements/${ID}`;

let cachedSource: ArrangementSource | undefined;
export function exampleSource(): ArrangementSource {
  return (cachedSource ??= loadArrangementSource(EXAMPLE));
}

export interface TestServer {
  dir: string;
  deployment: Deployment;
  app: FastifyInstance;
  tokens: Record<string, string>;
  as(actor: string | null, method: string, url: string, body?: unknown, headers?: Record<string, string>): Promise<LightMyRequestResponse>;
  /** closes app and deployment (the data directory stays) */
  stop(): Promise<void>;
  /** stop() and remove the data directory */
  destroy(): Promise<void>;
}

/** The example's story starts here; a test server's clock runs from it at real speed unless told otherwise. */
export const STORY_START = Date.parse('2025-12-27T07:00:00Z');

/** What a test server may be given beyond the defaults: the deployment's own options, and whether to serve the UI. */
export type TestServerOptions = Partial<Omit<DeploymentOptions, 'dataDir'>> & { dir?: string; web?: boolean };

export async function startTestServer(opts: TestServerOptions = {}): Promise<TestServer> {
  const dir = opts.dir ?? mkdtempSync(join(tmpdir(), 'detente-server-'));
  const started = Date.now();
  const now = opts.now ?? (() => STORY_START + (Date.now() - started));
  const { dir: _dir, web, ...deploymentOptions } = opts;
  const deployment = await Deployment.open({ source: exampleSource(), deployment: 'test', checkpointIntervalMs: 0, ...deploymentOptions, dataDir: dir, now });
  const app = await buildApp(deployment, web === false ? { web: false } : {});
  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    await app.close();
    await deployment.close();
  };
  return {
    dir,
    deployment,
    app,
    tokens: deployment.tokens,
    as(actor, method, url, body, headers = {}) {
      const h: Record<string, string> = { ...headers };
      if (actor !== null) h.authorization = `Bearer ${deployment.tokens[actor]}`;
      const payload = body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body);
      if (payload !== undefined && !h['content-type']) h['content-type'] = 'application/json';
      return app.inject({ method: method as 'GET', url, headers: h, payload });
    },
    stop,
    async destroy() {
      await stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export const ACTORS = ['il', 'sy', 'ru', 'us', 'undof', 'tr'] as const;

/** A unit report at a place inside the Area of Separation (an UNDOF post of the example). */
export function observation(
  id: string,
  unit: string,
  actor: string,
  holdings: Record<string, number>,
  time: string,
  position: [number, number] = [35.825, 33.3],
  /** who observed, when said: only the actor that files it may be named (the server refuses another) */
  source?: string,
) {
  return { type: 'observation', id, time, ...(source ? { source } : {}), unit, actor, position, holdings };
}

/** The response's JSON, after checking its status. */
export async function json(res: { statusCode: number; body: string }, status: number) {
  assert.equal(res.statusCode, status, res.body);
  return JSON.parse(res.body);
}

/** The talks up to an announced text with one machine-checkable clause. */
export async function session(s: TestServer, marker = 'MARKER-none') {
  await json(await s.as('ru', 'POST', `${BASE}/talks/issues`, { id: 'buffer-width', title: 'Width of the buffer strip', numeric: { unit: 'km' } }), 201);
  const sub = await json(
    await s.as('il', 'POST', `${BASE}/talks/submissions`, { text: `Our bottom line ${marker}`, issue: 'buffer-width', position: 2, confidential: true }),
    201,
  );
  await json(await s.as('sy', 'POST', `${BASE}/talks/submissions`, { text: 'Ten kilometres at least', issue: 'buffer-width', position: 10 }), 201);
  await json(await s.as('ru', 'POST', `${BASE}/talks/relays`, { to: 'sy', text: 'Israel may consider a narrower strip.', cites: [sub.id] }), 201);
  const clauses = [
    { id: 'c1', text: 'The parties respect the 1974 lines.' },
    {
      id: 'c2',
      text: 'No Syrian tanks in the Area of Separation.',
      rules: [{ id: 'r-t-aos-tanks', kind: 'limit', zone: 'aos', actor: 'sy', asset: 'tanks', max: 0 }],
    },
  ];
  const draft = await json(await s.as('ru', 'POST', `${BASE}/talks/drafts`, { clauses }), 201);
  for (const party of ['il', 'sy'])
    for (const c of clauses) await json(await s.as(party, 'POST', `${BASE}/talks/stances`, { draft: draft.version, clause: c.id, stance: 'accept' }), 201);
  await json(await s.as('us', 'POST', `${BASE}/talks/approval`, { draft: draft.version }), 201);
  await json(await s.as('ru', 'POST', `${BASE}/talks/announcement`, { draft: draft.version }), 201);
  return { submission: sub.id as string, draft: draft.version as number };
}
