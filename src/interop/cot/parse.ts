// CoT XML streamed back to back, as TAK servers and ATAK write it on a socket:
// no enclosing document, optionally an <?xml?> declaration before each event,
// and TAK's <auth> element first on an authenticating connection. Text arrives in
// chunks that cut events anywhere; each complete element is returned as soon as
// it is whole. A malformed event is refused with why and where, and reading goes
// on from the next event: one device's bad event loses nothing else.
import { StringDecoder } from 'node:string_decoder';
import type { CotAuth, CotEvent, CotItem, CotPoint, XmlElement } from './event.ts';
import { parseTime } from '../../arrangement/time.ts';
import { own, ownTree, parseElement, XmlError } from './xml.ts';

export interface CotParserOptions {
  /** an element longer than this (in characters) is refused and skipped (default 1 MiB) */
  maxElementChars?: number;
}

/** An event that is well-formed XML but not a usable CoT event. */
class EventError extends Error {}

/** Reads a stream of CoT elements pushed in chunks. */
export class CotStreamParser {
  private buf = '';
  /** offset in the stream of buf[0] */
  private base = 0;
  private n = 0;
  /** after an oversized element: drop text until the next <event */
  private skipping = false;
  private readonly max: number;
  private decoder: StringDecoder | undefined;

  constructor(opts: CotParserOptions = {}) {
    this.max = opts.maxElementChars ?? 1 << 20;
  }

  /** Adds text and returns every element completed by it, in stream order. */
  push(chunk: string): CotItem[] {
    this.buf = this.buf.length === 0 ? chunk : this.buf + chunk;
    return this.drain(false);
  }

  /** Bytes as they come off a socket (UTF-8): a character cut between chunks waits for its other bytes. */
  pushBytes(chunk: Uint8Array): CotItem[] {
    this.decoder ??= new StringDecoder('utf8');
    return this.push(this.decoder.write(chunk as Buffer));
  }

  /** The stream has ended: what is left is refused if it is not blank. */
  end(): CotItem[] {
    if (this.decoder) this.buf += this.decoder.end();
    const out = this.drain(true);
    this.buf = '';
    return out;
  }

  private drain(ended: boolean): CotItem[] {
    const out: CotItem[] = [];
    const s = this.buf;
    let pos = 0;
    for (;;) {
      while (pos < s.length && isSpace(s.charCodeAt(pos))) pos++;
      if (pos >= s.length) break;
      if (this.skipping) {
        const k = nextEventStart(s, pos);
        if (k < 0) {
          pos = s.length;
          break;
        }
        this.skipping = false;
        pos = k;
        continue;
      }
      if (s.charCodeAt(pos) !== 60) {
        // Text outside any element: refused up to the next tag.
        const k = s.indexOf('<', pos);
        const stop = k < 0 ? s.length : k;
        out.push(this.refuse(pos, undefined, `text outside an event: ${JSON.stringify(clip(s.slice(pos, stop)))}`));
        pos = stop;
        continue;
      }
      const c1 = s.charCodeAt(pos + 1);
      if (c1 === 63 || (c1 === 33 && s.startsWith('<!--', pos))) {
        // <?xml …?> before an event, or a comment between events.
        const close = c1 === 63 ? '?>' : '-->';
        const k = s.indexOf(close, pos + 2);
        if (k < 0) {
          if (!ended && s.length - pos <= this.max) break;
          out.push(this.refuse(pos, undefined, c1 === 63 ? 'a processing instruction is not closed' : 'a comment is not closed'));
          pos = s.length;
          break;
        }
        pos = k + close.length;
        continue;
      }
      if (s.length - pos < 2 && !ended) break;
      // An element: it ends at its closing tag, or where the next <event> begins if it never closes.
      const name = tagName(s, pos);
      if (name === null && !ended && s.length - pos < 64) break;
      const closeTag = name === 'event' ? '</event>' : `</${name ?? ''}>`;
      const closeAt = name === null ? -1 : s.indexOf(closeTag, pos);
      const nextEvent = nextEventStart(s, pos + 1);
      let extent: number;
      if (closeAt >= 0 && (nextEvent < 0 || closeAt < nextEvent)) extent = closeAt + closeTag.length;
      else if (nextEvent >= 0) extent = nextEvent;
      else if (!ended && s.length - pos <= this.max) break;
      else if (!ended) {
        out.push(this.refuse(pos, uidIn(s, pos), `longer than ${this.max} characters without its end; skipped to the next <event>`));
        this.skipping = true;
        pos = s.length;
        break;
      } else extent = s.length;
      if (extent - pos > this.max) {
        out.push(this.refuse(pos, uidIn(s, pos), `longer than ${this.max} characters`));
        pos = extent;
        continue;
      }
      pos = this.element(s, pos, extent, out);
    }
    this.base += pos;
    this.buf = pos >= s.length ? '' : s.slice(pos);
    return out;
  }

  /** Reads one element in s[pos, extent); returns where reading goes on. */
  private element(s: string, pos: number, extent: number, out: CotItem[]): number {
    let el: XmlElement;
    let next: number;
    try {
      ({ el, next } = parseElement(s, pos, extent));
    } catch (e) {
      if (!(e instanceof XmlError)) throw e;
      out.push(this.refuse(pos, uidIn(s, pos), `${e.message} (at character ${this.base + e.at})`));
      return extent;
    }
    let item: CotItem;
    try {
      if (el.name === 'event') item = { kind: 'event', event: eventOf(el) };
      else if (el.name === 'auth') item = { kind: 'auth', auth: authOf(el) };
      else throw new EventError(`<${el.name}> is not a CoT event`);
    } catch (e) {
      if (!(e instanceof EventError)) throw e;
      out.push(this.refuse(pos, el.attrs.uid ? own(el.attrs.uid) : undefined, e.message));
      return next;
    }
    this.n++;
    out.push(item);
    return next;
  }

  private refuse(pos: number, uid: string | undefined, reason: string): CotItem {
    const n = ++this.n;
    const offset = this.base + pos;
    const who = uid === undefined ? `event ${n}` : `event ${n} (uid ${JSON.stringify(uid)})`;
    return {
      kind: 'refused',
      // Owned: a reason may quote a value that is still a view of the socket read.
      refusal: { n, offset, ...(uid !== undefined ? { uid } : {}), reason: own(reason), message: own(`${who} at character ${offset} refused: ${reason}`) },
    };
  }
}

/** Parses a whole text of back-to-back CoT elements. */
export function parseCot(text: string, opts?: CotParserOptions): CotItem[] {
  const p = new CotStreamParser(opts);
  return [...p.push(text), ...p.end()];
}

function isSpace(c: number): boolean {
  return c === 32 || c === 10 || c === 9 || c === 13;
}

function clip(s: string): string {
  return s.length > 40 ? `${s.slice(0, 40)}…` : s;
}

/** The tag name at s[pos] ('<'), or null if none can be read yet. */
function tagName(s: string, pos: number): string | null {
  let j = pos + 1;
  while (j < s.length) {
    const c = s.charCodeAt(j);
    if (isSpace(c) || c === 62 || c === 47) break;
    j++;
  }
  if (j === s.length || j === pos + 1) return null;
  // Nearly every element is an event: its name is the constant, not a new string each time.
  return j === pos + 6 && s.startsWith('event', pos + 1) ? 'event' : s.slice(pos + 1, j);
}

/** Where the next `<event` tag starts at or after `from`, or -1. */
function nextEventStart(s: string, from: number): number {
  for (let k = s.indexOf('<event', from); k >= 0; k = s.indexOf('<event', k + 6)) {
    const c = s.charCodeAt(k + 6);
    if (isSpace(c) || c === 62 || c === 47) return k;
  }
  return -1;
}

/** The uid attribute of a tag that could not be parsed, if it can be seen: so the refusal names the device. */
function uidIn(s: string, pos: number): string | undefined {
  const gt = s.indexOf('>', pos);
  const tag = s.slice(pos, gt < 0 ? Math.min(s.length, pos + 400) : gt);
  return (
    /\suid\s*=\s*(?:"([^"<&]*)"|'([^'<&]*)')/
      .exec(tag)
      ?.slice(1)
      .find((x) => x !== undefined) || undefined
  );
}

// CoT numbers are xs:decimal; devices also write exponents, which are read too.
// Number() alone would also take "", "0x1f", "Infinity" and surrounding spaces.
function isNumberText(v: string): boolean {
  let digit = false;
  for (let i = 0; i < v.length; i++) {
    const c = v.charCodeAt(i);
    if (c >= 48 && c <= 57) digit = true;
    else if (!(c === 46 || c === 45 || c === 43 || c === 101 || c === 69 || c === 32)) return false;
  }
  return digit;
}

function num(el: XmlElement, k: string, where: string): number {
  const v = el.attrs[k];
  if (v === undefined) throw new EventError(`<${where}> has no ${k}`);
  const x = Number(v);
  if (!Number.isFinite(x) || !isNumberText(v)) throw new EventError(`<${where}> ${k}="${v}" is not a number`);
  return x;
}

function text(el: XmlElement, k: string): string {
  const v = el.attrs[k];
  if (v === undefined || v === '') throw new EventError(`<event> has no ${k}`);
  return v;
}

function time(el: XmlElement, k: string): number {
  const v = text(el, k);
  const t = parseTime(v);
  if (t !== t) throw new EventError(`<event> ${k}="${v}" is not an RFC 3339 date-time with a zone`);
  return t;
}

/** A parsed <event> as a CotEvent, or why it cannot be one. */
export function eventOf(el: XmlElement): CotEvent {
  const version = text(el, 'version');
  if (!(Number(version) >= 2)) throw new EventError(`<event> version="${version}" (CoT 2.0 or later is read)`);
  const uid = text(el, 'uid');
  const type = text(el, 'type');
  const how = text(el, 'how');
  const t = time(el, 'time');
  const start = time(el, 'start');
  const stale = time(el, 'stale');
  let pointEl: XmlElement | undefined;
  let detail: XmlElement[] | null = null;
  for (const c of el.children) {
    if (c.name === 'point') {
      if (pointEl) throw new EventError('<event> has two <point>s');
      pointEl = c;
    } else if (c.name === 'detail') {
      if (detail) throw new EventError('<event> has two <detail>s');
      detail = c.children;
    }
  }
  if (!pointEl) throw new EventError('<event> has no <point>');
  const point: CotPoint = {
    lat: num(pointEl, 'lat', 'point'),
    lon: num(pointEl, 'lon', 'point'),
    hae: num(pointEl, 'hae', 'point'),
    ce: num(pointEl, 'ce', 'point'),
    le: num(pointEl, 'le', 'point'),
  };
  if (point.lat < -90 || point.lat > 90) throw new EventError(`<point> lat=${pointEl.attrs.lat} is out of range [-90, 90]`);
  if (point.lon < -180 || point.lon > 180) throw new EventError(`<point> lon=${pointEl.attrs.lon} is out of range [-180, 180]`);
  if (point.ce < 0 || point.le < 0) throw new EventError('<point> ce and le are errors in metres and cannot be negative');
  // What is kept of the event is made its own string; the numbers and times were read and let go.
  if (detail !== null) for (const c of detail) ownTree(c);
  const ev: CotEvent = { version: own(version), uid: own(uid), type: own(type), how: own(how), time: t, start, stale, point, detail };
  const { access, qos, opex } = el.attrs;
  if (access !== undefined) ev.access = own(access);
  if (qos !== undefined) ev.qos = own(qos);
  if (opex !== undefined) ev.opex = own(opex);
  return ev;
}

function authOf(el: XmlElement): CotAuth {
  const cot = el.children.find((c) => c.name === 'cot');
  const username = cot?.attrs.username;
  const password = cot?.attrs.password;
  if (!cot || !username || password === undefined) throw new EventError('<auth> must hold <cot username="…" password="…"/>');
  return { username: own(username), password: own(password), ...(cot.attrs.uid ? { uid: own(cot.attrs.uid) } : {}) };
}
