// Unit reports read on one thread and used on another. A worker reads the lines
// of a chunk (see read-ahead.ts) and writes what it found, line by line, as
// numbers; the thread running the engine turns those numbers back into reports.
// Ids travel in a string of their own, the record saying where each is. Names
// that recur (units, actors, categories, holdings keys) travel once, as strings
// in a table both sides append to in the same order, and then as their index.
//
// Only the common reports travel this way: observations and tracks without
// attrs and with at most MAX_HOLDINGS holdings. For any other line the record
// says so, the line's text travels too, and the engine's thread reads it
// itself, as it would have.
import type { Report, UnitReport } from '../monitor/reports.ts';
import { ownSlice, type ReportScanner } from './scan.ts';

// Slots of one line's record.
const KIND = 0;
const FROM = 1;
const TO = 2;
const ID_START = 3;
const ID_END = 4;
const TIME = 5;
const UNIT = 6;
const ACTOR = 7;
const CATEGORY = 8;
const WITHDRAWN = 9;
const LON = 10;
const LAT = 11;
/** NaN for no altitude */
const ALT = 12;
/** 1 with a velocity, then its three components */
const VELOCITY = 13;
const HOLDINGS = 17;
/** pairs (key index, amount) */
const HOLDING = 18;
const MAX_HOLDINGS = 3;
export const RECORD_SLOTS = HOLDING + 2 * MAX_HOLDINGS;

/** A piece of the stream: head (the end of a line begun in the chunk before) then body, together whole lines. */
export interface LinesPiece {
  head: Uint8Array | null;
  body: Uint8Array;
}

export interface ReadLines {
  recs: Float64Array;
  /** the ids of the unit reports, one after the other */
  ids: string;
  /** the lines the engine's thread reads itself, one after the other */
  there: string;
  names: string[];
}

/** The text of a piece, as the engine's thread decodes it when it reads a piece itself. */
export function pieceText(piece: LinesPiece): string {
  const { head, body } = piece;
  const bytes = head === null || head.length === 0 ? body : Buffer.concat([head, body]);
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length).toString('utf8');
}

/** What a record holds: the line is read by the engine's thread (blank or not of the common shape), or a unit report. */
export const READ_THERE = 0;
const OBSERVATION = 1;
const TRACK = 2;

/** A recurring name's index, after which the table stops growing (a stream naming more reads them on the engine's thread). */
const MAX_NAMES = 1 << 20;

/** The reading side's table of names. */
export class NameTable {
  private readonly index = new Map<string, number>();
  /** names added since the last take() */
  private fresh: string[] = [];

  /** The name's index, adding it; -1 once the table is full. */
  of(name: string): number {
    const i = this.index.get(name);
    if (i !== undefined) return i;
    if (this.index.size >= MAX_NAMES) return -1;
    const n = this.index.size;
    this.index.set(name, n);
    this.fresh.push(name);
    return n;
  }

  /** The names added since the last call, in order, for the other side to append. */
  take(): string[] {
    const f = this.fresh;
    this.fresh = [];
    return f;
  }
}

/**
 * Writes the record of the line s[from, to) at slot o of out: the report the
 * scanner reads there when it is one that travels, else READ_THERE.
 */
export function writeRecord(s: string, from: number, to: number, scanner: ReportScanner, names: NameTable, out: Float64Array, o: number): void {
  out[o + FROM] = from;
  out[o + TO] = to;
  out[o + KIND] = READ_THERE;
  const r = scanner.scan(s, from, to);
  if (r === undefined || (r.type !== 'observation' && r.type !== 'track') || r.attrs !== null) return;
  let nh = 0;
  for (const k in r.holdings) {
    if (nh === MAX_HOLDINGS) return;
    const key = names.of(k);
    if (key < 0) return;
    out[o + HOLDING + 2 * nh] = key;
    out[o + HOLDING + 2 * nh + 1] = r.holdings[k];
    nh++;
  }
  const unit = names.of(r.unit);
  const actor = names.of(r.actor);
  const category = names.of(r.category);
  if (unit < 0 || actor < 0 || category < 0) return;
  const id = scanner.idStart();
  out[o + ID_START] = id;
  out[o + ID_END] = id + r.id.length;
  out[o + TIME] = r.time;
  out[o + UNIT] = unit;
  out[o + ACTOR] = actor;
  out[o + CATEGORY] = category;
  out[o + WITHDRAWN] = r.withdrawn ? 1 : 0;
  out[o + LON] = r.lon;
  out[o + LAT] = r.lat;
  out[o + ALT] = r.alt === null ? NaN : r.alt;
  const v = r.velocity;
  out[o + VELOCITY] = v === null ? 0 : 1;
  if (v !== null) {
    out[o + VELOCITY + 1] = v.ve;
    out[o + VELOCITY + 2] = v.vn;
    out[o + VELOCITY + 3] = v.vu;
  }
  out[o + HOLDINGS] = nh;
  out[o + KIND] = r.type === 'observation' ? OBSERVATION : TRACK;
}

export const recordKind = (recs: Float64Array, o: number): number => recs[o + KIND];
/** Where the line is, or for a READ_THERE record once placeLine moved it, where its copy is. */
export const recordFrom = (recs: Float64Array, o: number): number => recs[o + FROM];
export const recordTo = (recs: Float64Array, o: number): number => recs[o + TO];
/** Where the id is, in the line's text or once placeId moved it, in the ids' string. */
export const recordIdStart = (recs: Float64Array, o: number): number => recs[o + ID_START];
export const recordIdEnd = (recs: Float64Array, o: number): number => recs[o + ID_END];

/** Records that the id now starts at `at` of another string. */
export function placeId(recs: Float64Array, o: number, at: number): void {
  recs[o + ID_END] = at + recs[o + ID_END] - recs[o + ID_START];
  recs[o + ID_START] = at;
}

/** Records that the line now starts at `at` of another string. */
export function placeLine(recs: Float64Array, o: number, at: number): void {
  recs[o + TO] = at + recs[o + TO] - recs[o + FROM];
  recs[o + FROM] = at;
}

/** The report of a record that is not READ_THERE, with its id from ids (see placeId). */
export function readRecord(ids: string, recs: Float64Array, o: number, names: readonly string[]): Report {
  const holdings: Record<string, number> = {};
  const nh = recs[o + HOLDINGS];
  for (let k = 0; k < nh; k++) holdings[names[recs[o + HOLDING + 2 * k]]] = recs[o + HOLDING + 2 * k + 1];
  const alt = recs[o + ALT];
  const report: UnitReport = {
    type: recs[o + KIND] === OBSERVATION ? 'observation' : 'track',
    id: ownSlice(ids, recs[o + ID_START], recs[o + ID_END]),
    time: recs[o + TIME],
    unit: names[recs[o + UNIT]],
    actor: names[recs[o + ACTOR]],
    category: names[recs[o + CATEGORY]],
    withdrawn: recs[o + WITHDRAWN] === 1,
    lon: recs[o + LON],
    lat: recs[o + LAT],
    alt: alt === alt ? alt : null,
    holdings,
    attrs: null,
    velocity: recs[o + VELOCITY] === 1 ? { ve: recs[o + VELOCITY + 1], vn: recs[o + VELOCITY + 2], vu: recs[o + VELOCITY + 3] } : null,
  };
  return report;
}
