// The calendar fields of an RFC 3339 date-time's first 19 characters, YYYY-MM-DD?HH:MM:SS,
// read by character codes: every field in its range, the day within its month (Date.parse
// alone would take February 30th), a leap second allowed. The character between date and
// time, what follows the seconds and what they mean are the callers' (the record's strict
// timestamps, the arrangement's times).

export interface DateTimeFields {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

const MONTH_DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** The number of `width` decimal digits at `at`, or -1 if any is not a digit (or is past the end). */
export function digitsAt(s: string, at: number, width: number): number {
  let v = 0;
  for (let i = at; i < at + width; i++) {
    const d = s.charCodeAt(i) - 0x30;
    if (!(d >= 0 && d <= 9)) return -1;
    v = v * 10 + d;
  }
  return v;
}

export function isLeapYear(y: number): boolean {
  return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
}

/** The fields, or undefined when the first 19 characters are not a date and time that exist. */
export function dateTimeFields(s: string): DateTimeFields | undefined {
  if (s.length < 19 || s[4] !== '-' || s[7] !== '-' || s[13] !== ':' || s[16] !== ':') return undefined;
  const year = digitsAt(s, 0, 4);
  const month = digitsAt(s, 5, 2);
  const day = digitsAt(s, 8, 2);
  const hour = digitsAt(s, 11, 2);
  const minute = digitsAt(s, 14, 2);
  const second = digitsAt(s, 17, 2);
  if (year < 0 || month < 1 || month > 12 || day < 1 || hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 60) return undefined;
  if (day > (month === 2 && isLeapYear(year) ? 29 : MONTH_DAYS[month - 1])) return undefined;
  return { year, month, day, hour, minute, second };
}
