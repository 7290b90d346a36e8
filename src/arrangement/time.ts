// RFC 3339 timestamps and ISO 8601 durations, parsed strictly and fast: the
// report stream parses one timestamp per line, and Date.parse both accepts
// dates that do not exist (February 30th) and costs more than this.

import { dateTimeFields, digitsAt } from '../lib/date-fields.ts';

/** 400 Gregorian years. */
const CYCLE_MS = 146_097 * 86_400_000;

/** Milliseconds since the epoch, or NaN when `s` is not an RFC 3339 date-time. */
export function parseTime(s: string): number {
  if (typeof s !== 'string' || s.length < 20) return NaN;
  const f = dateTimeFields(s);
  if (f === undefined) return NaN;
  const { year: y, month: mo, day: d, hour: h, minute: mi, second: se } = f;
  const t = s[10];
  if (t !== 'T' && t !== 't' && t !== ' ') return NaN;
  let i = 19;
  let ms = 0;
  if (s[i] === '.') {
    let scale = 100;
    i++;
    const start = i;
    while (i < s.length) {
      const c = s.charCodeAt(i) - 48;
      if (c < 0 || c > 9) break;
      ms += c * scale;
      scale /= 10;
      i++;
    }
    if (i === start) return NaN;
  }
  let offset = 0;
  const z = s[i];
  if (z === 'Z' || z === 'z') {
    i++;
  } else if (z === '+' || z === '-') {
    const oh = digitsAt(s, i + 1, 2);
    const om = digitsAt(s, i + 4, 2);
    if (oh < 0 || oh > 23 || om < 0 || om > 59 || s[i + 3] !== ':') return NaN;
    offset = (oh * 60 + om) * 60000 * (z === '+' ? 1 : -1);
    i += 6;
  } else {
    return NaN;
  }
  if (i !== s.length) return NaN;
  // A leap second (:60) is folded into the next second, as Date does. Date.UTC reads
  // years 0–99 as 1900–1999, so those are taken 400 years later (the Gregorian cycle,
  // exactly 146,097 days) and moved back.
  const early = y < 100;
  return Date.UTC(early ? y + 400 : y, mo - 1, d, h, mi, se) - (early ? CYCLE_MS : 0) + Math.round(ms) - offset;
}

/** RFC 3339 UTC with seconds; milliseconds only when there are some. */
export function formatTime(ms: number): string {
  const iso = new Date(ms).toISOString();
  return iso.endsWith('.000Z') ? iso.slice(0, 19) + 'Z' : iso;
}

const DURATION = /^P(?:(\d+(?:\.\d+)?)W)?(?:(\d+(?:\.\d+)?)D)?(?:T(?:(\d+(?:\.\d+)?)H)?(?:(\d+(?:\.\d+)?)M)?(?:(\d+(?:\.\d+)?)S)?)?$/;

/**
 * An ISO 8601 duration in milliseconds, or an error message. Years and months
 * are refused: their length depends on the calendar, and a notice period must
 * not mean different things in different months.
 */
export function parseDuration(s: string): number | string {
  if (typeof s !== 'string') return 'expected an ISO 8601 duration such as PT1H or P15D';
  // Only the date part can hold years or months (an M after T is minutes).
  if (/^P[^T]*\d[YM]/.test(s)) return `"${s}": years and months are not fixed lengths; give days or weeks instead (e.g. P30D)`;
  const m = DURATION.exec(s);
  if (!m || s === 'P' || s.endsWith('T')) return `"${s}" is not an ISO 8601 duration (e.g. PT1H, PT10M, P15D)`;
  const [, w, d, h, mi, se] = m;
  const ms = ((+(w ?? 0) * 7 + +(d ?? 0)) * 86400 + +(h ?? 0) * 3600 + +(mi ?? 0) * 60 + +(se ?? 0)) * 1000;
  return Math.round(ms);
}
