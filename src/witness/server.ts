// The witness over HTTP: POST /add-checkpoint at the root (C2SP tlog-witness v1.0.0),
// nothing else. Plain node:http: one route needs no framework, and every byte of the
// answer (status, Content-Type, body) is ours to state. Requests without a Content-Type
// are accepted (the protocol defines none); bodies are bounded; nothing a client sends
// can cause a 5xx.

import { mkdirSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type Cosigner, cosignerFromSeed } from '../record/cosignature.ts';
import { parseVerifierKey, type Verifier } from '../record/keys.ts';
import { loadOrCreateWitnessKey } from './key-file.ts';
import { WitnessState } from './state.ts';
import { type AddCheckpoint, createWitness } from './witness.ts';

/** Bodies above this are refused with 413: a checkpoint with 63 proof lines and 100 signatures fits in well under 16 KiB. */
export const MAX_BODY_BYTES = 64 * 1024;
export const DEFAULT_WITNESS_NAME = 'detente-witness';

function send(res: ServerResponse, status: number, body: string, contentType: string, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'Content-Type': contentType, 'Content-Length': Buffer.byteLength(body), ...headers });
  res.end(body);
}

function text(res: ServerResponse, status: number, body: string, headers?: Record<string, string>): void {
  send(res, status, `${body}\n`, 'text/plain; charset=utf-8', headers);
}

/** The body, or 'too-large' past `limit`, or 'gone' when the client left before its end. */
function readBody(req: IncomingMessage, limit: number): Promise<Buffer | 'too-large' | 'gone'> {
  return new Promise((resolve) => {
    const declared = Number(req.headers['content-length']);
    if (Number.isFinite(declared) && declared > limit) {
      req.resume();
      return resolve('too-large');
    }
    const chunks: Buffer[] = [];
    let size = 0;
    let over = false;
    req.on('data', (c: Buffer) => {
      if (over) return;
      size += c.length;
      if (size > limit) {
        over = true;
        chunks.length = 0;
        return;
      }
      chunks.push(c);
    });
    req.on('end', () => resolve(over ? 'too-large' : Buffer.concat(chunks)));
    // after 'end' this changes nothing (a promise settles once)
    req.on('close', () => resolve('gone'));
    req.on('error', () => resolve('gone'));
  });
}

/** The request handler for a witness: add-checkpoint at `/add-checkpoint`, 404/405 for anything else. */
export function witnessHandler(addCheckpoint: AddCheckpoint, maxBody = MAX_BODY_BYTES): (req: IncomingMessage, res: ServerResponse) => void {
  return (req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    if (path !== '/add-checkpoint') {
      req.resume();
      return text(res, 404, 'not found: this witness serves POST /add-checkpoint');
    }
    if (req.method !== 'POST') {
      req.resume();
      return text(res, 405, 'method not allowed: add-checkpoint is a POST', { Allow: 'POST' });
    }
    readBody(req, maxBody)
      .then(async (body) => {
        if (body === 'gone') return;
        if (body === 'too-large') {
          // Close the connection: the rest of an oversized body is not worth reading.
          return text(res, 413, `request body larger than ${maxBody} bytes`, { Connection: 'close' });
        }
        const answer = await addCheckpoint(body);
        send(res, answer.status, answer.body, answer.contentType);
      })
      .catch((e: unknown) => {
        // Only our own failures get here (the disk, the clock), never client input.
        process.stderr.write(`detente witness: ${(e as Error).stack ?? String(e)}\n`);
        if (!res.headersSent) text(res, 500, 'internal error; the checkpoint was not cosigned');
        else res.destroy();
      });
  };
}

export interface StartWitnessOptions {
  /** data directory: the key (made on first start) and the state */
  dir: string;
  /** the witness's name; defaults to the stored key's, or DEFAULT_WITNESS_NAME for a new key */
  name?: string;
  /** origin → trusted log verifier key(s) */
  logs: Record<string, string | readonly string[]> | ReadonlyMap<string, readonly string[]>;
  port?: number;
  host?: string;
  /** POSIX seconds for cosignatures (tests pin it) */
  now?: () => number;
  /** a fixed key instead of the one in `dir` (tests): name and 32-byte seed */
  seed?: Uint8Array;
}

export interface RunningWitness {
  /** http://host:port (add-checkpoint is at `${url}/add-checkpoint`) */
  url: string;
  /** the witness's cosignature/v1 verifier key */
  vkey: string;
  close(): Promise<void>;
}

/** Parses the logs option: origin → verifier keys (throws naming a key that does not parse). */
export function parseLogs(logs: StartWitnessOptions['logs']): Map<string, Verifier[]> {
  const entries = logs instanceof Map ? [...logs.entries()] : Object.entries(logs);
  const out = new Map<string, Verifier[]>();
  for (const [origin, keys] of entries as [string, string | readonly string[]][]) {
    if (origin === '' || origin.includes('\n')) throw new Error(`invalid log origin ${JSON.stringify(origin)}`);
    for (const k of typeof keys === 'string' ? [keys] : keys) {
      let v: Verifier;
      try {
        v = parseVerifierKey(k);
      } catch (e) {
        throw new Error(`log key "${k}" for ${origin}: ${(e as Error).message}`);
      }
      out.set(origin, [...(out.get(origin) ?? []), v]);
    }
  }
  return out;
}

/** Starts a witness in this process (what `detente witness` runs; tests elsewhere use it directly). */
export async function startWitness(options: StartWitnessOptions): Promise<RunningWitness> {
  const logs = parseLogs(options.logs);
  let cosigner: Cosigner;
  if (options.seed) {
    mkdirSync(options.dir, { recursive: true, mode: 0o700 });
    cosigner = cosignerFromSeed(options.name ?? DEFAULT_WITNESS_NAME, options.seed);
  } else cosigner = loadOrCreateWitnessKey(options.dir, options.name, DEFAULT_WITNESS_NAME).cosigner;
  const state = WitnessState.open(options.dir);
  const add = createWitness({ cosigners: [cosigner], logs, state, now: options.now });
  const server: Server = createServer(witnessHandler(add));
  // Logs keep their connection open between checkpoints (the protocol asks for keep-alive).
  server.keepAliveTimeout = 60_000;
  const host = options.host ?? '127.0.0.1';
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(options.port ?? 0, host, () => resolve());
    });
  } catch (e) {
    await state.close();
    throw e;
  }
  const { port } = server.address() as AddressInfo;
  const shown = host.includes(':') ? `[${host}]` : host;
  let closing: Promise<void> | undefined;
  return {
    url: `http://${shown}:${port}`,
    vkey: cosigner.vkey,
    close() {
      closing ??= (async () => {
        await new Promise<void>((resolve) => {
          server.close(() => resolve());
          server.closeIdleConnections();
        });
        await state.close();
      })();
      return closing;
    },
  };
}
