import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatTime, parseDuration, parseTime } from './time.ts';

test('parseTime accepts RFC 3339 and agrees with Date on valid input', () => {
  for (const s of ['2025-12-27T10:00:00Z', '2024-02-29T23:59:59.999Z', '2025-12-27T12:00:00+02:00', '2025-12-27t10:00:00z', '1999-01-01T00:00:00.5-05:30']) {
    assert.equal(parseTime(s), Date.parse(s.toUpperCase()), s);
  }
});

test('parseTime refuses dates that do not exist and malformed strings', () => {
  for (const s of [
    '2025-02-29T00:00:00Z',
    '2025-02-30T00:00:00Z',
    '2025-13-01T00:00:00Z',
    '2025-12-27T24:00:00Z',
    '2025-12-27T10:00:00',
    '2025-12-27',
    '2025-12-27T10:00Z',
    '2025-12-27T10:00:00.Z',
    '2025-12-27T10:00:00Zjunk',
    '',
    'x'.repeat(25),
  ]) {
    assert.ok(Number.isNaN(parseTime(s)), s);
  }
  assert.ok(Number.isNaN(parseTime(42 as unknown as string)));
});

test('formatTime prints seconds, and milliseconds only when present', () => {
  assert.equal(formatTime(Date.UTC(2025, 11, 27, 10)), '2025-12-27T10:00:00Z');
  assert.equal(formatTime(Date.UTC(2025, 11, 27, 10, 0, 0, 250)), '2025-12-27T10:00:00.250Z');
});

test('parseDuration reads weeks, days and clock parts; refuses calendar units', () => {
  assert.equal(parseDuration('PT1H'), 3600000);
  assert.equal(parseDuration('PT10M'), 600000);
  assert.equal(parseDuration('P15D'), 15 * 86400000);
  assert.equal(parseDuration('P1W'), 7 * 86400000);
  assert.equal(parseDuration('P1DT1.5S'), 86401500);
  assert.match(String(parseDuration('P1M')), /years and months/);
  assert.match(String(parseDuration('P1Y')), /years and months/);
  for (const bad of ['P', 'PT', '1H', 'PT1X', 'P1DT']) assert.equal(typeof parseDuration(bad), 'string', bad);
});

test('parseTime reads years 0000–0099 as themselves, not as 1900–1999', () => {
  for (const s of [
    '0000-01-01T00:00:00Z',
    '0000-02-29T12:00:00Z',
    '0001-03-01T00:00:00Z',
    '0050-12-27T07:00:00Z',
    '0099-12-31T23:59:59Z',
    '0100-01-01T00:00:00Z',
  ]) {
    // Date.parse reads the ISO form's four-digit year literally; formatTime must print it back.
    assert.equal(parseTime(s), Date.parse(s), s);
    assert.equal(formatTime(parseTime(s)), s, s);
  }
  assert.ok(parseTime('0099-12-31T23:59:59Z') < parseTime('0100-01-01T00:00:00Z'));
});
