// The history's formats, each written as chunks pulled one at a time (so a window of
// any length streams): JSON, GeoJSON (RFC 7946; one Point feature per position or
// finding), CSV (docs/csv.md) and Cursor on Target (events back to back, one a line).
import type { Finding } from '../../monitor/findings.ts';
import { findingsToCot } from '../../interop/cot/from-findings.ts';
import { unitPosition, unitsToCot } from '../../interop/cot/from-units.ts';
import { writeEvent } from '../../interop/cot/write.ts';
import type { Cell } from '../../interop/csv/field.ts';
import type { JsonObject } from '../../record/canonical.ts';
import type { HISTORY_FORMATS } from '../schemas.ts';
import type { UnitPoint } from './points.ts';

export type HistoryFormat = (typeof HISTORY_FORMATS)[number];

export const CSV_TYPE = 'text/csv; charset=utf-8; header=present';

export const CONTENT_TYPES: Record<HistoryFormat, string> = {
  json: 'application/json; charset=utf-8',
  geojson: 'application/geo+json; charset=utf-8',
  csv: CSV_TYPE,
  cot: 'application/xml; charset=utf-8',
};

const CHUNK = 1 << 16;

type Items<T> = Iterable<T> | AsyncIterable<T>;

/** `head`, the items' texts separated by commas, `tail`: a JSON document written as it goes. */
export async function* jsonSequence<T>(head: string, items: Items<T>, text: (x: T) => string | undefined, tail: string, sep = ','): AsyncGenerator<string> {
  let buf = head;
  let first = true;
  for await (const x of items) {
    const t = text(x);
    if (t === undefined) continue;
    buf += first ? t : sep + t;
    first = false;
    if (buf.length >= CHUNK) {
      yield buf;
      buf = '';
    }
  }
  yield buf + tail;
}

/** A position as a GeoJSON feature: the point, and the rest as properties. */
export function pointFeature(p: UnitPoint): string {
  const { position, altitude_m, ...props } = p;
  const coordinates = altitude_m === undefined ? position : [...position, altitude_m];
  return JSON.stringify({
    type: 'Feature',
    geometry: { type: 'Point', coordinates },
    properties: { ...props, ...(altitude_m !== undefined ? { altitude_m } : {}) },
  });
}

/** A finding as a GeoJSON feature: at its zone's middle when it has a zone, else without geometry. */
export function findingFeature(f: JsonObject, placeOf: (f: Finding) => [number, number] | null): string {
  const at = placeOf(f as unknown as Finding);
  return JSON.stringify({ type: 'Feature', geometry: at ? { type: 'Point', coordinates: at } : null, properties: f });
}

export const POINT_COLUMNS = [
  'time',
  'actor',
  'unit',
  'category',
  'lon',
  'lat',
  'altitude_m',
  'east_mps',
  'north_mps',
  'up_mps',
  'holdings',
  'report',
  'entry',
  'n',
  'coarse',
] as const;

export function pointRow(p: UnitPoint): Cell[] {
  return [
    p.time,
    p.actor,
    p.unit,
    p.category,
    p.position[0],
    p.position[1],
    p.altitude_m,
    p.velocity?.east_mps,
    p.velocity?.north_mps,
    p.velocity?.up_mps,
    p.holdings === undefined ? undefined : JSON.stringify(p.holdings),
    p.report,
    p.entry,
    p.n,
    p.coarse ? `${p.coarse.position_m}m/${p.coarse.time_s}s` : undefined,
  ];
}

/** A position as a CoT event line (uid `detente.ACTOR.UNIT`: a TAK client moves the unit's marker). */
export function pointCot(p: UnitPoint): string {
  const [ev] = unitsToCot([unitPosition(p)]);
  return `${writeEvent(ev)}\n`;
}

/** An open finding as a CoT event line at its zone; a closed one, or one with no place, is not sent (CoT shows what is open). */
export function findingCot(f: JsonObject, placeOf: (f: Finding) => [number, number] | null): string | undefined {
  const [ev] = findingsToCot([f as unknown as Finding], { position: placeOf });
  return ev ? `${writeEvent(ev)}\n` : undefined;
}
