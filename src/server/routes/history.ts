// GET …/history/positions, …/history/tracks, …/history/findings (docs/history.md): the
// record replayed for after-action review, as the caller may see it, in JSON, GeoJSON,
// CSV or CoT. Positions come from the record's reports, each released per the
// disclosure policy; findings from the book of the engine's transitions, per the
// findings disclosure. (GET …/history itself, the text's history in the talks, is
// another route's.)
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { parseTime } from '../../arrangement/time.ts';
import type { Arrangement } from '../../arrangement/compile.ts';
import { findingPosition } from '../../interop/cot/from-findings.ts';
import { FINDING_COLUMNS, type FindingLike, findingRow } from '../../interop/csv/findings.ts';
import type { Cell } from '../../interop/csv/field.ts';
import { csvChunks } from '../../interop/csv/stream.ts';
import { arrangementFeatures } from '../../interop/zone-features.ts';
import type { Finding } from '../../monitor/findings.ts';
import type { JsonObject } from '../../record/canonical.ts';
import { allow } from '../allow.ts';
import { reportsFor } from '../core/record-reports.ts';
import { BadRequest } from '../errors.ts';
import { findingsBetween, findingsOpenAt } from '../history/findings.ts';
import {
  CONTENT_TYPES,
  findingCot,
  findingFeature,
  type HistoryFormat,
  jsonSequence,
  POINT_COLUMNS,
  pointCot,
  pointFeature,
  pointRow,
} from '../history/formats.ts';
import { positionsAt, tracksBetween, type UnitPoint } from '../history/points.ts';
import { ArrangementParams, FindingsHistoryQuery, PositionsQuery, TracksQuery } from '../schemas.ts';
import { sendStream } from './stream-reply.ts';

type Items<T> = Iterable<T> | AsyncIterable<T>;
interface Switches {
  format?: HistoryFormat;
  bom?: boolean;
  spreadsheet?: boolean;
}

const EXTENSIONS: Record<HistoryFormat, string> = { json: 'json', geojson: 'geojson', csv: 'csv', cot: 'cot' };

/** Where a finding goes on a map: its zone's middle. Never a unit's position, which the reader may not be entitled to. */
const places = new WeakMap<Arrangement, (f: Finding) => [number, number] | null>();
function placeOf(arr: Arrangement): (f: Finding) => [number, number] | null {
  let p = places.get(arr);
  if (!p) places.set(arr, (p = findingPosition(() => undefined, arrangementFeatures(arr))));
  return p;
}

async function* rowsOf<T>(items: Items<T>, row: (x: T) => Cell[]): AsyncGenerator<Cell[]> {
  for await (const x of items) yield row(x);
}

function sendPoints(reply: FastifyReply, q: Switches, name: string, points: Items<UnitPoint>, jsonHead: string, jsonTail: string): FastifyReply {
  const format = q.format ?? 'json';
  const file = `${name}.${EXTENSIONS[format]}`;
  if (format === 'csv') return sendStream(reply, CONTENT_TYPES.csv, csvChunks(POINT_COLUMNS, rowsOf(points, pointRow), q), file);
  if (format === 'cot') return sendStream(reply, CONTENT_TYPES.cot, jsonSequence('', points, pointCot, '', ''), file);
  if (format === 'geojson')
    return sendStream(reply, CONTENT_TYPES.geojson, jsonSequence('{"type":"FeatureCollection","features":[', points, pointFeature, ']}'), file);
  return sendStream(
    reply,
    CONTENT_TYPES.json,
    jsonSequence(jsonHead, points, (p) => JSON.stringify(p), jsonTail),
  );
}

function sendFindings(reply: FastifyReply, q: Switches, name: string, arr: Arrangement, items: Items<JsonObject>, jsonHead: string, jsonTail: string) {
  const format = q.format ?? 'json';
  const file = `${name}.${EXTENSIONS[format]}`;
  const place = placeOf(arr);
  if (format === 'csv')
    return sendStream(
      reply,
      CONTENT_TYPES.csv,
      csvChunks(
        FINDING_COLUMNS,
        rowsOf(items, (f) => findingRow(f as unknown as FindingLike)),
        q,
      ),
      file,
    );
  if (format === 'cot')
    return sendStream(
      reply,
      CONTENT_TYPES.cot,
      jsonSequence('', items, (f) => findingCot(f, place), '', ''),
      file,
    );
  if (format === 'geojson')
    return sendStream(
      reply,
      CONTENT_TYPES.geojson,
      jsonSequence('{"type":"FeatureCollection","features":[', items, (f) => findingFeature(f, place), ']}'),
      file,
    );
  return sendStream(
    reply,
    CONTENT_TYPES.json,
    jsonSequence(jsonHead, items, (f) => JSON.stringify(f), jsonTail),
  );
}

/** A query time as ms (the schema has checked its form). */
const ms = (t: string | undefined, otherwise: number) => (t === undefined ? otherwise : parseTime(t));

function window(q: { from?: string; to?: string }): { from: number; to: number } {
  const from = ms(q.from, Number.NEGATIVE_INFINITY);
  const to = ms(q.to, Number.POSITIVE_INFINITY);
  if (from > to) throw new BadRequest(`query.to: ${q.to} is before from (${q.from})`, [{ path: 'query.to', message: `is before from (${q.from})` }]);
  return { from, to };
}

export async function historyRoutes(app: FastifyInstance): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.get(
    '/api/arrangements/:id/history/positions',
    {
      schema: {
        tags: ['history'],
        summary: "each unit's last known position at a time, from the record's reports as the caller may see them (docs/history.md)",
        params: ArrangementParams,
        querystring: PositionsQuery,
      },
    },
    async (req, reply) => {
      const d = req.deployment;
      const actor = allow(req, 'read-record');
      const at = ms(req.query.at, Number.POSITIVE_INFINITY);
      const units = await positionsAt(reportsFor(d, actor), at);
      const head = `{"at":${JSON.stringify(req.query.at ?? null)},"units":[`;
      return sendPoints(reply, req.query, `${d.id}-positions`, units, head, ']}');
    },
  );

  r.get(
    '/api/arrangements/:id/history/tracks',
    {
      schema: {
        tags: ['history'],
        summary: 'the positions reported over a window (of one unit with ?unit), in record order, as the caller may see them (docs/history.md)',
        params: ArrangementParams,
        querystring: TracksQuery,
      },
    },
    async (req, reply) => {
      const d = req.deployment;
      const actor = allow(req, 'read-record');
      const { from, to } = window(req.query);
      const points = tracksBetween(reportsFor(d, actor), from, to, req.query.unit);
      return sendPoints(reply, req.query, `${d.id}-tracks`, points, '[', ']');
    },
  );

  r.get(
    '/api/arrangements/:id/history/findings',
    {
      schema: {
        tags: ['history'],
        summary: 'the findings open at a time (?at), or the transitions over a window (?from&to), as the caller may read them (docs/history.md)',
        params: ArrangementParams,
        querystring: FindingsHistoryQuery,
      },
    },
    async (req, reply) => {
      const d = req.deployment;
      const actor = allow(req, 'read-findings');
      const q = req.query;
      if (q.at !== undefined && (q.from !== undefined || q.to !== undefined)) {
        const other = q.from !== undefined ? 'from' : 'to';
        throw new BadRequest(`query.at: give either at or from/to, not both`, [{ path: 'query.at', message: `not with ${other}` }]);
      }
      if (q.at !== undefined) {
        const open = findingsOpenAt(d, actor, parseTime(q.at));
        return sendFindings(reply, q, `${d.id}-findings-at`, d.arrangement, open, `{"at":${JSON.stringify(q.at)},"findings":[`, ']}');
      }
      const { from, to } = window(q);
      return sendFindings(reply, q, `${d.id}-findings-history`, d.arrangement, findingsBetween(d, actor, from, to), '[', ']');
    },
  );
}
