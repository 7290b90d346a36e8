import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { isTimestamp } from './timestamp.ts';

// The rule written the other way, as a regular expression and Date's calendar, to check
// the character-code reading against.
const RFC3339 = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.\d{1,9})?(?:Z|[+-](\d{2}):(\d{2}))$/;

function reference(s: string): boolean {
  const m = RFC3339.exec(s);
  if (!m) return false;
  const [year, month, day, hour, minute, second] = m.slice(1, 7).map(Number);
  const d = new Date(0);
  d.setUTCFullYear(year, month, 0); // day 0 of the next month: the last of this one (years 0–99 too)
  return (
    month >= 1 &&
    month <= 12 &&
    day >= 1 &&
    day <= d.getUTCDate() &&
    hour <= 23 &&
    minute <= 59 &&
    second <= 60 &&
    (m[7] === undefined || (Number(m[7]) <= 23 && Number(m[8]) <= 59))
  );
}

const two = (max: number) => fc.integer({ min: 0, max }).map((n) => String(n).padStart(2, '0'));
const stamp = fc
  .tuple(
    fc.integer({ min: 0, max: 9999 }).map((n) => String(n).padStart(4, '0')),
    two(13),
    two(32),
    two(24),
    two(60),
    two(61),
    fc.option(fc.stringMatching(/^\.\d{0,10}$/), { nil: '' }),
    fc.oneof(
      fc.constant('Z'),
      fc.tuple(fc.constantFrom('+', '-'), two(24), two(60)).map(([s, h, m]) => `${s}${h}:${m}`),
    ),
  )
  .map(([y, mo, d, h, mi, s, frac, zone]) => `${y}-${mo}-${d}T${h}:${mi}:${s}${frac}${zone}`);

test('agrees with the regular expression and the calendar on near-valid timestamps', () => {
  fc.assert(
    fc.property(stamp, fc.nat(), fc.constantFrom('', 'x', '1', ' ', 'z', ':', '.'), fc.boolean(), (s, at, edit, cut) => {
      assert.equal(isTimestamp(s), reference(s), s);
      const i = at % (s.length + 1);
      const edited = s.slice(0, i) + edit + s.slice(cut ? i + 1 : i);
      assert.equal(isTimestamp(edited), reference(edited), edited);
    }),
    { numRuns: 20000 },
  );
});

test('the cases that decide it', () => {
  for (const s of ['2025-12-27T07:00:00Z', '2024-02-29T23:59:60.123456789+14:00', '2000-02-29T00:00:00-00:00', '0000-02-29T00:00:00Z'])
    assert.equal(isTimestamp(s), true, s);
  for (const s of [
    '2025-02-29T00:00:00Z',
    '1900-02-29T00:00:00Z',
    '2025-04-31T00:00:00Z',
    '2025-12-27T07:00:00',
    '2025-12-27t07:00:00Z',
    '2025-12-27T07:00:00.Z',
    '2025-12-27T07:00:00.1234567890Z',
    '2025-12-27T24:00:00Z',
    '2025-12-27T07:00:00+24:00',
    '２025-12-27T07:00:00Z',
  ]) {
    assert.equal(isTimestamp(s), false, s);
  }
  assert.equal(isTimestamp(20251227), false);
});
