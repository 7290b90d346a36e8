// A thrown error as the API's error body, { error, issues }, with its status: the
// server's own HttpErrors, the talks' and intake's refusals, zod's validation failures
// with each field's path as the client sent it, and fastify's own client errors. Any
// other error is a 500 that says nothing of its cause (the log has it).
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { RecordError } from '../record/errors.ts';
import { TalksError } from '../talks/index.ts';
import { HttpError, type PathIssue } from './errors.ts';
import { IntakeError } from './intake.ts';

interface ZodIssueLike {
  code?: string;
  path?: PropertyKey[];
  message?: string;
  errors?: ZodIssueLike[][];
}

function pathText(parts: PropertyKey[]): string {
  return parts.map((p, i) => (typeof p === 'number' || /^\d+$/.test(String(p)) ? `[${String(p)}]` : i === 0 ? String(p) : `.${String(p)}`)).join('');
}

/**
 * A failed union names no field of its own; its branch whose shape matched (an array
 * for a batch, an object for one report) does. Its issues are taken instead, so that
 * a batch's bad field is "[3].time", not the body.
 */
function flatten(at: PropertyKey[], issue: ZodIssueLike): { path: PropertyKey[]; message: string }[] {
  const branches = issue.code === 'invalid_union' ? (issue.errors ?? []) : [];
  const fitting = branches.find((b) => b.length > 0 && !b.some((i) => (i.path?.length ?? 0) === 0 && i.code === 'invalid_type'));
  if (fitting) return fitting.flatMap((i) => flatten([...at, ...(i.path ?? [])], i));
  return [{ path: at, message: issue.message ?? 'is not valid' }];
}

function validationIssues(err: FastifyError): PathIssue[] {
  const where = (err as { validationContext?: string }).validationContext;
  const prefix = where === 'querystring' ? 'query.' : where === 'params' ? 'params.' : '';
  return (err.validation ?? []).flatMap((v) => {
    const at = (v.instancePath ?? '').split('/').filter(Boolean);
    const params = v.params as { errors?: ZodIssueLike[][] } | undefined;
    return flatten(at, { code: v.keyword, message: v.message, errors: params?.errors }).map((i) => ({ path: prefix + pathText(i.path), message: i.message }));
  });
}

export function sendError(err: FastifyError, req: FastifyRequest, reply: FastifyReply) {
  if (err instanceof HttpError) return reply.code(err.status).send({ error: err.message, issues: err.issues });
  // The talks' paths are already the request's: a prepared command is parsed under "command".
  if (err instanceof TalksError) return reply.code(err.status).send({ error: err.message, code: err.code, issues: err.issues });
  if (err instanceof IntakeError) return reply.code(err.status).send({ error: err.message, issues: err.issues });
  if (hasZodFastifySchemaValidationErrors(err)) {
    const issues = validationIssues(err);
    return reply.code(400).send({ error: issues.length ? `${issues[0].path || '(body)'}: ${issues[0].message}` : 'the request is not valid', issues });
  }
  // What the record refuses was sent by the client: malformed (400) or too big for an entry (413).
  if (err instanceof RecordError && (err.code === 'invalid' || err.code === 'too-large' || err.code === 'bad-signature'))
    return reply.code(err.code === 'too-large' ? 413 : 400).send({ error: err.message, issues: [] });
  const status = err.statusCode ?? 500;
  // fastify's own client errors: bad JSON (400), body too large (413), wrong media type (415).
  if (status >= 400 && status < 500) return reply.code(status).send({ error: err.message, issues: [] });
  req.log.error(err);
  return reply.code(500).send({ error: 'internal error', issues: [] });
}
