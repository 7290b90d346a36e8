// Whether a JSON text is already in RFC 8785 canonical form, read in one pass over the
// text instead of serialising the parsed value again and comparing (canonical.ts): a
// follower or `detente verify` checks the form of every entry of a record, and building
// a second copy of each costs more than reading the first. It answers only true or
// false; the caller that gets false serialises after all, to say exactly what is wrong.
//
// Canonical text, as canonical.ts writes it (JSON.stringify's forms, keys sorted by
// UTF-16 code units): no white space; strings escape `"` and `\`, the control characters
// \b \t \n \f \r by those letters and the others as \u00xx in lower-case hex, and nothing
// else (an escaped lone surrogate is not I-JSON); numbers as ECMAScript prints them;
// object keys strictly ascending (a repeated key is not canonical: JSON.parse keeps
// only the last); nesting shallower than MAX_DEPTH.

import { MAX_DEPTH } from './canonical.ts';

const QUOTE = 0x22;
const OPEN_OBJECT = 0x7b;
const CLOSE_OBJECT = 0x7d;
const OPEN_ARRAY = 0x5b;
const CLOSE_ARRAY = 0x5d;
const COMMA = 0x2c;
const MINUS = 0x2d;

/** The short escapes JSON.stringify writes, by the letter after the backslash. */
function isShortEscape(c: number): boolean {
  // " \ b f n r t
  return c === 0x22 || c === 0x5c || c === 0x62 || c === 0x66 || c === 0x6e || c === 0x72 || c === 0x74;
}

/** A lower-case hex digit's value, or -1. */
function lowerHex(c: number): number {
  if (c >= 0x30 && c <= 0x39) return c - 0x30;
  if (c >= 0x61 && c <= 0x66) return c - 0x61 + 10;
  return -1;
}

/** The end of the \u escape at `at` (the backslash) if it is canonical, else -1. */
function unicodeEscapeEnd(text: string, at: number): number {
  if (text.charCodeAt(at + 2) !== 0x30 || text.charCodeAt(at + 3) !== 0x30) return -1;
  const high = text.charCodeAt(at + 4) - 0x30;
  const low = lowerHex(text.charCodeAt(at + 5));
  if ((high !== 0 && high !== 1) || low < 0) return -1;
  const code = high * 16 + low;
  // Those with a short form must use it.
  if (code === 0x08 || code === 0x09 || code === 0x0a || code === 0x0c || code === 0x0d) return -1;
  return at + 6;
}

/**
 * The index just past the closing quote of the string opening at `at`, or -1 if the
 * string is not canonical. `slash` holds the position of the next backslash at or after
 * some earlier point (or -1 when there is none), carried from string to string so that
 * finding backslashes costs one pass over the text in all.
 */
const slash = { at: -1 };

function stringEnd(text: string, at: number, slash: { at: number }): number {
  let i = at + 1;
  for (;;) {
    const quote = text.indexOf('"', i);
    if (quote < 0) return -1;
    if (slash.at >= 0 && slash.at < i) slash.at = text.indexOf('\\', i);
    if (slash.at < 0 || slash.at > quote) return quote + 1;
    const s = slash.at;
    const e = text.charCodeAt(s + 1);
    if (isShortEscape(e)) i = s + 2;
    else if (e === 0x75) {
      i = unicodeEscapeEnd(text, s);
      if (i < 0) return -1;
    } else return -1; // \/ and anything else
  }
}

function isDigit(c: number): boolean {
  return c >= 0x30 && c <= 0x39;
}

/**
 * The end of a plain decimal at `at` (integer digits from `digits` to `point`, then a
 * fraction, no exponent) that ECMAScript prints as written, or 0 when it cannot tell
 * without converting. It can when there are at most 15 significant digits: every such
 * decimal is a different double and its shortest spelling, so with no leading zero in
 * the integer part, no trailing zero in the fraction and at most five zeros after "0."
 * (0.000001 prints as written, 1e-7 does not) the text is the printed form.
 */
function decimalEnd(text: string, at: number, digits: number, point: number): number {
  if (text.charCodeAt(point) !== 0x2e) return 0;
  const intDigits = point - digits;
  const zeroInt = intDigits === 1 && text.charCodeAt(digits) === 0x30;
  if (!zeroInt && text.charCodeAt(digits) === 0x30) return 0; // a leading zero
  let i = point + 1;
  let leadingZeros = 0;
  if (zeroInt) while (text.charCodeAt(i + leadingZeros) === 0x30) leadingZeros++;
  while (isDigit(text.charCodeAt(i))) i++;
  const fraction = i - point - 1;
  const c = text.charCodeAt(i);
  if (fraction === 0 || c === 0x65 || c === 0x45) return 0;
  if (text.charCodeAt(i - 1) === 0x30) return 0; // a trailing zero (or a fraction of zeros)
  const significant = zeroInt ? fraction - leadingZeros : intDigits + fraction;
  if (significant > 15 || leadingZeros > 5) return 0;
  return i > at ? i : 0;
}

/** The index just past the number starting at `at`, or -1 if it is not spelled as ECMAScript prints it. */
function numberEnd(text: string, at: number): number {
  let i = at;
  if (text.charCodeAt(i) === MINUS) i++;
  const digits = i;
  while (isDigit(text.charCodeAt(i))) i++;
  if (i === digits) return -1; // "-" without digits
  const c = text.charCodeAt(i);
  const plain = c !== 0x2e && c !== 0x65 && c !== 0x45; // no fraction, no exponent
  // The common case, an integer of at most 15 digits without a leading zero, prints as
  // itself (every such integer is exact in a double); "-0" prints as "0".
  if (plain && i - digits <= 15 && (text.charCodeAt(digits) !== 0x30 || (i - digits === 1 && digits === at))) return i;
  const decimal = decimalEnd(text, at, digits, i);
  if (decimal > 0) return decimal;
  while (i < text.length) {
    const d = text.charCodeAt(i);
    if (isDigit(d) || d === 0x2e || d === 0x65 || d === 0x45 || d === 0x2b || d === MINUS) i++;
    else break;
  }
  const token = text.slice(at, i);
  const value = Number(token);
  return Number.isFinite(value) && JSON.stringify(value) === token ? i : -1;
}

/** Whether the key at [aStart, aEnd) sorts strictly before the key at [bStart, bEnd) (raw text between the quotes). */
function keyBefore(text: string, aStart: number, aEnd: number, bStart: number, bEnd: number): boolean {
  const escaped = anySlash && (text.lastIndexOf('\\', aEnd) >= aStart || text.lastIndexOf('\\', bEnd) >= bStart);
  if (escaped) return (JSON.parse(text.slice(aStart - 1, aEnd + 1)) as string) < (JSON.parse(text.slice(bStart - 1, bEnd + 1)) as string);
  // Without escapes the text is the key: compare UTF-16 code units, as sorting does.
  const n = Math.min(aEnd - aStart, bEnd - bStart);
  for (let k = 0; k < n; k++) {
    const d = text.charCodeAt(aStart + k) - text.charCodeAt(bStart + k);
    if (d !== 0) return d < 0;
  }
  return aEnd - aStart < bEnd - bStart;
}

// Per open container, where its last key lies in the text (NO_KEY before the first;
// IN_ARRAY for an array). Reused from call to call: the reading is synchronous.
const NO_KEY = -1;
/** whether the text being read holds a backslash at all (else no key has an escape) */
let anySlash = false;
const IN_ARRAY = -2;
const keyStart = new Int32Array(MAX_DEPTH + 1);
const keyEnd = new Int32Array(MAX_DEPTH + 1);

// What may come next as the text is read.
const VALUE = 0; // a value (after a colon, a comma in an array, or at the start)
const FIRST_VALUE = 1; // a value or "]" (after "[")
const KEY = 2; // a key (after a comma in an object)
const FIRST_KEY = 3; // a key or "}" (after "{")
const COLON = 4; // ":" (after a key)
const NEXT = 5; // "," or the close of the open container (after a value in one)
const END = 6; // nothing (after the top value)

/** Raw control characters: never canonical (they are escaped), and JSON itself refuses them in strings. */
const CONTROL = /[\u0000-\u001f]/;

/**
 * True when `text` is JSON and the canonical text of the value it parses to
 * (canonicalJson(JSON.parse(text)) === text); false for anything else, JSON or not.
 * `text` must hold no unpaired surrogate, as text decoded from UTF-8 never does: its
 * characters are not read one by one. It allocates nothing for text without escapes:
 * a follower reads every entry of a record through it, and an entry that passes is read
 * by its fields' places (entry-scan.ts) without being parsed whole.
 */
export function isCanonicalText(text: string): boolean {
  if (CONTROL.test(text)) return false;
  let depth = 0; // open containers
  let next = VALUE;
  slash.at = text.indexOf('\\');
  anySlash = slash.at >= 0;
  let i = 0;
  const n = text.length;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c === QUOTE) {
      const end = stringEnd(text, i, slash);
      if (end < 0) return false;
      if (next === KEY || next === FIRST_KEY) {
        const top = depth - 1;
        if (keyStart[top] !== NO_KEY && !keyBefore(text, keyStart[top], keyEnd[top], i + 1, end - 1)) return false;
        keyStart[top] = i + 1;
        keyEnd[top] = end - 1;
        next = COLON;
      } else if (next === VALUE || next === FIRST_VALUE) next = depth > 0 ? NEXT : END;
      else return false;
      i = end;
    } else if (c === OPEN_OBJECT || c === OPEN_ARRAY) {
      if (next !== VALUE && next !== FIRST_VALUE) return false;
      if (depth >= MAX_DEPTH) return false;
      keyStart[depth] = c === OPEN_OBJECT ? NO_KEY : IN_ARRAY;
      depth++;
      next = c === OPEN_OBJECT ? FIRST_KEY : FIRST_VALUE;
      i++;
    } else if (c === CLOSE_OBJECT || c === CLOSE_ARRAY) {
      const inArray = depth > 0 && keyStart[depth - 1] === IN_ARRAY;
      const closes = c === CLOSE_ARRAY ? inArray && (next === NEXT || next === FIRST_VALUE) : depth > 0 && !inArray && (next === NEXT || next === FIRST_KEY);
      if (!closes) return false;
      depth--;
      next = depth > 0 ? NEXT : END;
      i++;
    } else if (c === COMMA) {
      if (next !== NEXT) return false;
      next = keyStart[depth - 1] === IN_ARRAY ? VALUE : KEY;
      i++;
    } else if (c === 0x3a /* : */) {
      if (next !== COLON) return false;
      next = VALUE;
      i++;
    } else {
      if (next !== VALUE && next !== FIRST_VALUE) return false;
      if (c === MINUS || isDigit(c)) {
        i = numberEnd(text, i);
        if (i < 0) return false;
      } else {
        const word = c === 0x74 ? 'true' : c === 0x6e ? 'null' : c === 0x66 ? 'false' : undefined;
        if (word === undefined || !text.startsWith(word, i)) return false; // white space, or not JSON
        i += word.length;
      }
      next = depth > 0 ? NEXT : END;
    }
  }
  return next === END;
}
