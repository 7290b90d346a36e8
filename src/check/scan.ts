// Reading a report line straight into a Report, for the usual flat shape of
// reports. JSON.parse builds a generic object that toReport then reads field by
// field; on million-line streams the two cost more than the engine. This reads
// the fields a report needs from the text, and checks the JSON of the others
// without building anything.
//
// It answers only when sure: for any line it does not return undefined for, the
// Report equals what toReport(JSON.parse(line)) returns. Anything unusual — an
// escape in a key or a kept string, a value of another kind than expected, a
// field given twice, invalid JSON, a field toReport would refuse, "__proto__"
// among holdings — makes it return undefined, and the caller takes the general
// way, which gives the same Report or the exact error message.
//
// Positions are passed around as plain numbers (a helper returns where it
// stopped, or -1 when it gives up) so that the hot loop keeps them in registers.
import { parseTime } from '../arrangement/time.ts';
import { type FieldKind, REPORT_FIELDS, REPORT_TYPES, type ReportField, type ReportType, reportField, STRING_KINDS } from '../monitor/report-fields.ts';
import type { Report, UnitReport, Velocity } from '../monitor/reports.ts';

// Top-level fields a report may read, by number, from the one declaration of the
// format (monitor/report-fields.ts): the string fields first, so that their text
// is kept at [a[f], b[f]); bit 1 << f marks field f as seen.
const FIELDS: readonly ReportField[] = [
  ...REPORT_FIELDS.filter((f) => STRING_KINDS.includes(f.kind)),
  ...REPORT_FIELDS.filter((f) => !STRING_KINDS.includes(f.kind)),
];
// A line's fields are a bit each in one 32-bit integer.
if (FIELDS.length > 31) throw new Error('the scanner keeps at most 31 report fields');
/** fields up to here hold a string; their text is at [a[f], b[f]) */
const LAST_STRING = FIELDS.findIndex((f) => !STRING_KINDS.includes(f.kind)) - 1;
/** any other field: its value is checked as JSON and not kept */
const OTHER = -1;

/** The number of the field named `name`. */
function field(name: string): number {
  return FIELDS.indexOf(reportField(name));
}

const TYPE = field('type');
const ID = field('id');
const TIME = field('time');
const UNIT = field('unit');
const ACTOR = field('actor');
const CATEGORY = field('category');
const STATUS = field('status');
const ZONE = field('zone');
const NOTIFICATION = field('notification');
const SOURCE = field('source');
const POSITION = field('position');
const ALTITUDE = field('altitude_m');
const HOLDINGS = field('holdings');
const ATTRS = field('attrs');
const VELOCITY = field('velocity');
const UNITS = field('units');
const ZONES = field('zones');

// How each field's value is read, by number: the kinds of value the scanner has readers for.
const K_STRING = 0;
const K_POSITION = 1;
const K_ALTITUDE = 2;
const K_HOLDINGS = 3;
const K_ATTRS = 4;
const K_VELOCITY = 5;
const K_WINDOW = 6;
const K_LIST = 7;
/** a field the scanner does not read (a report's grade or claim: rare, and small): the line goes to toReport */
const K_GENERAL = 8;
const KIND_CODE: Record<FieldKind, number> = {
  text: K_STRING,
  time: K_STRING,
  status: K_STRING,
  position: K_POSITION,
  altitude: K_ALTITUDE,
  holdings: K_HOLDINGS,
  attrs: K_ATTRS,
  velocity: K_VELOCITY,
  window: K_WINDOW,
  list: K_LIST,
  grade: K_GENERAL,
  claim: K_GENERAL,
  code: K_GENERAL,
};
const KIND = Int8Array.from(FIELDS, (f) => KIND_CODE[f.kind]);
// The scanner keeps one value of each of these kinds per line (lists are kept per field).
for (const k of ['position', 'altitude', 'holdings', 'attrs', 'velocity', 'window'] as const)
  if (FIELDS.filter((f) => f.kind === k).length > 1) throw new Error(`the scanner keeps one "${k}" field per report`);

/** The report types by number, and what each needs: fields it requires, and those it requires of a unit not withdrawn. */
const TYPES: readonly ReportType[] = REPORT_TYPES;
const maskOf = (pick: (f: ReportField) => boolean): number => FIELDS.reduce((m, f, i) => (pick(f) ? m | (1 << i) : m), 0);
const REQUIRED = Int32Array.from(TYPES, (t) => maskOf((f) => f.required.includes(t) && !f.unlessWithdrawn));
const REQUIRED_ACTIVE = Int32Array.from(TYPES, (t) => maskOf((f) => f.required.includes(t)));

// fieldOf finds a key's field with one look in a table by its length and its first,
// middle and last characters, then one comparison; names that share a place are
// looked for among all the names (none do today).
const NAMES = FIELDS.map((f) => f.name);
const COLLIDE = -2;
const keyHash = (n: number, first: number, middle: number, last: number): number => ((n << 5) ^ first ^ (middle << 1) ^ (last << 3)) & 1023;
const BY_HASH = new Int8Array(1024).fill(OTHER);
for (let i = 0; i < NAMES.length; i++) {
  const k = NAMES[i];
  const h = keyHash(k.length, k.charCodeAt(0), k.charCodeAt(k.length >> 1), k.charCodeAt(k.length - 1));
  BY_HASH[h] = BY_HASH[h] === OTHER ? i : COLLIDE;
}

const POW10 = [1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15];

/** Nesting deeper than this inside a field that is not kept is left to JSON.parse. */
const MAX_DEPTH = 64;

/** Strings shorter than this are copies when sliced (see ownSlice). */
const SHARED_FROM = 13;

function isSpace(c: number): boolean {
  return c === 32 || c === 10 || c === 13 || c === 9;
}

/** The first index from p on that is not JSON whitespace. */
function skipSpace(s: string, p: number, e: number): number {
  while (p < e && isSpace(s.charCodeAt(p))) p++;
  return p;
}

/** Does s spell `word` from a on? (The caller has checked the length.) */
function spells(s: string, a: number, word: string): boolean {
  for (let i = 0; i < word.length; i++) if (s.charCodeAt(a + i) !== word.charCodeAt(i)) return false;
  return true;
}

/** From just past an opening quote: the index of the closing quote, or -1 at an escape, a control character or the end. */
function plainEnd(s: string, p: number, e: number): number {
  while (p < e) {
    const c = s.charCodeAt(p);
    if (c === 34 /* " */) return p;
    if (c === 92 /* \ */ || c < 32) return -1;
    p++;
  }
  return -1;
}

/** The top-level field named by the key at [a, b). */
function fieldOf(s: string, a: number, b: number): number {
  const n = b - a;
  if (n === 0) return OTHER;
  const f = BY_HASH[keyHash(n, s.charCodeAt(a), s.charCodeAt(a + (n >> 1)), s.charCodeAt(b - 1))];
  if (f >= 0) return NAMES[f].length === n && spells(s, a, NAMES[f]) ? f : OTHER;
  if (f === OTHER) return OTHER;
  for (let i = 0; i < NAMES.length; i++) if (NAMES[i].length === n && spells(s, a, NAMES[i])) return i;
  return OTHER;
}

/** The report type named by the text at [a, b), by number, or -1. */
function typeOf(s: string, a: number, b: number): number {
  for (let i = 0; i < TYPES.length; i++) if (TYPES[i].length === b - a && spells(s, a, TYPES[i])) return i;
  return -1;
}

/** Any JSON string from its opening quote at p: the index past its closing quote, or -1. */
function skipString(s: string, p: number, e: number): number {
  if (p >= e || s.charCodeAt(p) !== 34) return -1;
  p++;
  while (p < e) {
    const c = s.charCodeAt(p++);
    if (c === 34) return p;
    if (c < 32) return -1;
    if (c === 92) {
      if (p >= e) return -1;
      const d = s.charCodeAt(p++);
      if (d === 117 /* u */) {
        if (p + 4 > e) return -1;
        for (let i = 0; i < 4; i++) {
          const h = s.charCodeAt(p++) | 32;
          if (!((h >= 48 && h <= 57) || (h >= 97 && h <= 102))) return -1;
        }
      } else if (d !== 34 && d !== 92 && d !== 47 && d !== 98 && d !== 102 && d !== 110 && d !== 114 && d !== 116) return -1;
    }
  }
  return -1;
}

/**
 * s[a, b) as a string of its own. A short slice is a copy; a longer one would
 * share (and keep alive) the whole text it was cut from, a megabyte-sized chunk
 * of the stream, for as long as the engine keeps it (ids, unit names). Slicing a
 * joined string makes the engine build the joined one flat, as a new string.
 */
export function ownSlice(s: string, a: number, b: number): string {
  const v = s.slice(a, b);
  return b - a < SHARED_FROM ? v : (' ' + v).slice(1);
}

export class ReportScanner {
  private s = '';
  /** the fields seen in the current line, a bit each */
  private seen = 0;
  /** where each string field's text starts and ends (past the quotes) */
  private readonly a = new Int32Array(LAST_STRING + 1);
  private readonly b = new Int32Array(LAST_STRING + 1);
  /** the number read last */
  private num = 0;
  private lon = 0;
  private lat = 0;
  /** null altitude_m reads as no altitude */
  private alt: number | null = null;
  private holdings: Record<string, number> = {};
  private attrsA = 0;
  private attrsB = 0;
  private velocity: Velocity | null = null;
  private fromA = -1;
  private fromB = -1;
  private toA = -1;
  private toB = -1;
  /** each list field's strings, by field number */
  private readonly lists: string[][] = FIELDS.map(() => []);
  /** Holdings keys met so far, so that each is made a string once (and is then the same string). */
  private readonly keys: string[] = [];
  // Times in a stream mostly share their date and hour with the one before:
  // those are worked out from the minutes and seconds alone.
  private hourText = '';
  private hourMs = NaN;

  /** The report in s[from, to), or undefined when the general way must decide. */
  scan(s: string, from: number, to: number): Report | undefined {
    this.s = s;
    const a = this.a;
    const b = this.b;
    let seen = 0;
    let p = skipSpace(s, from, to);
    if (p >= to || s.charCodeAt(p) !== 123 /* { */) return undefined;
    p = skipSpace(s, p + 1, to);
    if (p < to && s.charCodeAt(p) === 125 /* } */) return undefined; // no type
    for (;;) {
      if (p >= to || s.charCodeAt(p) !== 34) return undefined;
      const ka = p + 1;
      const kb = plainEnd(s, ka, to);
      if (kb < 0) return undefined;
      const f = fieldOf(s, ka, kb);
      if (f !== OTHER) {
        if (seen & (1 << f)) return undefined;
        seen |= 1 << f;
      }
      p = skipSpace(s, kb + 1, to);
      if (p >= to || s.charCodeAt(p) !== 58 /* : */) return undefined;
      p = skipSpace(s, p + 1, to);
      if (f <= LAST_STRING && f !== OTHER) {
        if (p >= to || s.charCodeAt(p) !== 34) return undefined;
        const vb = plainEnd(s, p + 1, to);
        if (vb < 0) return undefined;
        a[f] = p + 1;
        b[f] = vb;
        p = vb + 1;
      } else {
        p = this.value(f, s, p, to);
        if (p < 0) return undefined;
      }
      p = skipSpace(s, p, to);
      if (p >= to) return undefined;
      const c = s.charCodeAt(p++);
      if (c === 125 /* } */) break;
      if (c !== 44 /* , */) return undefined;
      p = skipSpace(s, p, to);
    }
    if (skipSpace(s, p, to) !== to) return undefined;
    this.seen = seen;
    return this.build();
  }

  /** The value of field f (not a string field) at p: where it ends, or -1. */
  private value(f: number, s: string, p: number, e: number): number {
    if (f === OTHER) return this.skip(s, p, e, 0);
    switch (KIND[f]) {
      case K_POSITION:
        return this.position(s, p, e);
      case K_ALTITUDE:
        if (p + 4 <= e && spells(s, p, 'null')) {
          this.alt = null;
          return p + 4;
        }
        p = this.number(s, p, e);
        if (p < 0 || !Number.isFinite(this.num)) return -1;
        this.alt = this.num;
        return p;
      case K_HOLDINGS:
        return this.readHoldings(s, p, e);
      case K_ATTRS:
        this.attrsA = p;
        return (this.attrsB = this.skip(s, p, e, 0));
      case K_VELOCITY:
        return this.readVelocity(s, p, e);
      case K_WINDOW:
        return this.readWindow(s, p, e);
      case K_LIST:
        return this.stringList(s, p, e, this.lists[f]);
      case K_GENERAL:
        return -1;
    }
    return this.skip(s, p, e, 0);
  }

  /**
   * A JSON number at p: where it ends (its value in `num`), or -1. Short
   * decimals are computed here: an integer of at most 15 digits is exact, and
   * dividing it by an exact power of ten rounds once, to the double nearest the
   * decimal — the number JSON.parse gives. Longer ones, and exponents, go to
   * Number(), which reads the JSON grammar's numbers exactly as JSON.parse does.
   */
  private number(s: string, p: number, e: number): number {
    const start = p;
    let neg = false;
    if (p < e && s.charCodeAt(p) === 45 /* - */) {
      neg = true;
      p++;
    }
    if (p >= e) return -1;
    let c = s.charCodeAt(p);
    let m = 0;
    let digits = 0;
    if (c === 48 /* 0 */) {
      p++;
      digits = 1;
    } else if (c >= 49 && c <= 57) {
      do {
        m = m * 10 + (c - 48);
        digits++;
        if (++p >= e) break;
        c = s.charCodeAt(p);
      } while (c >= 48 && c <= 57);
    } else return -1;
    let scale = 0;
    if (p < e && s.charCodeAt(p) === 46 /* . */) {
      const f = ++p;
      while (p < e) {
        c = s.charCodeAt(p);
        if (c < 48 || c > 57) break;
        m = m * 10 + (c - 48);
        p++;
      }
      scale = p - f;
      if (scale === 0) return -1;
      digits += scale;
    }
    let exact = digits <= 15;
    if (p < e && (s.charCodeAt(p) | 32) === 101 /* e or E */) {
      p++;
      if (p < e && (s.charCodeAt(p) === 43 || s.charCodeAt(p) === 45)) p++;
      const f = p;
      while (p < e && s.charCodeAt(p) >= 48 && s.charCodeAt(p) <= 57) p++;
      if (p === f) return -1;
      exact = false;
    }
    if (exact) {
      const v = scale === 0 ? m : m / POW10[scale];
      this.num = neg ? -v : v;
    } else this.num = Number(s.slice(start, p));
    return p;
  }

  private position(s: string, p: number, e: number): number {
    if (p >= e || s.charCodeAt(p) !== 91 /* [ */) return -1;
    p = this.number(s, skipSpace(s, p + 1, e), e);
    if (p < 0) return -1;
    const lon = this.num;
    p = skipSpace(s, p, e);
    if (p >= e || s.charCodeAt(p) !== 44 /* , */) return -1;
    p = this.number(s, skipSpace(s, p + 1, e), e);
    if (p < 0) return -1;
    const lat = this.num;
    p = skipSpace(s, p, e);
    if (p < e && s.charCodeAt(p) === 44) {
      // A third coordinate is allowed and not used; anything but a number there is left to the general way.
      p = this.number(s, skipSpace(s, p + 1, e), e);
      if (p < 0) return -1;
      p = skipSpace(s, p, e);
    }
    if (p >= e || s.charCodeAt(p) !== 93 /* ] */) return -1;
    // In range, by the comparisons toReport makes (false for NaN and infinities too).
    if (!(lon >= -180 && lon <= 180 && lat >= -90 && lat <= 90)) return -1;
    this.lon = lon;
    this.lat = lat;
    return p + 1;
  }

  private readHoldings(s: string, p: number, e: number): number {
    if (p >= e || s.charCodeAt(p) !== 123 /* { */) return -1;
    const h: Record<string, number> = {};
    this.holdings = h;
    p = skipSpace(s, p + 1, e);
    if (p < e && s.charCodeAt(p) === 125 /* } */) return p + 1;
    for (;;) {
      if (p >= e || s.charCodeAt(p) !== 34) return -1;
      const ka = p + 1;
      const kb = plainEnd(s, ka, e);
      if (kb < 0) return -1;
      p = skipSpace(s, kb + 1, e);
      if (p >= e || s.charCodeAt(p) !== 58) return -1;
      p = this.number(s, skipSpace(s, p + 1, e), e);
      // Not a number, negative or not finite: toReport refuses it, with its message.
      if (p < 0 || !(this.num >= 0 && this.num < Infinity)) return -1;
      const k = this.holdingKey(s, ka, kb);
      if (k === undefined) return -1;
      // A repeated key keeps its place and takes the last value, as in JSON.parse.
      h[k] = this.num;
      p = skipSpace(s, p, e);
      if (p >= e) return -1;
      const c = s.charCodeAt(p++);
      if (c === 125) return p;
      if (c !== 44) return -1;
      p = skipSpace(s, p, e);
    }
  }

  /** The key at [a, b) as a string, the same one each time; undefined for "__proto__", which an assignment would not store. */
  private holdingKey(s: string, a: number, b: number): string | undefined {
    const keys = this.keys;
    const n = b - a;
    for (let i = 0; i < keys.length; i++) {
      const k = keys[i];
      if (k.length === n && spells(s, a, k)) return k;
    }
    const k = this.own(a, b);
    if (k === '__proto__') return undefined;
    // A few kinds of asset recur; past that, remembering more would not pay.
    if (keys.length < 16) keys.push(k);
    return k;
  }

  private readVelocity(s: string, p: number, e: number): number {
    if (p >= e || s.charCodeAt(p) !== 123 /* { */) return -1;
    let ve = NaN;
    let vn = NaN;
    let vu = 0;
    p = skipSpace(s, p + 1, e);
    if (p < e && s.charCodeAt(p) === 125) return -1; // east_mps and north_mps are missing
    for (;;) {
      if (p >= e || s.charCodeAt(p) !== 34) return -1;
      const ka = p + 1;
      const kb = plainEnd(s, ka, e);
      if (kb < 0) return -1;
      p = skipSpace(s, kb + 1, e);
      if (p >= e || s.charCodeAt(p) !== 58) return -1;
      p = skipSpace(s, p + 1, e);
      const n = kb - ka;
      const which = n === 8 && spells(s, ka, 'east_mps') ? 1 : n === 9 && spells(s, ka, 'north_mps') ? 2 : n === 6 && spells(s, ka, 'up_mps') ? 3 : 0;
      if (which === 0) {
        p = this.skip(s, p, e, 1);
        if (p < 0) return -1;
      } else {
        p = this.number(s, p, e);
        if (p < 0 || !Number.isFinite(this.num)) return -1;
        // A repeated key: the last one counts, as in JSON.parse.
        if (which === 1) ve = this.num;
        else if (which === 2) vn = this.num;
        else vu = this.num;
      }
      p = skipSpace(s, p, e);
      if (p >= e) return -1;
      const c = s.charCodeAt(p++);
      if (c === 125) break;
      if (c !== 44) return -1;
      p = skipSpace(s, p, e);
    }
    if (ve !== ve || vn !== vn) return -1;
    this.velocity = { ve, vn, vu };
    return p;
  }

  private readWindow(s: string, p: number, e: number): number {
    if (p >= e || s.charCodeAt(p) !== 123 /* { */) return -1;
    this.fromA = this.fromB = this.toA = this.toB = -1;
    p = skipSpace(s, p + 1, e);
    if (p < e && s.charCodeAt(p) === 125) return p + 1;
    for (;;) {
      if (p >= e || s.charCodeAt(p) !== 34) return -1;
      const ka = p + 1;
      const kb = plainEnd(s, ka, e);
      if (kb < 0) return -1;
      p = skipSpace(s, kb + 1, e);
      if (p >= e || s.charCodeAt(p) !== 58) return -1;
      p = skipSpace(s, p + 1, e);
      const n = kb - ka;
      if ((n === 4 && spells(s, ka, 'from')) || (n === 2 && spells(s, ka, 'to'))) {
        if (p >= e || s.charCodeAt(p) !== 34) return -1;
        const vb = plainEnd(s, p + 1, e);
        if (vb < 0) return -1;
        // A repeated key: the last one counts, as in JSON.parse.
        if (n === 4) {
          this.fromA = p + 1;
          this.fromB = vb;
        } else {
          this.toA = p + 1;
          this.toB = vb;
        }
        p = vb + 1;
      } else {
        p = this.skip(s, p, e, 1);
        if (p < 0) return -1;
      }
      p = skipSpace(s, p, e);
      if (p >= e) return -1;
      const c = s.charCodeAt(p++);
      if (c === 125) return p;
      if (c !== 44) return -1;
      p = skipSpace(s, p, e);
    }
  }

  /** A list of strings without escapes, into `out` (emptied first). */
  private stringList(s: string, p: number, e: number, out: string[]): number {
    out.length = 0;
    if (p >= e || s.charCodeAt(p) !== 91 /* [ */) return -1;
    p = skipSpace(s, p + 1, e);
    if (p < e && s.charCodeAt(p) === 93 /* ] */) return p + 1;
    for (;;) {
      if (p >= e || s.charCodeAt(p) !== 34) return -1;
      const vb = plainEnd(s, p + 1, e);
      if (vb < 0) return -1;
      out.push(this.own(p + 1, vb));
      p = skipSpace(s, vb + 1, e);
      if (p >= e) return -1;
      const c = s.charCodeAt(p++);
      if (c === 93) return p;
      if (c !== 44) return -1;
      p = skipSpace(s, p, e);
    }
  }

  /** Checks any JSON value at p, keeping nothing: where it ends, or -1. */
  private skip(s: string, p: number, e: number, depth: number): number {
    if (p >= e) return -1;
    const c = s.charCodeAt(p);
    if (c === 34 /* " */) return skipString(s, p, e);
    if (c === 123 /* { */ || c === 91 /* [ */) {
      if (depth >= MAX_DEPTH) return -1;
      const close = c === 123 ? 125 : 93;
      p = skipSpace(s, p + 1, e);
      if (p < e && s.charCodeAt(p) === close) return p + 1;
      for (;;) {
        if (c === 123) {
          p = skipString(s, p, e);
          if (p < 0) return -1;
          p = skipSpace(s, p, e);
          if (p >= e || s.charCodeAt(p) !== 58) return -1;
          p = skipSpace(s, p + 1, e);
        }
        p = this.skip(s, p, e, depth + 1);
        if (p < 0) return -1;
        p = skipSpace(s, p, e);
        if (p >= e) return -1;
        const d = s.charCodeAt(p++);
        if (d === close) return p;
        if (d !== 44) return -1;
        p = skipSpace(s, p, e);
      }
    }
    if (c === 116 /* t */) return p + 4 <= e && spells(s, p, 'true') ? p + 4 : -1;
    if (c === 102 /* f */) return p + 5 <= e && spells(s, p, 'false') ? p + 5 : -1;
    if (c === 110 /* n */) return p + 4 <= e && spells(s, p, 'null') ? p + 4 : -1;
    return this.number(s, p, e);
  }

  private own(a: number, b: number): string {
    return ownSlice(this.s, a, b);
  }

  /** Where the id of the report returned last starts in the text (it ends its length later: it has no escapes). */
  idStart(): number {
    return this.a[ID];
  }

  /** The string field f as a string, or undefined when it is missing or empty (which toReport refuses). */
  private text(f: number): string | undefined {
    if (!(this.seen & (1 << f)) || this.b[f] === this.a[f]) return undefined;
    return this.own(this.a[f], this.b[f]);
  }

  /** parseTime of s[a, b), without cutting the text out when its date and hour are those of the time before. */
  private time(a: number, b: number): number {
    const s = this.s;
    const h = this.hourText;
    // YYYY-MM-DDTHH:MM:SSZ, same first 14 characters as a time that parsed.
    if (b - a === 20 && h.length === 14 && spells(s, a, h)) {
      const mi = (s.charCodeAt(a + 14) - 48) * 10 + (s.charCodeAt(a + 15) - 48);
      const se = (s.charCodeAt(a + 17) - 48) * 10 + (s.charCodeAt(a + 18) - 48);
      const z = s.charCodeAt(a + 19) | 32;
      if (
        digit(s, a + 14) &&
        digit(s, a + 15) &&
        s.charCodeAt(a + 16) === 58 &&
        digit(s, a + 17) &&
        digit(s, a + 18) &&
        z === 122 /* z */ &&
        mi <= 59 &&
        se <= 60
      ) {
        // As parseTime: Date.UTC of the fields, a leap second (:60) being the next minute's first.
        return this.hourMs + mi * 60000 + se * 1000;
      }
    }
    const text = s.slice(a, b);
    const t = parseTime(text);
    if (t === t && b - a === 20 && (text.charCodeAt(19) | 32) === 122) {
      const mi = (text.charCodeAt(14) - 48) * 10 + (text.charCodeAt(15) - 48);
      const se = (text.charCodeAt(17) - 48) * 10 + (text.charCodeAt(18) - 48);
      this.hourText = text.slice(0, 14);
      this.hourMs = t - mi * 60000 - se * 1000;
    }
    return t;
  }

  // ---- the report --------------------------------------------------------------

  /** The Report from the fields read, or undefined where toReport would refuse them. */
  private build(): Report | undefined {
    const seen = this.seen;
    if (!(seen & (1 << TYPE))) return undefined;
    const t = typeOf(this.s, this.a[TYPE], this.b[TYPE]);
    if (t < 0) return undefined;
    // A field the type requires is missing: toReport says which.
    const need = REQUIRED[t];
    if ((seen & need) !== need) return undefined;
    const type = TYPES[t];
    switch (type) {
      case 'observation':
      case 'track':
        return this.unitReport(type, REQUIRED_ACTIVE[t]);
      case 'notification': {
        if (this.fromA < 0 || this.toA < 0) return undefined;
        const from = this.time(this.fromA, this.fromB);
        const to = this.time(this.toA, this.toB);
        if (!(to >= from)) return undefined;
        const id = this.text(ID);
        const time = this.time(this.a[TIME], this.b[TIME]);
        const actor = this.text(ACTOR);
        const zone = this.text(ZONE);
        if (id === undefined || time !== time || actor === undefined || zone === undefined) return undefined;
        const units = seen & (1 << UNITS) ? this.lists[UNITS].slice() : null;
        return { type, id, time, actor, zone, from, to, units };
      }
      case 'ack': {
        const id = this.text(ID);
        const time = this.time(this.a[TIME], this.b[TIME]);
        const actor = this.text(ACTOR);
        const notification = this.text(NOTIFICATION);
        if (id === undefined || time !== time || actor === undefined || notification === undefined) return undefined;
        return { type, id, time, actor, notification };
      }
      case 'inspection': {
        const id = this.text(ID);
        const time = this.time(this.a[TIME], this.b[TIME]);
        const source = this.text(SOURCE);
        if (id === undefined || time !== time || source === undefined) return undefined;
        return { type, id, time, source, zones: this.lists[ZONES].slice() };
      }
    }
  }

  /** `active`: the fields a unit not withdrawn must have. */
  private unitReport(type: UnitReport['type'], active: number): UnitReport | undefined {
    const seen = this.seen;
    const s = this.s;
    let category = 'army';
    if (seen & (1 << CATEGORY)) {
      const c = this.text(CATEGORY);
      if (c === undefined) return undefined;
      category = c;
    }
    let withdrawn = false;
    if (seen & (1 << STATUS)) {
      const a = this.a[STATUS];
      const n = this.b[STATUS] - a;
      if (n === 9 && spells(s, a, 'withdrawn')) withdrawn = true;
      else if (!(n === 6 && spells(s, a, 'active'))) return undefined;
    }
    if (!withdrawn && (seen & active) !== active) return undefined;
    let lon = NaN;
    let lat = NaN;
    if (seen & (1 << POSITION)) {
      lon = this.lon;
      lat = this.lat;
    }
    const velocity = seen & (1 << VELOCITY) ? this.velocity : null;
    let attrs: UnitReport['attrs'] = null;
    if (seen & (1 << ATTRS)) {
      const v: unknown = JSON.parse(s.slice(this.attrsA, this.attrsB));
      if (typeof v !== 'object' || v === null || Array.isArray(v)) return undefined;
      for (const k in v) {
        const x = (v as Record<string, unknown>)[k];
        if (typeof x !== 'object' || x === null || Array.isArray(x)) return undefined;
      }
      attrs = v as UnitReport['attrs'];
    }
    const id = this.text(ID);
    const time = this.time(this.a[TIME], this.b[TIME]);
    const unit = this.text(UNIT);
    const actor = this.text(ACTOR);
    if (id === undefined || time !== time || unit === undefined || actor === undefined) return undefined;
    const r: UnitReport = {
      type,
      id,
      time,
      unit,
      actor,
      category,
      withdrawn,
      lon,
      lat,
      alt: seen & (1 << ALTITUDE) ? this.alt : null,
      holdings: seen & (1 << HOLDINGS) ? this.holdings : {},
      attrs,
      velocity,
    };
    if (seen & (1 << SOURCE)) {
      const source = this.text(SOURCE);
      if (source === undefined) return undefined;
      r.source = source;
    }
    return r;
  }
}

function digit(s: string, i: number): boolean {
  const c = s.charCodeAt(i);
  return c >= 48 && c <= 57;
}
