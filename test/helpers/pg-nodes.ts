// Nodes of one deployment on one PostgreSQL, as an operator runs them: `detente serve
// --store postgres://…` child processes on free ports. Every test stops its children in
// t.after (stopNodes), even when an assertion fails, or npm test would hang.

import { type ChildProcess, spawn } from 'node:child_process';
import pg from 'pg';
import { schemaFor } from '../../src/store/postgres/schema-name.ts';
import { EXAMPLE, ID } from './server.ts';

const ROOT = new URL('../..', import.meta.url).pathname;

export interface PgNode {
  child: ChildProcess;
  /** base URL without the trailing slash */
  url: string;
  /** what the process printed so far */
  out(): string;
  err(): string;
  exited: Promise<number | null>;
  /** resolves once the output matches (rejects after ms or when the process exits) */
  waitFor(re: RegExp, ms: number): Promise<RegExpExecArray>;
}

/** Starts a node; resolves once it serves (a follower: once it has opened the record). */
export function startNode(store: string, extra: string[] = []): Promise<PgNode> {
  const child = spawn(
    process.execPath,
    ['bin/detente.js', 'serve', '--arrangement', EXAMPLE, '--store', store, '--custodial', 'all', '--port', '0', ...extra],
    {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let out = '';
  let err = '';
  const listeners = new Set<() => void>();
  child.stdout!.on('data', (c) => {
    out += c;
    for (const l of listeners) l();
  });
  child.stderr!.on('data', (c) => (err += c));
  const exited = new Promise<number | null>((r) => child.on('exit', (code, signal) => r(code ?? (signal ? -1 : null))));
  const waitFor = (re: RegExp, ms: number) =>
    new Promise<RegExpExecArray>((resolve, reject) => {
      const check = () => {
        const m = re.exec(out);
        if (!m) return;
        done();
        resolve(m);
      };
      const t = setTimeout(() => {
        done();
        reject(new Error(`no ${re} from detente serve within ${ms} ms; stdout: ${out}; stderr: ${err}`));
      }, ms);
      const onExit = () => {
        done();
        reject(new Error(`detente serve exited before ${re}; stdout: ${out}; stderr: ${err}`));
      };
      const done = () => {
        clearTimeout(t);
        listeners.delete(check);
        child.off('exit', onExit);
      };
      listeners.add(check);
      child.on('exit', onExit);
      check();
    });
  return waitFor(/at (http:\/\/\S+)/, 180_000).then((m) => ({
    child,
    url: m[1].replace(/\/$/, ''),
    out: () => out,
    err: () => err,
    exited,
    waitFor,
  }));
}

/** Kills what is still running and waits for it to go. */
export async function stopNodes(nodes: Iterable<PgNode | undefined>, signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
  await Promise.all(
    [...nodes].map(async (n) => {
      if (!n || n.child.exitCode !== null || n.child.signalCode !== null) return;
      n.child.kill(signal);
      const t = setTimeout(() => n.child.kill('SIGKILL'), 20_000);
      await n.exited;
      clearTimeout(t);
    }),
  );
}

/** The bearer tokens, as the nodes keep them (in the database). */
export async function tokensOf(store: string): Promise<Record<string, string>> {
  const c = new pg.Client({ connectionString: store });
  await c.connect();
  try {
    const r = await c.query<{ value: string }>(`SELECT value FROM ${schemaFor(ID)}.secrets WHERE name = 'tokens'`);
    return JSON.parse(r.rows[0].value) as Record<string, string>;
  } finally {
    await c.end();
  }
}

export interface SseEvent {
  id: string | undefined;
  event: string;
  data: string;
}

/** An event stream read in the background; close() ends it. */
export function sse(url: string, token: string, lastEventId?: string): { events: SseEvent[]; close(): void; opened: Promise<void> } {
  const events: SseEvent[] = [];
  const ac = new AbortController();
  const opened = (async () => {
    const res = await fetch(url, {
      headers: { authorization: `Bearer ${token}`, ...(lastEventId ? { 'last-event-id': lastEventId } : {}) },
      signal: ac.signal,
    });
    if (res.status !== 200) throw new Error(`event stream: ${res.status} ${await res.text()}`);
    const reader = res.body!.getReader();
    let buf = '';
    void (async () => {
      try {
        for (;;) {
          const { value, done } = await reader.read();
          if (done) return;
          buf += Buffer.from(value).toString('utf8');
          for (let at = buf.indexOf('\n\n'); at >= 0; at = buf.indexOf('\n\n')) {
            const frame = buf.slice(0, at);
            buf = buf.slice(at + 2);
            const ev: SseEvent = { id: undefined, event: 'message', data: '' };
            for (const line of frame.split('\n')) {
              if (line.startsWith('id: ')) ev.id = line.slice(4);
              else if (line.startsWith('event: ')) ev.event = line.slice(7);
              else if (line.startsWith('data: ')) ev.data += line.slice(6);
            }
            if (ev.data !== '' || ev.id !== undefined) events.push(ev);
          }
        }
      } catch {
        // aborted, or the node went away
      }
    })();
  })();
  return { events, close: () => ac.abort(), opened };
}
