// The follower as its party's witness (C2SP tlog-witness add-checkpoint). A witness
// checks a checkpoint is signed and extends what it cosigned; the follower has checked
// far more (every entry, signature and key), so it cosigns only a checkpoint it has
// itself caught up to and verified: handed one beyond what it verified, it first
// follows the server to exactly that checkpoint. The protocol's own decision (old
// size, consistency proof, 409 and 422) is src/witness/witness.ts's, over a witness
// state of its own in DIR/witness/.

import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { parseAddCheckpoint } from '../record/add-checkpoint.ts';
import { openCheckpoint } from '../record/checkpoint.ts';
import { bytesEqual } from '../record/encoding.ts';
import { parseWitnessKey } from '../witness/key-file.ts';
import { witnessHandler } from '../witness/server.ts';
import { WitnessState } from '../witness/state.ts';
import { type AddCheckpoint, createWitness, type WitnessAnswer } from '../witness/witness.ts';
import type { Follower } from './follower.ts';
import { mkdirSync } from 'node:fs';

export interface FollowerWitnessOptions {
  follower: Follower;
  /** the witness key file, as `detente witness` keeps it (src/witness/key-file.ts) */
  keyFile: string;
  port: number;
  host: string;
  /** POSIX seconds for cosignatures (tests pin it) */
  now?: () => number;
}

export interface RunningFollowerWitness {
  url: string;
  vkey: string;
  close(): Promise<void>;
}

const TEXT = 'text/plain; charset=utf-8';

function refuse(status: number, why: string): WitnessAnswer {
  // 503 is not among tlog-witness's answers, but it is what HTTP says for "not now":
  // the log's client retries later, while a 422 would tell it the refusal is final.
  return { status: status as WitnessAnswer['status'], body: `${why}\n`, contentType: TEXT };
}

/** The add-checkpoint decision, gated on what the follower verified. */
export async function followerWitness(
  o: Omit<FollowerWitnessOptions, 'port' | 'host'>,
): Promise<{ add: AddCheckpoint; vkey: string; close: () => Promise<void> }> {
  const { follower } = o;
  const cosigner = parseWitnessKey(readFileSync(o.keyFile, 'utf8').trim());
  const dir = join(follower.dir, 'witness');
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const state = WitnessState.open(dir);
  let protocol: AddCheckpoint | undefined;

  const add: AddCheckpoint = async (body) => {
    const text = typeof body === 'string' ? body : Buffer.from(body).toString('utf8');
    if (!follower.log) {
      try {
        await follower.round();
      } catch (e) {
        return refuse(503, `the follower has not reached the log yet: ${(e as Error).message}`);
      }
    }
    const log = follower.log!;
    protocol ??= createWitness({ cosigners: [cosigner], logs: new Map([[log.origin, [log.key]]]), state, now: o.now });
    let size: number;
    let root: Uint8Array;
    let note: string;
    try {
      note = parseAddCheckpoint(text).note;
      ({ size, root } = openCheckpoint(note, log.key, log.origin));
    } catch {
      return protocol(body); // malformed, another log, a bad signature: the protocol's answer
    }
    if (!follower.stopped && size > (follower.verified?.size ?? 0)) {
      try {
        await follower.round(note);
      } catch (e) {
        return refuse(503, `could not verify the log up to ${size} entries yet: ${(e as Error).message}`);
      }
    }
    if (follower.stopped) return refuse(422, `this follower found the log does not extend what it verified: ${follower.stopped[0].kind}`);
    const v = follower.verified;
    if (!v || size > v.size) return refuse(503, `verified ${v?.size ?? 0} entries, not yet ${size}`);
    if (!bytesEqual(await follower.rootAt(size), root)) return refuse(422, `the mirrored tree of ${size} entries has another root than this checkpoint`);
    return protocol(body);
  };
  return { add, vkey: cosigner.vkey, close: () => state.close() };
}

/** Serves the follower's witness over HTTP (POST /add-checkpoint). */
export async function startFollowerWitness(o: FollowerWitnessOptions): Promise<RunningFollowerWitness> {
  const w = await followerWitness(o);
  const server: Server = createServer(witnessHandler(w.add));
  server.keepAliveTimeout = 60_000;
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(o.port, o.host, () => resolve());
    });
  } catch (e) {
    await w.close();
    throw e;
  }
  const { port } = server.address() as AddressInfo;
  const shown = o.host.includes(':') ? `[${o.host}]` : o.host;
  return {
    url: `http://${shown}:${port}`,
    vkey: w.vkey,
    async close() {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
      });
      await w.close();
    },
  };
}
