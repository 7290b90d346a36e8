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
import { scanEntry } from '../record/entry-scan.ts';
import { parseEntry, verifyStatement } from '../record/statement.ts';
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
function statementAt(bytes: Uint8Array): number {
  const b = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return b.indexOf(STATEMENT_KEY) + STATEMENT_KEY.length;
}

/**
 * The key book reads a statement's body only for the genesis (an arrangement statement)
 * and key statements (key-book.ts, admit and apply); reports, nearly all of a record,
 * travel back without theirs. Any other type keeps its body, so a later reader of the
 * key book loses nothing.
 */
function keepsBody(type: string): boolean {
  return type !== 'report';
}

/** What checking one entry writes into its batch's answer (`number` gives a string's index in `out.strings`). */
interface Into {
  out: CheckedEntries;
  number: (s: string) => number;
}

/** What the rest of an entry's check reads of it, however it was read. */
interface Read {
  author: string;
  key: string;
  type: string;
  time: string;
  sig: string;
  /** the statement's body where it is parsed, else undefined and its text in bodyText (bodyOf parses it once) */
  body: unknown;
  bodyText: string;
  /** whether the body may name a sealed commitment (commitments.ts); false only where it surely names none */
  maySeal: boolean;
  /** where the statement's bytes begin in the entry's */
  statementAt: number;
  /** whether the author's signature holds */
  signed: boolean;
}

function bodyOf(read: Read): unknown {
  read.body ??= JSON.parse(read.bodyText);
  return read.body;
}

// A key named "sealed" is written `"sealed":` in canonical text wherever it is; inside
// a string the quotes would be escaped. A body without it names no commitment.
const SEALED_KEY = '"sealed":';

/**
 * Reads and checks entry `bytes` up to its signature: an ordinary entry by scanning its
 * text (entry-scan.ts), its body left unparsed; any other (the genesis with its
 * endorsements, custodial entries, escapes, and every malformed entry, so that its
 * error is parseEntry's) parsed whole. Throws what fails, but for the author's
 * signature, which `signed` says.
 */
function readAndVerify(bytes: Uint8Array): Read {
  const scanned = scanEntry(bytes);
  if (scanned) {
    const { statement: s, bodyText } = scanned;
    const read: Read = {
      author: s.author,
      key: scanned.key,
      type: s.type,
      time: s.time,
      sig: scanned.sig,
      body: undefined,
      bodyText,
      maySeal: bodyText.includes(SEALED_KEY),
      statementAt: scanned.statementAt,
      signed: false,
    };
    read.signed = verifies(bytes, read);
    return read;
  }
  const entry = parseEntry(bytes);
  const s = entry.statement;
  const read: Read = {
    author: s.author,
    key: entry.key,
    type: s.type,
    time: s.time,
    sig: entry.sig,
    body: s.body,
    bodyText: '',
    maySeal: true,
    statementAt: statementAt(bytes),
    signed: true,
  };
  if (entry.endorsements)
    verifyStatement(entry); // the genesis alone carries them: checked whole (it throws)
  else read.signed = verifies(bytes, read);
  return read;
}

const sigBytes = Buffer.alloc(64);

/** Whether the author's signature over the statement holds; throws when the key is not the author's. */
function verifies(bytes: Uint8Array, read: Read): boolean {
  const verifier = parseVerifierKey(read.key);
  if (verifier.name !== read.author) throw new Error(`key is named "${verifier.name}", not after the author "${read.author}"`);
  // The entry's form is checked: the signature is the canonical base64 of 64 bytes,
  // decoded into one buffer for every entry (the check is synchronous).
  sigBytes.write(read.sig, 'base64');
  // The same strictness as verifyStatement: a non-canonical signature never reaches the curve.
  return signatureProblem(sigBytes) === undefined && verifier.verify(bytes.subarray(read.statementAt, bytes.length - 1), sigBytes);
}

/**
 * Checks entry `i` of a batch, writing its verdict into the batch's answer: the numbers
 * of its author, key and type, its body and commitments where it has any, its leaf hash
 * and statement id; or why it fails. Nothing per entry is built only to be copied there.
 */
function checkEntry(bytes: Uint8Array, i: number, { out, number }: Into): void {
  let read: Read;
  try {
    read = readAndVerify(bytes);
  } catch (e) {
    const msg = (e as Error).message;
    out.failures.set(i, { kind: /signature|endorsement/.test(msg) ? 'bad-signature' : 'bad-entry', detail: msg });
    return;
  }
  if (!read.signed) {
    out.failures.set(i, { kind: 'bad-signature', detail: `signature does not verify under ${read.author}'s key ${read.key}` });
    return;
  }
  out.refs[3 * i] = number(read.author);
  out.refs[3 * i + 1] = number(read.key);
  out.refs[3 * i + 2] = number(read.type);
  if (keepsBody(read.type)) out.bodies.set(i, bodyOf(read));
  if (read.maySeal) {
    const commitments = commitmentsOf(bodyOf(read));
    if (commitments.length > 0) out.commitments.set(i, commitments);
  }
  out.leaves.set(leafHash(bytes), 32 * i);
  writeStatementId(read.time, read.sig, out.ids, 16 * i);
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
