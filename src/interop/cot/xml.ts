// The small part of XML 1.0 that Cursor on Target uses: elements, attributes,
// text, character references, comments, CDATA and processing instructions.
// No DTDs and no entities beyond the five predefined ones (a DOCTYPE is refused,
// so nothing is ever expanded). Written by hand because it runs once per event
// on streams of tens of thousands of events a second, and must say where and
// why a document is wrong.
import type { XmlElement } from './event.ts';

export class XmlError extends Error {
  constructor(
    message: string,
    /** character offset in the text parsed */
    readonly at: number,
  ) {
    super(message);
  }
}

/** Elements nested deeper than this are refused: no event needs it, and it bounds recursion. */
const MAX_DEPTH = 32;

function isNameStart(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 95 || c === 58 || c >= 0x80;
}
function isNameChar(c: number): boolean {
  return isNameStart(c) || (c >= 48 && c <= 57) || c === 45 || c === 46;
}
function isSpace(c: number): boolean {
  return c === 32 || c === 10 || c === 9 || c === 13;
}

/**
 * The value as its own string. V8 cuts a substring of 13 characters or more as a view of
 * the string it came from, so a kept unit id would keep the whole socket read (64 KiB and
 * more) it was parsed out of; joining it to a character and cutting that off copies it.
 * The parser leaves values as views (most are read once, as numbers or times, and dropped):
 * whoever keeps a value owns it first (ownTree for a whole subtree).
 */
export function own(v: string): string {
  return v.length < 13 ? v : ` ${v}`.slice(1);
}

/** The element with every name, value and text its own string (see own). */
export function ownTree(el: XmlElement): XmlElement {
  const attrs = el.attrs;
  for (const k in attrs) attrs[k] = own(attrs[k]);
  el.text = own(el.text);
  for (const c of el.children) ownTree(c);
  return el;
}

/**
 * The names CoT streams repeat on every event, as constants: a name sliced from the text
 * is a new string each time, and one used as a property key must then be looked up in
 * V8's table of property names every time; a constant already is one.
 */
const KNOWN = [
  'event',
  'point',
  'detail',
  'version',
  'uid',
  'type',
  'how',
  'time',
  'start',
  'stale',
  'access',
  'qos',
  'opex',
  'lat',
  'lon',
  'hae',
  'ce',
  'le',
  'contact',
  'callsign',
  'endpoint',
  'track',
  'speed',
  'course',
  '__group',
  'name',
  'role',
  'remarks',
  'status',
  'battery',
  'takv',
  'device',
  'platform',
  'os',
  'precisionlocation',
  'geopointsrc',
  'altsrc',
  'link',
  'relation',
  'auth',
  'cot',
  'username',
  'password',
];
/** KNOWN by length, then by first character code */
const KNOWN_BY_LENGTH: Map<number, string[]>[] = [];
for (const k of new Set(KNOWN)) {
  const byFirst = (KNOWN_BY_LENGTH[k.length] ??= new Map());
  const list = byFirst.get(k.charCodeAt(0)) ?? [];
  list.push(k);
  byFirst.set(k.charCodeAt(0), list);
}

/** s[start, end) as a string: the constant when it is a known name. */
function nameOf(s: string, start: number, end: number): string {
  const list = KNOWN_BY_LENGTH[end - start]?.get(s.charCodeAt(start));
  if (list !== undefined) for (const k of list) if (s.startsWith(k, start)) return k;
  return s.slice(start, end);
}

const NAMED: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

/** Text with its references replaced; `at` is where it starts, for errors. */
export function decodeText(s: string, at: number): string {
  let out = '';
  let last = 0;
  for (let i = s.indexOf('&'); i >= 0; i = s.indexOf('&', last)) {
    const semi = s.indexOf(';', i);
    if (semi < 0 || semi - i > 12) throw new XmlError('"&" starts no reference (write &amp;)', at + i);
    const ref = s.slice(i + 1, semi);
    let ch: string | undefined;
    if (ref.charCodeAt(0) === 35) {
      const hex = ref[1] === 'x';
      const digits = ref.slice(hex ? 2 : 1);
      const code = digits !== '' && (hex ? /^[0-9a-fA-F]+$/ : /^[0-9]+$/).test(digits) ? Number.parseInt(digits, hex ? 16 : 10) : NaN;
      if (
        !(
          code === 9 ||
          code === 10 ||
          code === 13 ||
          (code >= 32 && code <= 0xd7ff) ||
          (code >= 0xe000 && code <= 0x10ffff && code !== 0xfffe && code !== 0xffff)
        )
      )
        throw new XmlError(`&${ref}; is not a character XML allows`, at + i);
      ch = String.fromCodePoint(code);
    } else {
      ch = NAMED[ref];
      if (ch === undefined) throw new XmlError(`unknown entity &${ref}; (only &lt; &gt; &amp; &quot; &apos; and character references)`, at + i);
    }
    out += s.slice(last, i) + ch;
    last = semi + 1;
  }
  return last === 0 ? s : out + s.slice(last);
}

/**
 * Parses the element that starts at s[i] ('<'), reading no further than `end`.
 * Returns it and the index just after it. Comments, CDATA and processing
 * instructions inside it are handled; anything malformed throws XmlError.
 * Its values and text may be views of `s`: own them (ownTree) before keeping them.
 */
export function parseElement(s: string, i: number, end: number): { el: XmlElement; next: number } {
  const el = parser.parse(s, i, end);
  return { el, next: parser.i };
}

class Parser {
  i = 0;
  private s = '';
  private end = 0;

  /** Parses one element; the text is let go after, so that the parser keeps no socket read alive. */
  parse(s: string, i: number, end: number): XmlElement {
    this.s = s;
    this.end = end;
    try {
      return this.element(i, 0);
    } finally {
      this.s = '';
    }
  }

  private fail(msg: string, at = this.i): never {
    throw new XmlError(msg, at);
  }

  private name(): string {
    const s = this.s;
    const start = this.i;
    if (start >= this.end || !isNameStart(s.charCodeAt(start)))
      this.fail(start >= this.end ? 'the text ends inside a tag' : `a name cannot start with ${JSON.stringify(s[start])}`);
    let j = start + 1;
    while (j < this.end && isNameChar(s.charCodeAt(j))) j++;
    this.i = j;
    return nameOf(s, start, j);
  }

  private skipSpace(): boolean {
    const start = this.i;
    while (this.i < this.end && isSpace(this.s.charCodeAt(this.i))) this.i++;
    return this.i > start;
  }

  /** Finds `what` from the current position within the element's text, or fails saying what is unclosed. */
  private find(what: string, unclosed: string): number {
    const k = this.s.indexOf(what, this.i);
    if (k < 0 || k + what.length > this.end) this.fail(`${unclosed} is not closed`);
    return k;
  }

  element(start: number, depth: number): XmlElement {
    const s = this.s;
    if (depth >= MAX_DEPTH) this.fail(`elements nested deeper than ${MAX_DEPTH}`, start);
    this.i = start + 1;
    const name = this.name();
    const attrs: Record<string, string> = {};
    // Attributes, each after white space, until > or />.
    for (;;) {
      const spaced = this.skipSpace();
      if (this.i >= this.end) this.fail(`<${name}> is not closed (the text ends inside its tag)`, start);
      const c = s.charCodeAt(this.i);
      if (c === 62) {
        this.i++;
        break;
      }
      if (c === 47) {
        if (s.charCodeAt(this.i + 1) !== 62) this.fail(`"/" inside the tag of <${name}>`);
        this.i += 2;
        return { name, attrs, children: [], text: '' };
      }
      if (!spaced) this.fail(`attributes of <${name}> must be separated by white space`);
      const at = this.i;
      const an = this.name();
      this.skipSpace();
      if (s.charCodeAt(this.i) !== 61) this.fail(`attribute ${an} of <${name}> has no value`, at);
      this.i++;
      this.skipSpace();
      const q = s.charCodeAt(this.i);
      if (q !== 34 && q !== 39) this.fail(`the value of ${an} in <${name}> must be quoted`);
      const vStart = this.i + 1;
      const vEnd = s.indexOf(q === 34 ? '"' : "'", vStart);
      if (vEnd < 0 || vEnd >= this.end) this.fail(`the value of ${an} in <${name}> is not closed`, at);
      const raw = s.slice(vStart, vEnd);
      if (raw.indexOf('<') >= 0) this.fail(`"<" in the value of ${an} in <${name}>`, at);
      if (an in attrs) this.fail(`attribute ${an} is given twice in <${name}>`, at);
      attrs[an] = raw.indexOf('&') >= 0 ? decodeText(raw, vStart) : raw;
      this.i = vEnd + 1;
    }
    // Content: text, children, comments, CDATA, processing instructions, until </name>.
    const children: XmlElement[] = [];
    let text = '';
    for (;;) {
      const lt = s.indexOf('<', this.i);
      if (lt < 0 || lt >= this.end) this.fail(`<${name}> is not closed`, start);
      if (lt > this.i) {
        const raw = s.slice(this.i, lt);
        text += raw.indexOf('&') >= 0 ? decodeText(raw, this.i) : raw;
      }
      this.i = lt;
      const c = s.charCodeAt(lt + 1);
      if (c === 47) {
        this.i = lt + 2;
        const close = this.name();
        if (close !== name) this.fail(`</${close}> closes <${name}>: <${name}> is not closed`, lt);
        this.skipSpace();
        if (s.charCodeAt(this.i) !== 62) this.fail(`</${close}> is not closed`, lt);
        this.i++;
        return { name, attrs, children, text };
      }
      if (c === 33) {
        if (s.startsWith('<!--', lt)) {
          this.i = this.find('-->', 'a comment') + 3;
        } else if (s.startsWith('<![CDATA[', lt)) {
          this.i = lt + 9;
          const k = this.find(']]>', 'a CDATA section');
          text += s.slice(lt + 9, k);
          this.i = k + 3;
        } else this.fail('<! other than a comment or CDATA (DTDs are refused)', lt);
      } else if (c === 63) {
        this.i = this.find('?>', 'a processing instruction') + 2;
      } else {
        children.push(this.element(lt, depth + 1));
      }
    }
  }
}

/** One parser for every call: parsing is synchronous and never re-entered. */
const parser = new Parser();

const ESC_ATTR = /[&<>"'\u0000-\u001f\ud800-\udfff\ufffe\uffff]/;
const ESC_TEXT = /[&<>\u0000-\u0008\u000b\u000c\u000e-\u001f\ud800-\udfff\ufffe\uffff]/;

/** An attribute value escaped for "…"; characters XML cannot carry become U+FFFD. */
export function escapeAttr(v: string): string {
  return ESC_ATTR.test(v) ? escaped(v, true) : v;
}

/** Element text escaped; characters XML cannot carry become U+FFFD. */
export function escapeText(v: string): string {
  return ESC_TEXT.test(v) ? escaped(v, false) : v;
}

function escaped(v: string, attr: boolean): string {
  let out = '';
  for (let i = 0; i < v.length; i++) {
    const c = v.charCodeAt(i);
    if (c === 38) out += '&amp;';
    else if (c === 60) out += '&lt;';
    else if (c === 62) out += '&gt;';
    else if (attr && c === 34) out += '&quot;';
    else if (attr && c === 39) out += '&apos;';
    else if (attr && (c === 10 || c === 13 || c === 9)) out += `&#${c};`;
    else if (c < 32 && c !== 9 && c !== 10 && c !== 13) out += '\ufffd';
    else if (c === 0xfffe || c === 0xffff) out += '\ufffd';
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < v.length && v.charCodeAt(i + 1) >= 0xdc00 && v.charCodeAt(i + 1) <= 0xdfff) {
      out += v[i] + v[i + 1];
      i++;
    } else if (c >= 0xd800 && c <= 0xdfff) out += '\ufffd';
    else out += v[i];
  }
  return out;
}
