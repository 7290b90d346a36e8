// Times and durations for the reference: RFC 3339 in, epoch milliseconds inside,
// RFC 3339 UTC out.

/** Epoch ms of an RFC 3339 time; throws on anything Date cannot read, as the reference is only handed valid input. */
export function parseTime(s: string): number {
  const ms = Date.parse(s);
  if (Number.isNaN(ms)) throw new Error(`reference: bad time ${JSON.stringify(s)}`);
  return ms;
}

/** RFC 3339 UTC with seconds; milliseconds (three digits) only when they are not zero. */
export function formatTime(ms: number): string {
  const iso = new Date(ms).toISOString();
  return iso.endsWith('.000Z') ? iso.slice(0, -5) + 'Z' : iso;
}

interface Duration {
  months: number; // years and months: calendar units, applied to a date
  ms: number; // weeks, days, hours, minutes, seconds: fixed lengths (a UTC day is always 24 h)
}

const DURATION = /^P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)W)?(?:(\d+(?:\.\d+)?)D)?(?:T(?:(\d+(?:\.\d+)?)H)?(?:(\d+(?:\.\d+)?)M)?(?:(\d+(?:\.\d+)?)S)?)?$/;

export function parseDuration(s: string): Duration {
  const m = DURATION.exec(s);
  if (!m || s === 'P' || s.endsWith('T')) throw new Error(`reference: bad duration ${JSON.stringify(s)}`);
  const n = (i: number): number => (m[i] === undefined ? 0 : Number(m[i]));
  return {
    months: n(1) * 12 + n(2),
    ms: Math.round((((n(3) * 7 + n(4)) * 24 + n(5)) * 60 + n(6)) * 60_000 + n(7) * 1000),
  };
}

/**
 * t + sign × duration. Calendar months move the UTC date and clamp to the month's
 * last day (Jan 31 + P1M = Feb 28/29), the usual reading; the fixed part is then added.
 */
export function addDuration(t: number, s: string, sign: 1 | -1 = 1): number {
  const d = parseDuration(s);
  let base = t;
  if (d.months !== 0) {
    const date = new Date(t);
    const target = date.getUTCMonth() + sign * d.months;
    const day = date.getUTCDate();
    date.setUTCDate(1);
    date.setUTCMonth(target);
    const lastDay = new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + 1, 0)).getUTCDate();
    date.setUTCDate(Math.min(day, lastDay));
    base = date.getTime();
  }
  return base + sign * d.ms;
}
