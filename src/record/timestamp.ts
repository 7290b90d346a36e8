// The record's timestamps: RFC 3339 date-times, YYYY-MM-DDTHH:MM:SS, an optional fraction
// of 1 to 9 digits, then Z or ±HH:MM, every field in its range (lib/date-fields.ts). Read
// by character codes, not a regular expression: every entry a follower or `detente
// verify` checks holds two.
import { dateTimeFields, digitsAt } from '../lib/date-fields.ts';

export function isTimestamp(s: unknown): s is string {
  if (typeof s !== 'string' || s.length < 20 || s[10] !== 'T' || dateTimeFields(s) === undefined) return false;
  let at = 19;
  if (s[at] === '.') {
    let end = at + 1;
    while (end < s.length && digitsAt(s, end, 1) >= 0) end++;
    if (end === at + 1 || end - at - 1 > 9) return false;
    at = end;
  }
  if (s[at] === 'Z') return at + 1 === s.length;
  if (s[at] !== '+' && s[at] !== '-') return false;
  const offHour = digitsAt(s, at + 1, 2);
  const offMinute = digitsAt(s, at + 4, 2);
  return at + 6 === s.length && s[at + 3] === ':' && offHour >= 0 && offHour <= 23 && offMinute >= 0 && offMinute <= 59;
}
