// CoT XML out: one event per call, valid against MITRE's base-event schema
// (docs/spec/cot/event-base.xsd): attributes in the schema's order, numbers as
// xs:decimal (never with an exponent), times RFC 3339 in UTC.
import type { CotEvent, XmlElement } from './event.ts';
import { escapeAttr, escapeText } from './xml.ts';

/** A number as xs:decimal: plain digits, no exponent, at most 9 decimals (under a millimetre in degrees). */
export function decimal(x: number): string {
  if (!Number.isFinite(x)) throw new RangeError(`${x} is not a finite number`);
  const s = String(x);
  if (s.indexOf('e') < 0) return s;
  return x.toFixed(9).replace(/\.?0+$/, '') || '0';
}

/** RFC 3339 UTC with milliseconds, as TAK clients write it. */
export function cotTime(ms: number): string {
  return new Date(ms).toISOString();
}

export function writeElement(el: XmlElement): string {
  let out = `<${el.name}`;
  for (const k in el.attrs) out += ` ${k}="${escapeAttr(el.attrs[k])}"`;
  if (el.children.length === 0 && el.text === '') return `${out}/>`;
  out += '>';
  if (el.text !== '') out += escapeText(el.text);
  for (const c of el.children) out += writeElement(c);
  return `${out}</${el.name}>`;
}

/** One event as XML, without a declaration: events are written back to back. */
export function writeEvent(ev: CotEvent): string {
  const p = ev.point;
  let out = `<event version="${escapeAttr(ev.version)}" uid="${escapeAttr(ev.uid)}" type="${escapeAttr(ev.type)}"`;
  if (ev.access !== undefined) out += ` access="${escapeAttr(ev.access)}"`;
  if (ev.qos !== undefined) out += ` qos="${escapeAttr(ev.qos)}"`;
  if (ev.opex !== undefined) out += ` opex="${escapeAttr(ev.opex)}"`;
  out += ` how="${escapeAttr(ev.how)}" time="${cotTime(ev.time)}" start="${cotTime(ev.start)}" stale="${cotTime(ev.stale)}">`;
  out += `<point lat="${decimal(p.lat)}" lon="${decimal(p.lon)}" hae="${decimal(p.hae)}" ce="${decimal(p.ce)}" le="${decimal(p.le)}"/>`;
  if (ev.detail !== null) out += `<detail>${ev.detail.map(writeElement).join('')}</detail>`;
  return `${out}</event>`;
}

/** Events back to back, one a line, as a TAK connection or a .cot file of several carries them. */
export function writeEvents(evs: Iterable<CotEvent>): string {
  let out = '';
  for (const ev of evs) out += `${writeEvent(ev)}\n`;
  return out;
}

/** A detail element, for building events: `el('track', { speed: '3' })`. */
export function el(name: string, attrs: Record<string, string> = {}, children: XmlElement[] = [], text = ''): XmlElement {
  return { name, attrs, children, text };
}
