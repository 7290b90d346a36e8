// JSON request bodies, read once at the edge: UTF-8 only, and only values the record
// can hold (RFC 8785's I-JSON: finite numbers, no lone surrogates, bounded nesting).
// A value the record would refuse is refused here, naming its path, rather than
// failing later, deep in a handler, as a 500.
import type { FastifyInstance } from 'fastify';
import { HttpError, type PathIssue } from './errors.ts';

/** As deep as the record's canonical form nests (record/canonical.ts). */
export const MAX_JSON_DEPTH = 64;

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** A key as it may appear in a path: printable, with any lone surrogate escaped. */
function keyText(k: string): string {
  return LONE_SURROGATE.test(k) ? JSON.stringify(k).slice(1, -1) : k;
}

function child(path: string, k: string): string {
  return path === '' ? keyText(k) : `${path}.${keyText(k)}`;
}

/** The first value in `v` that JSON (as the record keeps it) cannot hold, with its path; undefined if none. */
export function jsonIssue(v: unknown, path = '', depth = 1): PathIssue | undefined {
  if (typeof v === 'string') return LONE_SURROGATE.test(v) ? { path, message: 'holds an unpaired UTF-16 surrogate' } : undefined;
  if (typeof v === 'number') return Number.isFinite(v) ? undefined : { path, message: 'is a number too large for JSON (finite, IEEE 754 double)' };
  if (v === null || typeof v !== 'object') return undefined;
  if (depth > MAX_JSON_DEPTH) return { path, message: `nests deeper than ${MAX_JSON_DEPTH} levels` };
  if (Array.isArray(v)) {
    for (let i = 0; i < v.length; i++) {
      const x = v[i];
      // Strings, numbers and literals need no call of their own: batches hold thousands.
      if (typeof x === 'object' || typeof x === 'string' || typeof x === 'number') {
        const bad = jsonIssue(x, `${path}[${i}]`, depth + 1);
        if (bad) return bad;
      }
    }
    return undefined;
  }
  for (const k in v) {
    if (LONE_SURROGATE.test(k)) return { path: child(path, k), message: 'the key holds an unpaired UTF-16 surrogate' };
    const bad = jsonIssue((v as Record<string, unknown>)[k], child(path, k), depth + 1);
    if (bad) return bad;
  }
  return undefined;
}

/** The charset parameter of a Content-Type, lower-cased, if it has one. */
function charsetOf(contentType: string | undefined): string | undefined {
  const m = /;\s*charset\s*=\s*"?([^";\s]*)"?/i.exec(contentType ?? '');
  return m?.[1].toLowerCase();
}

/**
 * Takes JSON bodies only, with a parser that refuses any charset but UTF-8 (415) and
 * any value the record cannot hold (400 naming its path). Proto and constructor
 * poisoning stay refused, as the app's options ask.
 */
export function strictJsonBodies(app: FastifyInstance): void {
  const parse = app.getDefaultJsonParser('error', 'error');
  // Every body this API takes is JSON; fastify's plain-text parser would hand a handler a string.
  app.removeContentTypeParser(['application/json', 'text/plain']);
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (req, body, done) => {
    const charset = charsetOf(req.headers['content-type']);
    if (charset !== undefined && charset !== 'utf-8' && charset !== 'utf8') {
      done(
        new HttpError(415, `a JSON body is UTF-8; charset=${charset} is not accepted`, [{ path: 'headers.content-type', message: 'charset must be utf-8' }]),
        undefined,
      );
      return;
    }
    parse(req, body as string, (err, value) => {
      if (err) return done(err, undefined);
      const bad = jsonIssue(value);
      if (bad) return done(new HttpError(400, `${bad.path || '(body)'}: ${bad.message}`, [bad]), undefined);
      done(null, value);
    });
  });
}
