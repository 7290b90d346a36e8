// C2SP tlog-checkpoint: the note text the log signs for each tree head.
//   <origin>\n<size in decimal>\n<base64 root hash>\n[<extension line>\n …]
// Origins here are detente/<deployment>/<arrangement>.

import { decodeBase64, encodeBase64 } from './encoding.ts';
import { RecordError } from './errors.ts';
import { HASH_SIZE } from './merkle.ts';
import { openNote, signNote, type NoteSignature, type VerifierKeys } from './note.ts';
import type { Signer } from './keys.ts';

export interface Checkpoint {
  origin: string;
  size: number;
  root: Uint8Array;
  extensions: string[];
}

export interface OpenedCheckpoint extends Checkpoint {
  signatures: NoteSignature[];
}

function bad(why: string): never {
  throw new RecordError('invalid', `checkpoint: ${why}`);
}

export function formatCheckpoint(cp: Checkpoint): string {
  if (cp.origin === '' || cp.origin.includes('\n')) bad('origin must be one non-empty line');
  if (!Number.isSafeInteger(cp.size) || cp.size < 0) bad(`size ${cp.size} is not a non-negative integer`);
  if (cp.root.length !== HASH_SIZE) bad(`root hash has ${cp.root.length} bytes, not ${HASH_SIZE}`);
  for (const e of cp.extensions) if (e === '' || e.includes('\n')) bad('an extension must be one non-empty line');
  return [cp.origin, String(cp.size), encodeBase64(cp.root), ...cp.extensions].join('\n') + '\n';
}

/** Parses checkpoint text (the note's text, not the whole note). */
export function parseCheckpoint(text: string): Checkpoint {
  if (!text.endsWith('\n')) bad('text must end with a newline');
  const lines = text.slice(0, -1).split('\n');
  if (lines.length < 3) bad(`needs origin, size and root lines, found ${lines.length} line(s)`);
  const [origin, sizeLine, rootLine, ...extensions] = lines;
  if (origin === '') bad('empty origin line');
  if (!/^(?:0|[1-9][0-9]*)$/.test(sizeLine)) bad(`size "${sizeLine}" is not a decimal number without leading zeros`);
  const size = Number(sizeLine);
  if (!Number.isSafeInteger(size)) bad(`size ${sizeLine} is too large`);
  let root: Uint8Array;
  try {
    root = decodeBase64(rootLine, 'root hash');
  } catch {
    bad(`root hash "${rootLine}" is not canonical base64`);
  }
  if (root.length !== HASH_SIZE) bad(`root hash has ${root.length} bytes, not ${HASH_SIZE}`);
  for (const [i, e] of extensions.entries()) if (e === '') bad(`extension line ${i + 1} is empty`);
  return { origin, size, root, extensions };
}

export function signCheckpoint(cp: Checkpoint, signer: Signer): string {
  return signNote(formatCheckpoint(cp), signer);
}

/**
 * Opens a signed checkpoint: the note must verify under one of `verifierKeys`, and
 * when `origin` is given the checkpoint must be for that log.
 */
export function openCheckpoint(note: string | Uint8Array, verifierKeys: VerifierKeys, origin?: string): OpenedCheckpoint {
  const opened = openNote(note, verifierKeys);
  const cp = parseCheckpoint(opened.text);
  if (origin !== undefined && cp.origin !== origin) bad(`origin is "${cp.origin}", expected "${origin}"`);
  return { ...cp, signatures: opened.signatures };
}
