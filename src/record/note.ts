// C2SP signed notes, the format of Go's golang.org/x/mod/sumdb/note:
//
//   <text, ending in a newline>
//   <blank line>
//   — <key name> <base64(4-byte key hash || signature)>
//   …one line per signature, each ending in a newline
//
// openNote follows note.Open: valid UTF-8 without control characters other than
// newline; the signature block is whatever follows the last blank line; signatures by
// unknown keys are set aside; a known key whose signature fails rejects the whole note;
// at least one signature must verify. It is stricter in one place: base64 must be
// canonical (Go tolerates non-zero padding bits), so a note has exactly one spelling.

import { decodeBase64, encodeBase64, fromUtf8, hasLoneSurrogate, utf8 } from './encoding.ts';
import { RecordError } from './errors.ts';
import { isValidKeyName, parseVerifierKey, type Signer, type Verifier } from './keys.ts';

export interface NoteSignature {
  name: string;
  keyHash: number;
  /** base64 of key hash || signature, as it stands in the note */
  base64: string;
}

export interface OpenedNote {
  /** the signed text, with its final newline */
  text: string;
  /** signatures that verified under the given keys */
  signatures: NoteSignature[];
  /** signatures by keys that were not given (not checked) */
  unverified: NoteSignature[];
}

/** Verifier keys as text (name+hash+key) or parsed; one or several. */
export type VerifierKeys = string | Verifier | Iterable<string | Verifier>;

const MAX_SIGNATURES = 100; // as Go: bounds the work a hostile note can cause
const CONTROL = /[\x00-\x09\x0b-\x1f]/;

function malformed(why: string): never {
  throw new RecordError('invalid', `malformed note: ${why}`);
}

function checkText(text: string): void {
  if (hasLoneSurrogate(text)) malformed('not valid UTF-8');
  const m = CONTROL.exec(text);
  if (m) malformed(`control character U+${m[0].charCodeAt(0).toString(16).padStart(4, '0')} at offset ${m.index}`);
}

/** Signs `text` (which must end in a newline) with each signer. */
export function signNote(text: string, signers: Signer | readonly Signer[]): string {
  if (!text.endsWith('\n')) malformed('text must end with a newline');
  checkText(text);
  const bytes = utf8(text);
  const lines = (Array.isArray(signers) ? signers : [signers as Signer]).map((s) => {
    const sig = s.sign(bytes);
    const blob = new Uint8Array(4 + sig.length);
    new DataView(blob.buffer).setUint32(0, s.keyHash);
    blob.set(sig, 4);
    return `— ${s.name} ${encodeBase64(blob)}\n`;
  });
  return `${text}\n${lines.join('')}`;
}

function verifierIndex(keys: VerifierKeys): Map<string, Verifier[]> {
  const list: Iterable<string | Verifier> =
    typeof keys === 'string' || !(Symbol.iterator in Object(keys)) ? [keys as string | Verifier] : (keys as Iterable<string | Verifier>);
  const index = new Map<string, Verifier[]>();
  for (const k of list) {
    const v = typeof k === 'string' ? parseVerifierKey(k) : k;
    const id = `${v.name}\n${v.keyHash}`;
    const same = index.get(id);
    if (!same) index.set(id, [v]);
    else if (!same.some((s) => s.vkey === v.vkey)) same.push(v);
  }
  return index;
}

/**
 * Opens a signed note: returns its text and the signatures that verify under
 * `verifierKeys`. Throws a RecordError when the note is malformed, when a known key's
 * signature is invalid, or when no signature verifies.
 */
export function openNote(note: string | Uint8Array, verifierKeys: VerifierKeys): OpenedNote {
  const msg = typeof note === 'string' ? note : fromUtf8(note, 'note');
  checkText(msg);
  const split = msg.lastIndexOf('\n\n');
  if (split < 0) malformed('no blank line before the signatures');
  const text = msg.slice(0, split + 1);
  const block = msg.slice(split + 2);
  if (block === '' || !block.endsWith('\n')) malformed('the signature block must end with a newline');

  const known = verifierIndex(verifierKeys);
  const textBytes = utf8(text);
  const signatures: NoteSignature[] = [];
  const unverified: NoteSignature[] = [];
  const seen = new Set<string>();
  const seenUnverified = new Set<string>();
  const lines = block.slice(0, -1).split('\n');
  if (lines.length > MAX_SIGNATURES) malformed(`more than ${MAX_SIGNATURES} signatures`);
  lines.forEach((line, i) => {
    if (!line.startsWith('— ')) malformed(`signature line ${i + 1} does not start with "— "`);
    const rest = line.slice(2);
    const space = rest.indexOf(' ');
    const name = space < 0 ? rest : rest.slice(0, space);
    const b64 = space < 0 ? '' : rest.slice(space + 1);
    if (!isValidKeyName(name)) malformed(`signature line ${i + 1}: invalid key name "${name}"`);
    if (b64 === '') malformed(`signature line ${i + 1}: no signature`);
    let blob: Uint8Array;
    try {
      blob = decodeBase64(b64, 'signature');
    } catch {
      malformed(`signature line ${i + 1}: signature is not canonical base64`);
    }
    if (blob.length < 5) malformed(`signature line ${i + 1}: signature too short`);
    const hash = new DataView(blob.buffer, blob.byteOffset, blob.byteLength).getUint32(0);
    const sig: NoteSignature = { name, keyHash: hash, base64: b64 };
    const id = `${name}\n${hash}`;
    const candidates = known.get(id);
    if (!candidates) {
      if (!seenUnverified.has(line)) unverified.push(sig);
      seenUnverified.add(line);
      return;
    }
    if (candidates.length > 1)
      throw new RecordError('invalid', `ambiguous verifier keys: several keys named ${name} with hash ${hash.toString(16).padStart(8, '0')}`);
    if (seen.has(id)) return;
    seen.add(id);
    if (!candidates[0].verify(textBytes, blob.subarray(4))) {
      throw new RecordError('bad-signature', `invalid signature by key ${name}+${hash.toString(16).padStart(8, '0')}`);
    }
    signatures.push(sig);
  });
  if (signatures.length === 0) {
    const by = unverified.map((s) => s.name).join(', ');
    throw new RecordError('bad-signature', `note has no signature by a known key${by ? ` (signed by: ${by})` : ''}`);
  }
  return { text, signatures, unverified };
}
