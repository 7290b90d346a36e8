// The bodies of the challenge and access-refused statements as a client signs them
// (a party or observer holding its own key): the same fields the custodial routes write.
// The body's `time` is when the request or refusal counts from, so a self-signer may not
// backdate it (a backdated request would make the observer late before it knew) nor
// date it ahead: it must be within the intake's tolerance of the server's clock.
import { z } from 'zod';
import { parseTime } from '../../arrangement/time.ts';
import { BadRequest } from '../errors.ts';
import { FUTURE_TOLERANCE_MS } from '../intake.ts';
import { MAX_DISPUTE_REASON } from './disputes.ts';

export const ChallengeStatementBody = z.strictObject({
  zone: z.string().min(1).max(200),
  time: z.string(),
});

export const RefusalStatementBody = z.strictObject({
  challenge: z.string().regex(/^challenge-\d{1,15}$/),
  by: z.string().min(1).max(200),
  time: z.string(),
  reason: z.string().min(1).max(MAX_DISPUTE_REASON).optional(),
});

/** The body parsed by `schema`, or a 400 naming the field under statement.body. */
export function signedBody<T>(schema: z.ZodType<T>, body: unknown, what: string): T {
  const d = schema.safeParse(body);
  if (d.success) return d.data;
  const issue = d.error.issues[0];
  const path = ['statement.body', ...issue.path.map(String)].join('.');
  throw new BadRequest(`not ${what}'s body: ${path}: ${issue.message}`, [{ path, message: issue.message }]);
}

/** The body's time in ms, or a 400 naming statement.body.time when it is not within the tolerance of `now`. */
export function statedTime(time: string, now: number): number {
  const t = parseTime(time);
  if (!Number.isFinite(t))
    throw new BadRequest('statement.body.time is not an RFC 3339 time', [{ path: 'statement.body.time', message: 'not an RFC 3339 time' }]);
  if (Math.abs(t - now) > FUTURE_TOLERANCE_MS)
    throw new BadRequest(`statement.body.time is more than ${FUTURE_TOLERANCE_MS / 60000} minutes from the server's clock`, [
      { path: 'statement.body.time', message: 'must be now, within the tolerance' },
    ]);
  return t;
}
