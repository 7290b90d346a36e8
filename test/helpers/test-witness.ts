// A minimal C2SP tlog-witness v1.0.0 witness for the tests: POST /add-checkpoint,
// state in memory, cosigning with tlog-cosignature v1. It answers 200, 400, 403, 404,
// 409 (with the size body) and 422 as the spec says; `mode` makes it fail (500) or
// never answer, to test what a server does with a bad witness. The real one is
// `detente witness` (src/witness/); the same tests can be pointed at it.
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { parseAddCheckpoint } from '../../src/record/add-checkpoint.ts';
import { openCheckpoint, parseCheckpoint } from '../../src/record/checkpoint.ts';
import { type Cosigner, cosignerFromSeed, noteParts } from '../../src/record/cosignature.ts';
import { bytesEqual } from '../../src/record/encoding.ts';
import { verifyConsistency } from '../../src/record/merkle.ts';
import { parseArrangementSource, type ArrangementSource } from '../../src/arrangement/load.ts';
import { readSignerKeyFile } from '../../src/record/key-file.ts';
import { generateKey } from '../../src/record/keys.ts';
import type { ClientTiming } from '../../src/server/witnessing/witness-client.ts';
import { EXAMPLE, startTestServer, type TestServer } from './server.ts';

export type WitnessMode = 'ok' | 'fail' | 'hang';

export interface TestWitness {
  readonly name: string;
  readonly cosigner: Cosigner;
  /** its cosignature/v1 verifier key */
  readonly vkey: string;
  /** set once listening */
  url: string;
  mode: WitnessMode;
  /** answers this much later (a slow witness) */
  delayMs: number;
  /** origin → what it holds */
  readonly state: Map<string, { size: number; root: Uint8Array }>;
  /** every answer it gave, by status */
  readonly answers: number[];
  /** trust a log: its origin and signed-note verifier key */
  trust(origin: string, logKey: string): void;
  /** listens (again, on the same port if it had one) */
  listen(port?: number): Promise<void>;
  /** stops listening; the state stays (a restart keeps it) */
  close(): Promise<void>;
}

export function makeTestWitness(name: string, seed: Uint8Array = randomBytes(32)): TestWitness {
  const cosigner = cosignerFromSeed(name, seed);
  const logs = new Map<string, string>();
  const state = new Map<string, { size: number; root: Uint8Array }>();
  const answers: number[] = [];
  const hanging = new Set<ServerResponse>();
  let server: Server | undefined;
  let port = 0;

  const w: TestWitness = {
    name,
    cosigner,
    vkey: cosigner.vkey,
    url: '',
    mode: 'ok',
    delayMs: 0,
    state,
    answers,
    trust: (origin, key) => void logs.set(origin, key),
    async listen(p) {
      server = createServer((req, res) => void handle(req, res));
      await new Promise<void>((resolve, reject) => {
        server!.once('error', reject);
        server!.listen(p ?? port, '127.0.0.1', () => resolve());
      });
      port = (server.address() as AddressInfo).port;
      w.url = `http://127.0.0.1:${port}`;
    },
    async close() {
      for (const r of hanging) r.destroy();
      hanging.clear();
      const s = server;
      server = undefined;
      if (!s) return;
      s.closeAllConnections();
      await new Promise<void>((r) => s.close(() => r()));
    },
  };

  function answer(res: ServerResponse, status: number, body: string, type = 'text/plain; charset=utf-8'): void {
    answers.push(status);
    res.writeHead(status, { 'content-type': type });
    res.end(body);
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    if (req.method !== 'POST' || req.url !== '/add-checkpoint') return answer(res, 404, 'not found\n');
    if (w.delayMs > 0) await new Promise((r) => setTimeout(r, w.delayMs));
    if (w.mode === 'hang') {
      hanging.add(res);
      return;
    }
    if (w.mode === 'fail') return answer(res, 500, 'broken on purpose\n');
    let req0: ReturnType<typeof parseAddCheckpoint>;
    let text: string;
    let origin: string;
    try {
      req0 = parseAddCheckpoint(Buffer.concat(chunks).toString('utf8'));
      text = noteParts(req0.note).text;
      origin = parseCheckpoint(text).origin;
    } catch (e) {
      return answer(res, 400, `${(e as Error).message}\n`);
    }
    const key = logs.get(origin);
    if (key === undefined) return answer(res, 404, `unknown log ${origin}\n`);
    let cp: ReturnType<typeof openCheckpoint>;
    try {
      cp = openCheckpoint(req0.note, key, origin);
    } catch (e) {
      return answer(res, 403, `${(e as Error).message}\n`);
    }
    if (req0.old > cp.size) return answer(res, 400, `old ${req0.old} is larger than the checkpoint's size ${cp.size}\n`);
    // The check of old and the update are one step: nothing awaits between them.
    const held = state.get(origin) ?? { size: 0, root: new Uint8Array(0) };
    if (req0.old !== held.size) return answer(res, 409, `${held.size}\n`, 'text/x.tlog.size');
    if (req0.old === 0) {
      if (req0.proof.length !== 0) return answer(res, 422, 'a proof from size 0 must be empty\n');
    } else if (req0.old === cp.size) {
      // The same size with another root: 409 in v1.0.0 (this helper follows it).
      if (!bytesEqual(held.root, cp.root)) return answer(res, 409, `${held.size}\n`, 'text/x.tlog.size');
    } else if (!verifyConsistency(req0.old, cp.size, held.root, cp.root, req0.proof)) {
      return answer(res, 422, 'the consistency proof does not verify\n');
    }
    state.set(origin, { size: cp.size, root: cp.root });
    answer(res, 200, cosigner.cosign(text, Math.floor(Date.now() / 1000)));
  }

  return w;
}

// ---- a server whose arrangement names witnesses --------------------------------

/** The example arrangement with a `witnesses` block naming these witnesses (actors in turn: il, sy, us). */
export function witnessedSource(witnesses: readonly { name: string; vkey: string }[], quorum: number): ArrangementSource {
  const actors = ['il', 'sy', 'us'];
  const block = [
    'witnesses:',
    `  quorum: ${quorum}`,
    '  keys:',
    ...witnesses.map((w, i) => `    - { name: ${w.name}, key: "${w.vkey}", actor: ${actors[i % actors.length]} }`),
  ].join('\n');
  const text = `${readFileSync(EXAMPLE, 'utf8').trimEnd()}\n${block}\n`;
  return parseArrangementSource(text, { file: EXAMPLE, baseDir: dirname(EXAMPLE) });
}

/** The log key a test deployment in `dir` will sign with (made here, so witnesses can trust it first). */
export function logKeyFor(dir: string, origin = TEST_ORIGIN): string {
  const path = join(dir, 'keys', 'log.key');
  if (!existsSync(path)) {
    mkdirSync(join(dir, 'keys'), { recursive: true, mode: 0o700 });
    writeFileSync(path, `${generateKey(origin).skey}\n`, { mode: 0o600 });
  }
  return readSignerKeyFile(path).verifier.vkey;
}

export const TEST_ORIGIN = 'detente/test/southern-syria';

export interface WitnessedServerOptions {
  dir?: string;
  source: ArrangementSource;
  /** name → URL */
  urls?: ReadonlyMap<string, string>;
  timing?: Partial<ClientTiming>;
  warnings?: string[];
}

/** A test server (inject, no socket) on the given arrangement and witness URLs. */
export function startWitnessedServer(o: WitnessedServerOptions): Promise<TestServer> {
  return startTestServer({
    dir: o.dir ?? mkdtempSync(join(tmpdir(), 'detente-witnessing-')),
    source: o.source,
    witnessUrls: o.urls,
    witnessTiming: o.timing ?? { minBackoffMs: 20, maxBackoffMs: 300, timeoutMs: 2000 },
    warn: (m) => o.warnings?.push(m),
    web: false,
  });
}

/** Polls `check` every 20 ms until it returns a value, or fails after `ms`. */
export async function eventually<T>(what: string, ms: number, check: () => Promise<T | undefined> | T | undefined): Promise<T> {
  const until = Date.now() + ms;
  for (;;) {
    const v = await check();
    if (v !== undefined) return v;
    if (Date.now() > until) throw new Error(`not within ${ms} ms: ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
