// RFC 3339 timestamps and ISO 8601 durations, parsed strictly and fast: the
// report stream parses one timestamp per line, and Date.parse both accepts
// dates that do not exist (February 30th) and costs more than this.

/** 400 Gregorian years. */
const CYCLE_MS = 146_097 * 86_400_000;

const DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function digits(s: string, from: number, n: number): number {
  let v = 0;
  for (let i = from; i < from + n; i++) {
    const c = s.charCodeAt(i) - 48;
    if (c < 0 || c > 9) return -1;
    v = v * 10 + c;
  }
  return v;
}

/** Milliseconds since the epoch, or NaN when `s` is not an RFC 3339 date-time. */
export function parseTime(s: string): number {
  if (typeof s !== 'string' || s.length < 20) return NaN;
  const y = digits(s, 0, 4);
  const mo = digits(s, 5, 2);
  const d = digits(s, 8, 2);
  const h = digits(s, 11, 2);
  const mi = digits(s, 14, 2);
  const se = digits(s, 17, 2);
  if (y < 0 || mo < 1 || mo > 12 || d < 1 || h < 0 || h > 23 || mi < 0 || mi > 59 || se < 0 || se > 60) return NaN;
  if (s[4] !== '-' || s[7] !== '-' || s[13] !== ':' || s[16] !== ':') return NaN;
  const t = s[10];
  if (t !== 'T' && t !== 't' && t !== ' ') return NaN;
  const leap = (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
  if (d > (mo === 2 && leap ? 29 : DAYS[mo - 1])) return NaN;
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
    const oh = digits(s, i + 1, 2);
    const om = digits(s, i + 4, 2);
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
