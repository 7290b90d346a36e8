// The witness's decision for one add-checkpoint request, C2SP tlog-witness v1.0.0:
// which status, which body. Pure apart from the state it reads and updates.
//
// Checks in this order (the protocol's, once the body can be read at all):
//   400  the body is malformed (old line, proof lines, checkpoint text)
//   404  the checkpoint's origin is not a log this witness serves
//   403  no signature by a key trusted for that origin, or a trusted key's fails
//   400  old is larger than the checkpoint's size
//   409  old is not the size of the latest checkpoint cosigned for the log
//        (body "<size>\n", Content-Type text/x.tlog.size)
//   422  old is 0 and the proof is not empty; the proof does not verify; a size-0
//        checkpoint whose root is not the empty tree's; the same size as stored with
//        another root (v1.0.0 says 409 there, the current text 422: we answer 422,
//        because a 409 tells the log to resend from our size, which it already did, and
//        the answer would never change; this is a fork, and final)
//   200  the cosignature line(s), after the new state is on disk. A repeat of the
//        stored checkpoint (old = size = stored size, same root) is cosigned again.
// A checkpoint the log signed but that does not extend what was cosigned (422) is kept
// in the state as evidence (the protocol allows it): it may be one half of a split view.

import { parseAddCheckpoint } from '../record/add-checkpoint.ts';
import { openCheckpoint, parseCheckpoint } from '../record/checkpoint.ts';
import type { Cosigner } from '../record/cosignature.ts';
import { bytesEqual } from '../record/encoding.ts';
import type { Verifier } from '../record/keys.ts';
import { EMPTY_ROOT, verifyConsistency } from '../record/merkle.ts';
import type { WitnessState } from './state.ts';

export interface WitnessAnswer {
  status: 200 | 400 | 403 | 404 | 409 | 422;
  body: string;
  contentType: string;
}

export interface WitnessOptions {
  /** the witness's key(s); each cosigns every accepted checkpoint */
  cosigners: readonly Cosigner[];
  /** the logs served: origin → the verifier keys trusted for its checkpoints */
  logs: ReadonlyMap<string, readonly Verifier[]>;
  state: WitnessState;
  /** POSIX seconds for cosignature times (default: the system clock) */
  now?: () => number;
}

export type AddCheckpoint = (body: string | Uint8Array) => Promise<WitnessAnswer>;

const TEXT = 'text/plain; charset=utf-8';
const SIZE = 'text/x.tlog.size';

function refuse(status: WitnessAnswer['status'], why: string): WitnessAnswer {
  return { status, body: `${why}\n`, contentType: TEXT };
}

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

function systemSeconds(): number {
  return Math.floor(Date.now() / 1000);
}

export function createWitness(options: WitnessOptions): AddCheckpoint {
  const { cosigners, logs, state } = options;
  const now = options.now ?? systemSeconds;
  if (cosigners.length === 0) throw new Error('a witness needs at least one key');

  const cosign = (checkpointText: string): WitnessAnswer => {
    const time = now();
    // A zero time is forbidden (the cosignature must not omit its timestamp).
    if (!Number.isSafeInteger(time) || time <= 0) throw new Error(`the witness clock gave ${time}, not a positive POSIX time`);
    return { status: 200, body: cosigners.map((c) => c.cosign(checkpointText, time)).join(''), contentType: TEXT };
  };

  return async (raw) => {
    let body: string;
    try {
      body = typeof raw === 'string' ? raw : utf8.decode(raw);
    } catch {
      return refuse(400, 'the body is not UTF-8');
    }
    let req: ReturnType<typeof parseAddCheckpoint>;
    let text: string;
    let cp: ReturnType<typeof parseCheckpoint>;
    try {
      req = parseAddCheckpoint(body);
      // As openNote reads it: the signatures follow the last blank line.
      const split = req.note.lastIndexOf('\n\n');
      if (split < 0) return refuse(400, 'malformed checkpoint: no blank line before its signatures');
      text = req.note.slice(0, split + 1);
      cp = parseCheckpoint(text);
    } catch (e) {
      return refuse(400, (e as Error).message);
    }
    const keys = logs.get(cp.origin);
    if (!keys) return refuse(404, `unknown log origin "${cp.origin}"`);
    try {
      openCheckpoint(req.note, keys, cp.origin);
    } catch (e) {
      return refuse(403, (e as Error).message);
    }
    if (req.old > cp.size) return refuse(400, `old size ${req.old} is larger than the checkpoint's size ${cp.size}`);

    const keepAndRefuse = (why: string): WitnessAnswer => {
      state.keepRefusedCheckpoint(cp.origin, req.note, why, now());
      return refuse(422, why);
    };
    return state.serial(cp.origin, async () => {
      const stored = state.get(cp.origin);
      const storedSize = stored?.size ?? 0;
      if (req.old !== storedSize) return { status: 409, body: `${storedSize}\n`, contentType: SIZE };
      if (req.old === 0 && req.proof.length > 0) return refuse(422, 'old size 0 takes an empty proof');
      if (cp.size === 0 && !bytesEqual(cp.root, EMPTY_ROOT)) return keepAndRefuse("a checkpoint of size 0 must have the empty tree's root");
      if (stored && cp.size === stored.size) {
        if (!bytesEqual(cp.root, stored.root)) return keepAndRefuse(`the log forked: another root at size ${cp.size} than the one cosigned`);
        if (req.proof.length > 0) return refuse(422, 'a checkpoint of the size already cosigned takes an empty proof');
        return cosign(text);
      }
      if (stored && !verifyConsistency(stored.size, cp.size, stored.root, cp.root, req.proof)) {
        return keepAndRefuse(`the consistency proof from ${stored.size} to ${cp.size} does not verify`);
      }
      await state.put(cp.origin, storedSize, { size: cp.size, root: cp.root, note: req.note });
      return cosign(text);
    });
  };
}
