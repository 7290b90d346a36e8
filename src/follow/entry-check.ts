// Everything a follower checks of one entry that does not depend on the entries before
// it: its form (canonical JSON, the fields), that its key is named after its author, its
// author's signature (and the genesis's endorsements), and what the mirror stores of it
// (leaf hash, statement id, the commitments it names). It runs on the entry-check
// workers, a batch of entries per message, so that the follower's main thread is left
// with the key book (which depends on the order) and the mirror's writes.

import { signatureProblem } from '../record/ed25519.ts';
import { parseVerifierKey } from '../record/keys.ts';
import { writeStatementId } from '../record/log.ts';
import { leafHash } from '../record/merkle.ts';
import { type Entry, parseEntry, verifyStatement } from '../record/statement.ts';
import { commitmentsOf } from './commitments.ts';

/** Entries to check: their bytes back to back. */
export interface PackedEntries {
  bytes: Uint8Array;
  /** n + 1 offsets into bytes */
  offsets: Uint32Array;
}

/** One entry's verdict. */
export type EntryVerdict =
  | {
      ok: true;
      author: string;
      key: string;
      type: string;
      /** the statement's body where the key book may read it (see bodyFor); null otherwise */
      body: unknown;
      /** the sealed commitments the statement names */
      commitments: string[];
    }
  | { ok: false; kind: 'bad-entry' | 'bad-signature'; detail: string };

/**
 * A batch's verdicts, in a form that crosses from a worker to the main thread cheaply: a
 * batch's entries share a few authors, keys and types, so each string is sent once and
 * each entry names its own by number; bodies, commitments and failures, which few
 * entries have, are listed by position. verdictOf reads one entry's verdict back.
 */
export interface CheckedEntries {
  /** the distinct authors, keys and types of the batch */
  strings: string[];
  /** 3 per entry: its author, key and type as indices into strings (unused where the entry fails) */
  refs: Uint32Array;
  /** by position in the batch, the bodies that are not null (see bodyFor) */
  bodies: Map<number, unknown>;
  /** by position, the commitments of the entries that name any */
  commitments: Map<number, string[]>;
  /** by position, the entries that fail */
  failures: Map<number, { kind: 'bad-entry' | 'bad-signature'; detail: string }>;
  /** 32 bytes per entry (zeros where the entry fails) */
  leaves: Uint8Array;
  /** 16 bytes per entry, record/log.ts's statementId (zeros where the entry fails) */
  ids: Uint8Array;
}

const NONE: string[] = [];

/** The verdict on entry `i` of a checked batch. */
export function verdictOf(checked: CheckedEntries, i: number): EntryVerdict {
  const failure = checked.failures.get(i);
  if (failure) return { ok: false, ...failure };
  const { strings, refs } = checked;
  return {
    ok: true,
    author: strings[refs[3 * i]],
    key: strings[refs[3 * i + 1]],
    type: strings[refs[3 * i + 2]],
    body: checked.bodies.get(i) ?? null,
    commitments: checked.commitments.get(i) ?? NONE,
  };
}

/** Packs `list` into one buffer (from `take`: the pool passes buffers its workers sent back) with its offsets. */
export function packEntries(list: readonly Uint8Array[], take: (size: number) => Uint8Array = (n) => new Uint8Array(n)): PackedEntries {
  let total = 0;
  for (const e of list) total += e.length;
  const bytes = take(total);
  const offsets = new Uint32Array(list.length + 1);
  let at = 0;
  for (let i = 0; i < list.length; i++) {
    offsets[i] = at;
    bytes.set(list[i], at);
    at += list[i].length;
  }
  offsets[list.length] = at;
  return { bytes, offsets };
}

const STATEMENT_KEY = Buffer.from(',"statement":');

/**
 * A canonical entry's keys sort custodial, endorsements, key, received, sig, statement:
 * the statement comes last, so its canonical bytes (what the author signed) are the
 * entry's bytes from after `"statement":` to the closing brace. parseEntry has checked
 * the entry is canonical, and a `"statement":` earlier would need an unescaped quote
 * inside a string, so the first one is the key. This spares re-serialising each statement.
 */
function signedBytes(bytes: Uint8Array): Uint8Array {
  const b = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const at = b.indexOf(STATEMENT_KEY);
  return bytes.subarray(at + STATEMENT_KEY.length, bytes.length - 1);
}

/**
 * The key book reads a statement's body only for the genesis (an arrangement statement)
 * and key statements (key-book.ts, admit and apply); reports, nearly all of a record,
 * travel back without theirs. Any other type keeps its body, so a later reader of the
 * key book loses nothing.
 */
function bodyFor(entry: Entry): unknown {
  return entry.statement.type === 'report' ? null : entry.statement.body;
}

/** What checking one entry writes into its batch's answer (`number` gives a string's index in `out.strings`). */
interface Into {
  out: CheckedEntries;
  number: (s: string) => number;
}

/**
 * Checks entry `i` of a batch, writing its verdict into the batch's answer: the numbers
 * of its author, key and type, its body and commitments where it has any, its leaf hash
 * and statement id; or why it fails. Nothing per entry is built only to be copied there.
 */
function checkEntry(bytes: Uint8Array, i: number, { out, number }: Into): void {
  let entry: Entry;
  try {
    entry = parseEntry(bytes);
    const { author } = entry.statement;
    const verifier = parseVerifierKey(entry.key);
    if (verifier.name !== author) throw new Error(`key is named "${verifier.name}", not after the author "${author}"`);
    if (entry.endorsements)
      verifyStatement(entry); // the genesis alone carries them: checked whole
    else {
      // parseEntry has checked the signature is the canonical base64 of 64 bytes.
      const sig = Buffer.from(entry.sig, 'base64');
      // The same strictness as verifyStatement: a non-canonical signature never reaches the curve.
      const message = signedBytes(bytes);
      if (signatureProblem(sig) !== undefined || !verifier.verify(message, sig)) {
        out.failures.set(i, { kind: 'bad-signature', detail: `signature does not verify under ${author}'s key ${entry.key}` });
        return;
      }
    }
  } catch (e) {
    const msg = (e as Error).message;
    out.failures.set(i, { kind: /signature|endorsement/.test(msg) ? 'bad-signature' : 'bad-entry', detail: msg });
    return;
  }
  const s = entry.statement;
  out.refs[3 * i] = number(s.author);
  out.refs[3 * i + 1] = number(entry.key);
  out.refs[3 * i + 2] = number(s.type);
  const body = bodyFor(entry);
  if (body !== null) out.bodies.set(i, body);
  const commitments = commitmentsOf(s.body);
  if (commitments.length > 0) out.commitments.set(i, commitments);
  out.leaves.set(leafHash(bytes), 32 * i);
  writeStatementId(s.time, entry.sig, out.ids, 16 * i);
}

/** Checks every entry of the batch (a failure does not stop the others: the caller takes the first in order). */
export function checkEntries(packed: PackedEntries): CheckedEntries {
  const n = packed.offsets.length - 1;
  const out: CheckedEntries = {
    strings: [],
    refs: new Uint32Array(3 * n),
    bodies: new Map(),
    commitments: new Map(),
    failures: new Map(),
    leaves: new Uint8Array(32 * n),
    ids: new Uint8Array(16 * n),
  };
  const numbered = new Map<string, number>();
  const into: Into = {
    out,
    number: (s) => {
      let k = numbered.get(s);
      if (k === undefined) {
        k = out.strings.push(s) - 1;
        numbered.set(s, k);
      }
      return k;
    },
  };
  for (let i = 0; i < n; i++) checkEntry(packed.bytes.subarray(packed.offsets[i], packed.offsets[i + 1]), i, into);
  return out;
}
