// The body of a C2SP tlog-witness v1.0.0 add-checkpoint request:
//   old <size>\n
//   <0–63 lines, each a base64 consistency-proof hash>\n …
//   \n
//   <the signed checkpoint note>
// formatted by the log that submits and parsed by the witness that answers.

import { decodeBase64, encodeBase64 } from './encoding.ts';
import { RecordError } from './errors.ts';
import { HASH_SIZE } from './merkle.ts';

export const MAX_PROOF_LINES = 63;

export interface AddCheckpoint {
  old: number;
  proof: Uint8Array[];
  /** the signed checkpoint note, as sent */
  note: string;
}

export function formatAddCheckpoint(req: AddCheckpoint): string {
  if (req.proof.length > MAX_PROOF_LINES) throw new RecordError('invalid', `a consistency proof has at most ${MAX_PROOF_LINES} hashes`);
  return `old ${req.old}\n${req.proof.map((h) => `${encodeBase64(h)}\n`).join('')}\n${req.note}`;
}

/** Parses a request body; throws RecordError('invalid') naming what is malformed (a witness answers 400). */
export function parseAddCheckpoint(body: string): AddCheckpoint {
  const bad = (why: string): never => {
    throw new RecordError('invalid', `malformed add-checkpoint request: ${why}`);
  };
  const first = body.indexOf('\n');
  if (first < 0) bad('no "old" line');
  const m = /^old (0|[1-9][0-9]{0,19})$/.exec(body.slice(0, first));
  if (!m) bad('the first line must be "old <size>"');
  const old = Number(m![1]);
  if (!Number.isSafeInteger(old)) bad('old size too large');
  const proof: Uint8Array[] = [];
  let at = first + 1;
  for (;;) {
    const end = body.indexOf('\n', at);
    if (end < 0) bad('no blank line before the checkpoint');
    const line = body.slice(at, end);
    at = end + 1;
    if (line === '') break;
    if (proof.length === MAX_PROOF_LINES) bad(`more than ${MAX_PROOF_LINES} proof lines`);
    let h: Uint8Array | undefined;
    try {
      h = decodeBase64(line, 'proof hash');
    } catch {
      bad(`proof line ${proof.length + 1} is not base64`);
    }
    if (h!.length !== HASH_SIZE) bad(`proof line ${proof.length + 1} is not a ${HASH_SIZE}-byte hash`);
    proof.push(h!);
  }
  return { old, proof, note: body.slice(at) };
}
