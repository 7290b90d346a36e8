// Two example arrangements in one server (southern Syria first, Sinai 1979 second), for
// the multi-arrangement tests: started through startServer as `detente serve` does.
import { loadArrangementSource } from '../../src/arrangement/load.ts';
import { type Running, type StartOptions, startServer } from '../../src/server/start.ts';
import { EXAMPLE, STORY_START } from './server.ts';

export const SINAI = new URL('../../examples/sinai-1979/arrangement.yaml', import.meta.url).pathname;
export const SYRIA_ID = 'southern-syria';
export const SINAI_ID = 'sinai-1979';

export function twoSources() {
  return [loadArrangementSource(EXAMPLE), loadArrangementSource(SINAI)];
}

/** A server of both examples on 127.0.0.1, any port; the caller stops it (t.after). */
export function startTwo(o: Partial<StartOptions> = {}): Promise<Running> {
  const started = Date.now();
  return startServer({
    sources: twoSources(),
    port: 0,
    host: '127.0.0.1',
    deployment: 'test',
    now: () => STORY_START + (Date.now() - started),
    ...o,
  });
}

// biome-ignore lint/suspicious/noExplicitAny: a test reads whatever JSON a route answers
type Json = any;

/** A GET or POST with a bearer token; the status and the parsed body. */
export async function call(base: string, token: string | undefined, method: string, path: string, body?: unknown): Promise<{ status: number; json: Json }> {
  const headers: Record<string, string> = {};
  if (token !== undefined) headers.authorization = `Bearer ${token}`;
  if (body !== undefined) headers['content-type'] = 'application/json';
  const r = await fetch(new URL(path, base), { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await r.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = text;
  }
  return { status: r.status, json };
}
