// The signature on every delivery, in Stripe's scheme: HMAC-SHA256 with the
// subscription's secret over `${t}.${body}`, where t is the Unix time in seconds the
// attempt was made; sent as `Detente-Signature: t=<t>,v1=<hex>`. The timestamp is
// inside the MAC so a receiver can refuse old deliveries (replays) by their time, and
// the body is the exact bytes sent, so nothing is re-serialised before checking.
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

export const SIGNATURE_HEADER = 'detente-signature';
export const DELIVERY_HEADER = 'detente-delivery';
export const EVENT_HEADER = 'detente-event';
/** receivers should refuse a signature older than this (docs/webhooks.md) */
export const TOLERANCE_S = 300;

/** A new subscription's secret: 32 random bytes, prefixed so that it is recognisable in a leak. */
export function newSecret(): string {
  return `whsec_${randomBytes(32).toString('base64url')}`;
}

export function signatureHeader(secret: string, body: string, unixSeconds: number): string {
  const mac = createHmac('sha256', secret).update(`${unixSeconds}.${body}`).digest('hex');
  return `t=${unixSeconds},v1=${mac}`;
}

export type Verdict = { ok: true; t: number } | { ok: false; reason: string };

/**
 * The receiver's check, as docs/webhooks.md describes it (the tests check deliveries with
 * their own HMAC, not with this): the header parses, some v1 matches, and t is recent.
 */
export function verifySignature(secret: string, body: string, header: string | undefined, nowS: number, toleranceS = TOLERANCE_S): Verdict {
  if (!header) return { ok: false, reason: 'no signature header' };
  let t: number | undefined;
  const macs: string[] = [];
  for (const part of header.split(',')) {
    const eq = part.indexOf('=');
    const k = part.slice(0, eq).trim();
    const v = part.slice(eq + 1).trim();
    if (k === 't' && /^\d{1,12}$/.test(v)) t = Number(v);
    else if (k === 'v1' && /^[0-9a-f]{64}$/.test(v)) macs.push(v);
  }
  if (t === undefined || macs.length === 0) return { ok: false, reason: 'malformed signature header' };
  const want = Buffer.from(createHmac('sha256', secret).update(`${t}.${body}`).digest('hex'));
  if (!macs.some((m) => timingSafeEqual(Buffer.from(m), want))) return { ok: false, reason: 'signature does not match' };
  if (Math.abs(nowS - t) > toleranceS) return { ok: false, reason: `timestamp ${t} is more than ${toleranceS} s from now` };
  return { ok: true, t };
}
