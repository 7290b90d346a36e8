// Statements and log entries (spec/record.md, "Entry").
//   statement = { v: 1, type, author, time, arrangement, body }
//   sig       = base64 Ed25519 signature over the statement's canonical bytes
//   entry     = canonical JSON of { statement, sig, key, received }, at most 65,535 bytes
// `key` is the author's verifier key; its name must be the author id, so a key says
// whose it is. `received` is the server's clock when the log accepted the statement.
// Two extensions of the spec's entry: `custodial: true` (the server signed for the
// author) and `endorsements` (others' signatures over the same statement bytes, each
// `{ key, sig }`, sorted by key; the genesis carries every party's and the guarantor's).
// Canonical JSON sorts an entry's fields as custodial, endorsements, key, received, sig,
// statement.

import { canonicalBytes, canonicalJson, type Json, type JsonObject } from './canonical.ts';
import { isCanonicalText } from './canonical-text.ts';
import { isTimestamp } from './timestamp.ts';
import { bytesEqual, decodeBase64, encodeBase64, fromUtf8, hasLoneSurrogate, utf8, utf8Shared } from './encoding.ts';
import { signatureProblem } from './ed25519.ts';
import { RecordError } from './errors.ts';
import { isValidKeyName, parseVerifierKey, type Signer } from './keys.ts';
import { leafHash } from './merkle.ts';

/** The largest entry: C2SP tlog-tiles' entry bundles prefix each entry with its length as a uint16. */
export const MAX_ENTRY_BYTES = 65_535;

export interface Statement {
  v: 1;
  type: string;
  author: string;
  time: string;
  arrangement: string;
  body: JsonObject;
}

export interface SignedStatement {
  statement: Statement;
  /** base64 signature over canonicalJson(statement) */
  sig: string;
  /** the author's verifier key (name+hash+key) */
  key: string;
}

/** A signature over a statement's canonical bytes by someone other than its author. */
export interface Endorsement {
  /** the endorser's verifier key (named with its actor id) */
  key: string;
  /** base64 Ed25519 signature over canonicalJson(statement) */
  sig: string;
  /** present (and true) when the server endorsed with a key it holds for the actor */
  custodial?: true;
}

export interface Entry extends SignedStatement {
  received: string;
  /** present (and true) when the server signed for the author, holding its key */
  custodial?: true;
  /** sorted by key; see Endorsement */
  endorsements?: Endorsement[];
}

function invalid(where: string, why: string): never {
  throw new RecordError('invalid', `${where}: ${why}`);
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function exactKeys(obj: Record<string, unknown>, keys: readonly string[], where: string, optional: readonly string[] = []): void {
  for (const k of keys) if (!(k in obj)) invalid(where, `missing "${k}"`);
  for (const k of Object.keys(obj)) if (!keys.includes(k) && !optional.includes(k)) invalid(where, `unknown field "${k}"`);
}

function nonEmptyString(v: unknown, where: string): string {
  if (typeof v !== 'string' || v === '') invalid(where, 'must be a non-empty string');
  return v;
}

// Canonical text escapes only control characters and lone surrogates as \uXXXX; the
// escape must follow an even run of backslashes (else it is a literal "\\u" in a string).
const LONE_SURROGATE_ESCAPE = /(?<!\\)(?:\\\\)*\\u[dD][89abcdefABCDEF]/;

const STATEMENT_KEYS = ['v', 'type', 'author', 'time', 'arrangement', 'body'] as const;
const ENTRY_KEYS = ['statement', 'sig', 'key', 'received'] as const;
// An extension of the spec's entry: `custodial: true` marks a statement the server
// signed with a key it holds for the author, so nobody mistakes it for the author's own act.
// `endorsements` lists others' signatures over the same statement (see Endorsement).
const OPTIONAL_ENTRY_KEYS = ['custodial', 'endorsements'] as const;
// Room for more than a signature: a longer text decodes past 64 bytes and is refused.
const sigScratch = Buffer.alloc(66);

/**
 * Whether `s` is the canonical base64 of 64 bytes (a signature): it decodes to 64 bytes
 * that encode back to `s` (so no other alphabet, no stray padding, the last character's
 * unused bits zero). Decoding and encoding 64 bytes costs less than a regular expression
 * over 88 characters, and a follower asks it of every entry.
 */
export function isSignatureText(s: string): boolean {
  return s.length === 88 && sigScratch.write(s, 'base64') === 64 && sigScratch.toString('base64', 0, 64) === s;
}

/** Checks the shape of a statement; returns it typed. */
export function checkStatement(value: unknown, where = 'statement'): Statement {
  if (!isObject(value)) invalid(where, 'must be a JSON object');
  exactKeys(value, STATEMENT_KEYS, where);
  if (value.v !== 1) invalid(`${where}.v`, 'must be 1');
  nonEmptyString(value.type, `${where}.type`);
  const author = nonEmptyString(value.author, `${where}.author`);
  if (!isValidKeyName(author)) invalid(`${where}.author`, `"${author}" cannot name a key (no spaces or '+')`);
  if (!isTimestamp(value.time)) invalid(`${where}.time`, 'must be an RFC 3339 timestamp');
  nonEmptyString(value.arrangement, `${where}.arrangement`);
  if (!isObject(value.body)) invalid(`${where}.body`, 'must be a JSON object');
  return value as unknown as Statement;
}

export interface StatementInput {
  type: string;
  arrangement: string;
  body: JsonObject;
  /**
   * canonicalJson(body), when the caller has it already (a server batching reports
   * canonicalises each to size its entries): the body is then not serialised again
   */
  bodyText?: string;
  /** the author's claim of when; defaults to now */
  time?: string | Date;
}

// Canonical texts of statements signed here, so that their entries are assembled
// around the same text instead of serialising a large body a second time.
const statementTexts = new WeakMap<Statement, string>();

const q = JSON.stringify;

/**
 * A statement's canonical text around its body's canonical text. The envelope's keys
 * are fixed and in RFC 8785 order; its strings are checked by checkStatement.
 */
function statementText(st: Statement, bodyText: string): string {
  for (const v of [st.type, st.arrangement]) if (hasLoneSurrogate(v)) invalid('statement', 'holds an unpaired surrogate');
  return `{"arrangement":${q(st.arrangement)},"author":${q(st.author)},"body":${bodyText},"time":${q(st.time)},"type":${q(st.type)},"v":1}`;
}

/** Builds and signs a statement by the signer (whose key name is the author id). */
export function signStatement(signer: Signer, input: StatementInput): SignedStatement {
  const time = input.time === undefined ? new Date().toISOString() : input.time instanceof Date ? input.time.toISOString() : input.time;
  const statement = checkStatement({ v: 1, type: input.type, author: signer.name, time, arrangement: input.arrangement, body: input.body });
  const text = input.bodyText === undefined ? canonicalJson(statement) : statementText(statement, input.bodyText);
  statementTexts.set(statement, text);
  const sig = encodeBase64(signer.sign(utf8(text)));
  return { statement, sig, key: signer.verifier.vkey };
}

/** What the log needs to know of an entry besides its bytes. */
export interface EntryFacts {
  author: string;
  key: string;
  sig: string;
  time: string;
}

export function factsOf(entry: Entry): EntryFacts {
  return { author: entry.statement.author, key: entry.key, sig: entry.sig, time: entry.statement.time };
}

// Entries made by makeEntry in this process, with their leaf hash. The log need not
// parse such an entry again: its leaf hash (computed anyway) shows the bytes unchanged.
// They are kept on the array itself, under a symbol no other module holds, rather than
// in a WeakMap: a WeakMap entry per entry made is an ephemeron the garbage collector
// must visit each time it runs while the entry is in flight (scavenges took about half
// as long without them, measured with --trace-gc on the verify bench's appends).
const MADE = Symbol('made by makeEntry');
type MadeBytes = Uint8Array & { [MADE]?: { facts: EntryFacts; leaf: Uint8Array } };

/** The facts of entry bytes made here by makeEntry, if `leaf` (their hash now) shows them unchanged. */
export function madeHere(bytes: Uint8Array, leaf: Uint8Array): EntryFacts | undefined {
  const m = (bytes as MadeBytes)[MADE];
  return m && bytesEqual(m.leaf, leaf) ? m.facts : undefined;
}

/**
 * Wraps a signed statement as entry bytes, `received` being the server's clock;
 * `custodial` when the server signed it for the author.
 */
export function makeEntry(signed: SignedStatement, received: Date | string = new Date(), custodial = false, endorsements?: readonly Endorsement[]): Uint8Array {
  const entry: Entry = {
    statement: signed.statement,
    sig: signed.sig,
    key: signed.key,
    received: received instanceof Date ? received.toISOString() : received,
  };
  if (custodial) entry.custodial = true;
  if (endorsements) entry.endorsements = [...endorsements].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  checkEntryFields(entry);
  // The entry's keys sort as custodial, endorsements, key, received, sig, statement.
  const st = statementTexts.get(signed.statement);
  const bytes =
    st === undefined || endorsements
      ? canonicalBytes(entry as unknown as Json)
      : utf8Shared(`{${custodial ? '"custodial":true,' : ''}"key":${q(entry.key)},"received":${q(entry.received)},"sig":${q(entry.sig)},"statement":${st}}`);
  if (bytes.length > MAX_ENTRY_BYTES) throw new RecordError('too-large', `entry is ${bytes.length} bytes; the limit is ${MAX_ENTRY_BYTES}`);
  // Not enumerable: deep comparisons and copies of the bytes do not see (or carry) it.
  Object.defineProperty(bytes, MADE, { value: { facts: factsOf(entry), leaf: leafHash(bytes) } });
  return bytes;
}

/** signStatement + makeEntry: what a server does for a statement it signs itself (custodially when `custodial`). */
export function buildEntry(signer: Signer, input: StatementInput, received?: Date | string, custodial = false): Uint8Array {
  return makeEntry(signStatement(signer, input), received, custodial);
}

/** Whether a verifier key's name (what precedes its first '+') is `author`, a valid key name (so without '+'). */
export function isKeyNamedAfter(key: string, author: string): boolean {
  return key.startsWith(author) && (key.length === author.length || key.charCodeAt(author.length) === 0x2b);
}

function checkEntryFields(value: unknown): Entry {
  if (!isObject(value)) invalid('entry', 'must be a JSON object');
  exactKeys(value, ENTRY_KEYS, 'entry', OPTIONAL_ENTRY_KEYS);
  if ('custodial' in value && value.custodial !== true) invalid('entry.custodial', 'must be true when present');
  const statement = checkStatement(value.statement);
  const sig = nonEmptyString(value.sig, 'entry.sig');
  if (!isSignatureText(sig)) invalid('entry.sig', 'must be the base64 of a 64-byte signature');
  if ('endorsements' in value) checkEndorsements(value.endorsements);
  const key = nonEmptyString(value.key, 'entry.key');
  if (!isKeyNamedAfter(key, statement.author)) invalid('entry.key', `key is named "${key.split('+')[0]}", not after the author "${statement.author}"`);
  if (!isTimestamp(value.received)) invalid('entry.received', 'must be an RFC 3339 timestamp');
  return value as unknown as Entry;
}

function checkEndorsements(value: unknown): void {
  if (!Array.isArray(value) || value.length === 0) invalid('entry.endorsements', 'must be a non-empty list');
  let last = '';
  value.forEach((e: unknown, i) => {
    const where = `entry.endorsements[${i}]`;
    if (!isObject(e)) invalid(where, 'must be a JSON object');
    exactKeys(e, ['key', 'sig'], where, ['custodial']);
    const key = nonEmptyString(e.key, `${where}.key`);
    if (!isSignatureText(nonEmptyString(e.sig, `${where}.sig`))) invalid(`${where}.sig`, 'must be the base64 of a 64-byte signature');
    if ('custodial' in e && e.custodial !== true) invalid(`${where}.custodial`, 'must be true when present');
    if (key <= last) invalid(where, 'endorsements must be sorted by key, each key once');
    last = key;
  });
}

/**
 * Signs a statement's canonical bytes as an endorser (someone other than its author).
 */
export function endorse(signer: Signer, statement: Statement, custodial = false): Endorsement {
  const sig = encodeBase64(signer.sign(canonicalBytes(checkStatement(statement))));
  return { key: signer.verifier.vkey, sig, ...(custodial ? { custodial: true as const } : {}) };
}

/** Why an endorsement does not verify over the statement, or undefined when it does. */
export function endorsementProblem(statement: Statement, e: Endorsement): string | undefined {
  let verifier: ReturnType<typeof parseVerifierKey>;
  try {
    verifier = parseVerifierKey(e.key);
  } catch (err) {
    return `endorsement key: ${(err as Error).message}`;
  }
  let sig: Uint8Array;
  try {
    sig = decodeBase64(e.sig, 'sig');
  } catch {
    return `the endorsement by ${e.key} is not canonical base64`;
  }
  const problem = signatureProblem(sig);
  if (problem) return `the endorsement by ${e.key}: ${problem}`;
  if (!verifier.verify(canonicalBytes(statement), sig)) return `the endorsement by ${e.key} does not verify over the statement`;
  return undefined;
}

/**
 * Parses entry bytes and checks their form: size, UTF-8, JSON, canonical (RFC 8785)
 * encoding, fields. It does not check the signature (see verifyEntry).
 */
export function parseEntry(bytes: Uint8Array): Entry {
  if (bytes.length > MAX_ENTRY_BYTES) throw new RecordError('too-large', `entry is ${bytes.length} bytes; the limit is ${MAX_ENTRY_BYTES}`);
  const text = fromUtf8(bytes, 'entry');
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    invalid('entry', `not JSON (${(e as Error).message})`);
  }
  const entry = checkEntryFields(value);
  // Nearly every entry is canonical, which one pass over the text shows; only one that
  // is not is serialised again, to say why.
  if (!isCanonicalText(text)) notCanonical(entry, text);
  return entry;
}

/** Throws what makes `text` (which parses to `entry`) not canonical, unless it is after all. */
function notCanonical(entry: Entry, text: string): void {
  // Re-serialising catches everything non-canonical at once: whitespace, key order,
  // escapes, number spelling, duplicate keys (JSON.parse keeps only the last). What
  // JSON.parse returns is plain JSON, except that a \ud800-style escape yields a lone
  // surrogate (not I-JSON), or nesting too deep to serialise.
  if (LONE_SURROGATE_ESCAPE.test(text)) invalid('entry', 'holds an unpaired surrogate (not I-JSON)');
  let canonical: string | undefined;
  try {
    canonical = canonicalJson(entry);
  } catch (e) {
    invalid('entry', `not I-JSON: ${(e as Error).message}`);
  }
  if (canonical !== text) invalid('entry', 'not in canonical (RFC 8785) form');
}

/**
 * What checking a statement's signature takes, once its form is known good: the key
 * parses (canonical, not small-order) and is named after the author, the signature is
 * canonical. Throws a RecordError saying what failed. Shared by verifyStatement and the
 * verify pool, which only moves the curve check to another thread.
 */
export function signatureInput(signed: SignedStatement): { verifier: ReturnType<typeof parseVerifierKey>; message: Uint8Array; sig: Uint8Array } {
  let verifier: ReturnType<typeof parseVerifierKey>;
  try {
    verifier = parseVerifierKey(signed.key);
  } catch (e) {
    throw new RecordError('invalid', `key: ${(e as Error).message}`);
  }
  if (verifier.name !== signed.statement.author) {
    throw new RecordError('invalid', `key is named "${verifier.name}", not after the author "${signed.statement.author}"`);
  }
  let sig: Uint8Array;
  try {
    sig = decodeBase64(signed.sig, 'sig');
  } catch {
    throw new RecordError('bad-signature', 'sig is not canonical base64');
  }
  const problem = signatureProblem(sig);
  if (problem) throw new RecordError('bad-signature', problem);
  return { verifier, message: utf8Shared(signedText(signed.statement)), sig };
}

/**
 * The statement's canonical text, made once: kept for makeEntry, which wraps the entry
 * around the very text whose signature was checked instead of serialising it again.
 * (A statement is not changed once signed or received; one changed in place would keep
 * the text it was verified with, and its entry would hold that text.)
 */
function signedText(st: Statement): string {
  let text = statementTexts.get(st);
  if (text === undefined) {
    text = canonicalJson(st as unknown as Json);
    statementTexts.set(st, text);
  }
  return text;
}

/** The error for a signature that does not verify. */
export function badStatementSignature(signed: SignedStatement): RecordError {
  return new RecordError('bad-signature', `signature does not verify under ${signed.statement.author}'s key`);
}

/**
 * Verifies a signed statement: the key parses (canonical, not small-order), is named
 * after the author, and the signature is canonical and valid over the statement's
 * canonical bytes, as is every endorsement an entry carries. Throws a RecordError saying what failed.
 */
export function verifyStatement(signed: SignedStatement): void {
  const { verifier, message, sig } = signatureInput(signed);
  if (!verifier.verify(message, sig)) throw badStatementSignature(signed);
  for (const e of (signed as Entry).endorsements ?? []) {
    const p = endorsementProblem(signed.statement, e);
    if (p) throw new RecordError('bad-signature', p);
  }
}

/** parseEntry + verifyStatement. */
export function verifyEntry(bytes: Uint8Array): Entry {
  const entry = parseEntry(bytes);
  verifyStatement(entry);
  return entry;
}
