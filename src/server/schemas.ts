// Request shapes, as zod schemas: fastify checks requests against them (a bad field is
// a 400 naming its path) and the OpenAPI document is generated from them. Domain
// checks that need state (does the issue exist, is this the current draft) stay with
// the talks decider and the engine. The talks' limits, kinds and stances and the id
// pattern are the domain's (talks/limits.ts, policy/ids.ts); these schemas derive from
// them, so the HTTP edge and the decider cannot disagree.
import { z } from 'zod';
import { isTimestamp } from '../record/timestamp.ts';
import { ID } from '../policy/ids.ts';
import { ROLES } from '../policy/policy.ts';
import { COMMAND_KINDS, LIMITS, STANCES } from '../talks/limits.ts';
import { WEBHOOK_EVENTS, WEBHOOK_LIMITS } from './webhooks/event-types.ts';

/** An id as the talks take it: the arrangement's id pattern, at most LIMITS.id characters. */
const id = (what: string) => z.string().max(LIMITS.id).regex(ID, 'lower-case letters, digits, hyphens').describe(what);
/** Text as the talks take it: not blank, at most `max` characters. */
const text = (max: number) => z.string().min(1).max(max).regex(/\S/, 'must not be blank');

export const ArrangementParams = z.object({ id: z.string().describe('arrangement id') });

/** The media types an attachment may have (docs/evidence.md): photos, imagery, documents, video. */
export const ATTACHMENT_TYPES = ['image/jpeg', 'image/png', 'image/tiff', 'image/webp', 'application/pdf', 'video/mp4'] as const;
/** The largest attachment the server takes, in bytes. */
export const MAX_ATTACHMENT_BYTES = 64 * 1024 * 1024;
/** Attachments one report may name. */
export const MAX_REPORT_ATTACHMENTS = 32;

const Sha256 = z
  .string()
  .regex(/^[0-9a-f]{64}$/, 'a SHA-256: 64 lower-case hex digits')
  .describe('the SHA-256 of the bytes, lower-case hex');

export const AttachmentParams = ArrangementParams.extend({ sha256: Sha256 });

/** One attachment as a report names it; the bytes are uploaded apart (PUT …/attachments/:sha256). */
export const AttachmentRef = z.strictObject({
  sha256: Sha256,
  type: z.enum(ATTACHMENT_TYPES).describe('its media type'),
  bytes: z.number().int().min(1).max(MAX_ATTACHMENT_BYTES).describe('its size in bytes'),
  name: z.string().min(1).max(200).optional().describe('a file name, for people'),
});

export const ReportAttachments = z.array(AttachmentRef).max(MAX_REPORT_ATTACHMENTS);

export const SubmissionBody = z.strictObject({
  text: text(LIMITS.text).describe('what the party tells the mediator'),
  issue: id('agenda issue id').optional(),
  position: z.number().optional().describe('numeric position on a numeric issue (e.g. buffer width in km)'),
  confidential: z.boolean().optional().describe('kept off the public record: only the author and the mediator read it'),
  quiet: z
    .boolean()
    .optional()
    .describe('the record holds only the log’s commitment to the whole statement: neither its author nor its type; the mediator and the author read it'),
});

export const RelayBody = z.strictObject({
  to: id('the party the mediator relays to'),
  text: text(LIMITS.text).describe("the mediator's own text"),
  cites: z.array(id('submission id')).max(LIMITS.cites).optional().describe('ids of submissions the relay draws on'),
});

export const IssueBody = z.strictObject({
  id: id('issue id'),
  title: text(LIMITS.title),
  numeric: z
    .strictObject({ unit: text(LIMITS.unit) })
    .optional()
    .describe('positions on this issue are numbers in this unit'),
});

export const IssueParams = ArrangementParams.extend({ issue: z.string() });

export const DraftBody = z.strictObject({
  clauses: z
    .array(
      z.strictObject({
        id: id('clause id'),
        text: z
          .union([
            text(LIMITS.text),
            z
              .object({ prevailing: z.string().max(LIMITS.language).describe('the language whose text prevails') })
              .catchall(text(LIMITS.text))
              .refine((o) => Object.keys(o).length - 1 <= LIMITS.languages, `at most ${LIMITS.languages} languages`),
          ])
          .describe('the clause: one text, or { <language tag>: text, …, prevailing: <language tag> }'),
        rules: z.array(z.unknown()).max(LIMITS.rulesPerClause).optional().describe('machine-checkable rules in the arrangement format (spec/arrangement.md)'),
      }),
    )
    .min(1)
    .max(LIMITS.clauses),
  note: text(LIMITS.note).optional(),
  sections: z
    .object({
      rules: z
        .array(z.unknown())
        .optional()
        .describe(
          "the arrangement's own rules, replacing the file's (or the text in force's) as a whole: how a round changes or retires a rule the file holds; the clauses' rules come after them",
        ),
    })
    .catchall(z.unknown())
    .optional()
    .describe(
      "sections of the arrangement the draft sets, each replacing the text in force's (zones, lines, actors, witnesses, disclosure, rules, …; spec/arrangement.md)",
    ),
});

export const StanceBody = z.strictObject({
  draft: z.number().int().positive().describe('the version of the single text the stance answers'),
  clause: id('clause id, or "sections" for the draft’s sections'),
  stance: z.enum(STANCES),
  note: text(LIMITS.note).optional(),
  texts_hash: z
    .string()
    .regex(/^[0-9a-f]{64}$/, 'a SHA-256 digest in lower-case hex')
    .optional()
    .describe('of a clause in several languages: the hash of the texts the party read (409 when they are not the draft’s)'),
  sections_hash: z
    .string()
    .regex(/^[0-9a-f]{64}$/, 'a SHA-256 digest in lower-case hex')
    .optional()
    .describe(
      'of the draft’s sections (clause "sections", which every party must accept when a draft sets sections): the hash of the sections the party read, as the draft’s sections_hash gives it (409 when they are not the draft’s)',
    ),
});

export const ConsentBody = z.strictObject({
  note: text(LIMITS.note).optional(),
  quiet: z.boolean().optional().describe('record only the log’s commitment: the record does not show who consented'),
});

export const JointMessageBody = z.strictObject({
  text: text(LIMITS.text).describe('to both parties and the mediator'),
});

export const JointCloseBody = z.strictObject({
  note: text(LIMITS.note).optional(),
});

const Rfc3339 = z.string().describe('RFC 3339 time with a zone');
const Meeting = z
  .strictObject({ title: text(LIMITS.title), at: Rfc3339, place: text(LIMITS.title) })
  .describe('the meeting the deadline is for (where the text is to be announced)');

export const RoundBody = z.strictObject({
  agenda: text(LIMITS.note).describe('what the round is to amend'),
  deadline: Rfc3339.optional().describe("the round's own deadline: once it passed (unextended) nothing more is drafted, agreed or announced in it"),
  meeting: Meeting.optional(),
});

export const ExtensionBody = z.strictObject({
  deadline: Rfc3339.describe("the current round's new deadline, later than the one in force"),
  reason: text(LIMITS.note).optional(),
  meeting: Meeting.optional(),
});

export const ExtensionApprovalBody = z.strictObject({ deadline: Rfc3339.describe('the deadline proposed') });

export const DraftRefBody = z.strictObject({ draft: z.number().int().positive() });

export const WithdrawBody = z.strictObject({
  clauses: z.array(id('clause id')).min(1).max(LIMITS.clauses).optional().describe('default: every clause the party accepted'),
  note: text(LIMITS.note).optional(),
});

// Checked field by field by the engine's own report reader, which names the bad field;
// the schema here documents the shape (spec/reports.md).
const ReportDoc = z
  .looseObject({
    type: z.enum(['observation', 'track', 'notification', 'ack', 'inspection']),
    id: z.string(),
    time: z.string().describe('RFC 3339'),
  })
  .describe('a report (spec/reports.md)');
export const ReportsBody = z.union([ReportDoc, z.array(ReportDoc)]);

export const SignedBody = z.strictObject({
  statement: z.strictObject({
    v: z.literal(1),
    type: z.string().describe('"report", "reports", or a "talks.*" statement prepared by …/talks/prepare'),
    author: z.string(),
    time: z.string().refine(isTimestamp, 'must be an RFC 3339 date-time'),
    arrangement: z.string(),
    body: z.record(z.string(), z.unknown()),
  }),
  sig: z.string().describe('base64 Ed25519 signature over the RFC 8785 form of the statement'),
  key: z.string().describe("the author's verifier key (signed-note form)"),
  sealed: z
    .array(
      z.strictObject({
        salt: z.string().describe('base64 of the salt (32 random bytes)'),
        content: z.string().describe("the report's RFC 8785 canonical JSON text"),
      }),
    )
    .max(10_000)
    .optional()
    .describe('reports: the opening of each { "sealed" } commitment in the body (hex SHA-256 of salt ‖ content), in any order'),
});

const flag = z.enum(['true', 'false']).transform((v) => v === 'true');
const count = z.coerce.number().int().nonnegative();

export const FindingsQuery = z.strictObject({
  open: flag.optional().describe('only the findings open now'),
  since: count.optional().describe('only transitions after this seq'),
  limit: count.max(100_000).optional(),
});

export const EventsQuery = z.strictObject({
  since: count.optional().describe('first replay finding transitions after this seq (or send Last-Event-ID)'),
});

export const InclusionQuery = z.strictObject({ index: count, size: count });
export const ConsistencyQuery = z.strictObject({ from: count, to: count });
export const EntriesQuery = z.strictObject({ from: count, to: count.optional() });
export const SealedParams = ArrangementParams.extend({ hash: z.string().regex(/^[0-9a-f]{64}$/) });

export const PrepareBody = z.strictObject({
  command: z.looseObject({ kind: z.enum(COMMAND_KINDS) }).describe('a talks command: kind and the fields of its route'),
});

// ---- exports and history (docs/csv.md, docs/history.md) ----------------------------

const on = z.enum(['1', '0', 'true', 'false']).transform((v) => v === '1' || v === 'true');
const instant = (what: string) => z.string().refine(isTimestamp, 'must be an RFC 3339 date-time (e.g. 2025-12-27T10:00:00Z)').describe(what);

const csvSwitches = {
  bom: on.optional().describe('CSV: start with a UTF-8 byte-order mark (for spreadsheet apps)'),
  spreadsheet: on
    .optional()
    .describe("CSV: guard text cells that begin with = + - @ tab or CR with a leading ' (formula injection); alters the data, so off by default"),
};

export const CsvQuery = z.strictObject(csvSwitches);

export const HISTORY_FORMATS = ['json', 'geojson', 'csv', 'cot'] as const;
const historyFormat = z.enum(HISTORY_FORMATS).optional().describe('json (default), geojson, csv or cot');

export const PositionsQuery = z.strictObject({
  at: instant("the time to show each unit's last known position at (default: the end of the record)").optional(),
  format: historyFormat,
  ...csvSwitches,
});

export const TracksQuery = z.strictObject({
  from: instant('the window starts (inclusive; default: the beginning)').optional(),
  to: instant('the window ends (inclusive; default: the end)').optional(),
  unit: z.string().min(1).max(200).optional().describe("only this unit's positions"),
  format: historyFormat,
  ...csvSwitches,
});

export const FindingsHistoryQuery = z.strictObject({
  at: instant('the findings open at this time (not with from/to)').optional(),
  from: instant('the transitions from this time (inclusive)').optional(),
  to: instant('the transitions up to this time (inclusive)').optional(),
  format: historyFormat,
  ...csvSwitches,
});

export const WebhookBody = z.strictObject({
  url: z.string().min(1).max(WEBHOOK_LIMITS.url).describe('where deliveries are POSTed: http or https (private addresses only where the operator allows them)'),
  events: z.array(z.enum(WEBHOOK_EVENTS)).min(1).max(WEBHOOK_EVENTS.length).describe('the events to deliver'),
  zones: z.array(id('zone id')).min(1).max(WEBHOOK_LIMITS.filterIds).optional().describe('only events in these zones'),
  units: z.array(z.string().min(1).max(LIMITS.id)).min(1).max(WEBHOOK_LIMITS.filterIds).optional().describe('only events about these unit ids'),
  dwell_s: z.number().int().positive().max(WEBHOOK_LIMITS.dwellMaxS).optional().describe('zone.dwell: seconds a unit stays in a zone before it is delivered'),
});
export const WebhookParams = ArrangementParams.extend({ sid: z.string().max(64).describe('subscription id') });
export const DeadLetterParams = WebhookParams.extend({ n: count.describe('dead letter number') });

/** One arrangement the caller has a part in (GET /api/arrangements, /api/me's `arrangements`). */
export const ArrangementSeat = z.object({
  id: z.string().describe('arrangement id'),
  title: z.string().describe("the arrangement's title"),
  actor: z.string().describe('the actor the token acts for in it'),
  name: z.string().optional().describe("that actor's name"),
  role: z.enum(ROLES).describe("that actor's role"),
});
export const ArrangementsList = z.object({ arrangements: z.array(ArrangementSeat) });

// The mediator's bench (docs/spec/analytics.md): checked only by the reader `detente
// analyze` uses (analyze/model.ts), so that the server refuses exactly what the command
// refuses, naming the same paths with the same reasons; the schema documents the shape.
/**
 * What one PUT may ask the server to compute: the forecast's work grows with the square
 * of the stakeholders, times the issues, times up to 100 rounds, and a request must not
 * hold the server for seconds. `detente analyze` on the mediator's own machine has none.
 */
export const BENCH_LIMITS = { stakeholders: 100, forecastIssues: 20, frontierPoints: 10_000, curveChars: 500 } as const;

export const BenchModelBody = z
  .looseObject({
    frontier: z
      .unknown()
      .optional()
      .describe('{ disagreement: [d1, d2], points: [[u1, u2], …] } or { disagreement, curve: "EXPR in u1" }: two parties\' utilities'),
    issues: z
      .unknown()
      .optional()
      .describe(
        '[{ id, parties: { PARTY: { position, reservation, direction: "more" | "less" } } }]: numeric issues; a reservation is the walk-away point, known to the mediator only',
      ),
    stakeholders: z
      .unknown()
      .optional()
      .describe('[{ id, position: { ISSUE: x }, salience: { ISSUE: 0–1 }, capability: > 0 }]: for the forecast (positions 0–100 by convention)'),
  })
  .describe("a bench model, as `detente analyze` reads it: the mediator's alone (and the guarantors the arrangement's `bench` names)");
