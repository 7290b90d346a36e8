// Cursor on Target as read and written here: MITRE's base event (schema 2.0,
// docs/spec/cot/event-base.xsd) with its <detail> kept as plain elements, since
// every TAK client adds its own sub-schemas there and we pass on what we do not use.

/** An XML element as the CoT codec holds it: attributes by name, child elements, and its text run together. */
export interface XmlElement {
  name: string;
  attrs: Record<string, string>;
  children: XmlElement[];
  text: string;
}

/** `<point>`: WGS 84 degrees, height above the ellipsoid and its errors in metres (9999999 = unknown). */
export interface CotPoint {
  lat: number;
  lon: number;
  hae: number;
  ce: number;
  le: number;
}

/** The value CoT uses for an unknown hae, ce or le. */
export const UNKNOWN = 9999999;

export interface CotEvent {
  version: string;
  uid: string;
  /** the CoT type, e.g. a-f-G-U-C (an atom: a thing at a place), u-d-f (a drawn shape), b-a-g (an alert) */
  type: string;
  /** how the position was obtained, e.g. m-g (machine, GPS), h-e (human, estimated) */
  how: string;
  /** milliseconds since the epoch */
  time: number;
  start: number;
  stale: number;
  point: CotPoint;
  /** the children of <detail>, or null when the event has none */
  detail: XmlElement[] | null;
  access?: string;
  qos?: string;
  opex?: string;
}

/** TAK's `<auth><cot username password uid/></auth>`: how a plain-TCP connection says who it is. */
export interface CotAuth {
  username: string;
  password: string;
  uid?: string;
}

/** An event refused: its place in the stream, its uid when that could be read, and why. */
export interface CotRefusal {
  /** 1-based ordinal of the element in the stream */
  n: number;
  /** character offset of its start in the stream */
  offset: number;
  uid?: string;
  reason: string;
  /** the whole error for a log line: which event, and why */
  message: string;
}

export type CotItem = { kind: 'event'; event: CotEvent } | { kind: 'auth'; auth: CotAuth } | { kind: 'refused'; refusal: CotRefusal };

/** The first child of `detail` with this name, if any. */
export function detailChild(ev: CotEvent, name: string): XmlElement | undefined {
  const d = ev.detail;
  if (d === null) return undefined;
  for (let i = 0; i < d.length; i++) if (d[i].name === name) return d[i];
  return undefined;
}
