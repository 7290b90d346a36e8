// An entry read without building its statement's body: nearly every entry of a record
// is a report that a follower or `detente verify` checks (form, signature, leaf hash)
// without ever reading the report itself, and JSON.parse of the whole entry plus the
// field checks over the parsed value cost it more than everything else but the curve.
//
// The entry's text is checked canonical first (canonical-text.ts), so its shape is
// fixed to the byte: keys sorted, no white space, strings escaped one way. An ordinary
// entry (no `custodial`, no `endorsements`, no escape in its envelope's strings) is then
// `{"key":"…","received":"…","sig":"…","statement":{"arrangement":"…","author":"…",
// "body":{…},"time":"…","type":"…","v":1}}` exactly, and its fields are read where they
// stand. Anything else (rarer shapes, and every entry that is wrong) gets no answer
// here: the caller parses it whole (statement.ts's parseEntry), which says why it fails.

import { isCanonicalText } from './canonical-text.ts';
import { fromUtf8 } from './encoding.ts';
import { isValidKeyName } from './keys.ts';
import { isKeyNamedAfter, isSignatureText, MAX_ENTRY_BYTES } from './statement.ts';
import { isTimestamp } from './timestamp.ts';

/** An ordinary entry's fields, its statement's body left as text. */
export interface ScannedEntry {
  key: string;
  received: string;
  sig: string;
  statement: { arrangement: string; author: string; time: string; type: string; v: 1 };
  /** the statement's body, canonical JSON text of an object */
  bodyText: string;
  /** where the statement's text begins in the entry's bytes (what its author signed runs from there to the last byte but one) */
  statementAt: number;
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_OBJECT = 0x7b;
const CLOSE_OBJECT = 0x7d;
const OPEN_ARRAY = 0x5b;
const CLOSE_ARRAY = 0x5d;

/** Just after the object opening at `at`, in text known to be valid JSON. */
function objectEnd(text: string, at: number): number {
  let depth = 0;
  for (let i = at; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === QUOTE) {
      // Skip the string: any escape is a backslash and one more character (\uXXXX's
      // hex digits hold no quote), so a quote after an escape's backslash is not its end.
      for (i++; text.charCodeAt(i) !== QUOTE; i++) if (text.charCodeAt(i) === BACKSLASH) i++;
    } else if (c === OPEN_OBJECT || c === OPEN_ARRAY) depth++;
    else if (c === CLOSE_OBJECT || c === CLOSE_ARRAY) {
      depth--;
      if (depth === 0) return i + 1;
    }
  }
  return -1;
}

/** Reads a run of literal and string fields along an entry's text, failing on the first mismatch. */
class Cursor {
  at = 0;
  /** the first backslash at or after some point not past `at`, or -1 when none is left */
  private slash: number;
  constructor(readonly text: string) {
    this.slash = text.indexOf('\\');
  }
  literal(s: string): boolean {
    if (!this.text.startsWith(s, this.at)) return false;
    this.at += s.length;
    return true;
  }
  /**
   * The string starting here (its quote already read), up to and not including its
   * closing quote; undefined when it holds an escape: then the caller parses the entry
   * whole rather than unescape here.
   */
  string(): string | undefined {
    const end = this.text.indexOf('"', this.at);
    if (this.slash >= 0 && this.slash < this.at) this.slash = this.text.indexOf('\\', this.at);
    if (end < 0 || (this.slash >= 0 && this.slash < end)) return undefined;
    const s = this.text.slice(this.at, end);
    this.at = end;
    return s;
  }
}

/**
 * The fields of an ordinary, well-formed entry, or undefined: when the entry is of
 * another shape, or is not well formed (parse it with parseEntry to learn why). What it
 * returns is what parseEntry would, the body aside.
 */
export function scanEntry(bytes: Uint8Array): ScannedEntry | undefined {
  if (bytes.length > MAX_ENTRY_BYTES) return undefined;
  let text: string;
  try {
    text = fromUtf8(bytes, 'entry');
  } catch {
    return undefined;
  }
  if (!isCanonicalText(text)) return undefined;
  const c = new Cursor(text);
  if (!c.literal('{"key":"')) return undefined;
  const key = c.string();
  if (!key || !c.literal('","received":"')) return undefined;
  const received = c.string();
  if (received === undefined || !c.literal('","sig":"')) return undefined;
  const sig = c.string();
  if (sig === undefined || !c.literal('","statement":')) return undefined;
  // Characters before it are bytes before it when they are all ASCII; else count them.
  const statementAt = bytes.length === text.length ? c.at : Buffer.byteLength(text.slice(0, c.at));
  if (!c.literal('{"arrangement":"')) return undefined;
  const arrangement = c.string();
  if (!arrangement || !c.literal('","author":"')) return undefined;
  const author = c.string();
  if (!author || !c.literal('","body":') || text.charCodeAt(c.at) !== OPEN_OBJECT) return undefined;
  const bodyStart = c.at;
  c.at = objectEnd(text, bodyStart);
  if (c.at < 0) return undefined;
  const bodyText = text.slice(bodyStart, c.at);
  if (!c.literal(',"time":"')) return undefined;
  const time = c.string();
  if (time === undefined || !c.literal('","type":"')) return undefined;
  const type = c.string();
  if (!type || !c.literal('","v":1}}') || c.at !== text.length) return undefined;
  // The checks parseEntry makes of the fields (statement.ts, checkEntryFields and checkStatement).
  if (!isValidKeyName(author) || !isTimestamp(time) || !isTimestamp(received) || !isSignatureText(sig)) return undefined;
  if (!isKeyNamedAfter(key, author)) return undefined;
  return { key, received, sig, statement: { arrangement, author, time, type, v: 1 }, bodyText, statementAt };
}
