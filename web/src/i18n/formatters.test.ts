import assert from 'node:assert/strict';
import { test } from 'node:test';
import { dateTimeFormat, numberFormat } from './formatters.ts';
import { formatList, formatTime, setLocale, setUtc } from './i18n.ts';

/** Runs `f` with Intl.DateTimeFormat counting the formatters built. */
function counting(f: () => void): number {
  const Real = Intl.DateTimeFormat;
  let built = 0;
  const Counting = function (this: unknown, ...args: ConstructorParameters<typeof Intl.DateTimeFormat>) {
    built++;
    return new Real(...args);
  } as unknown as typeof Intl.DateTimeFormat;
  Object.assign(Counting, { supportedLocalesOf: Real.supportedLocalesOf });
  Intl.DateTimeFormat = Counting;
  try {
    f();
  } finally {
    Intl.DateTimeFormat = Real;
  }
  return built;
}

test('formatTime builds one formatter per (locale, utc), not one per row', () => {
  const times = Array.from({ length: 500 }, (_, i) => Date.UTC(2026, 0, 1, 0, i));
  try {
    // Locales and a UTC setting no other test uses first, so nothing is cached yet.
    const first = counting(() => {
      setLocale('he');
      setUtc(true);
      for (const x of times) formatTime(x);
    });
    assert.equal(first, 1, 'the first row builds it, the other 499 reuse it');
    const switched = counting(() => {
      setUtc(false);
      for (const x of times) formatTime(x);
      setLocale('ar');
      for (const x of times) formatTime(x);
    });
    assert.equal(switched, 2, 'a local-time one for Hebrew, then one for Arabic');
    const back = counting(() => {
      setLocale('he');
      setUtc(true);
      for (const x of times) formatTime(x);
    });
    assert.equal(back, 0, 'back to Hebrew in UTC: the one made first');
  } finally {
    setLocale('en');
    setUtc(false);
  }
});

test('a kept formatter writes what a new one would, each (locale, utc) its own', () => {
  const at = '2026-03-04T05:06:07Z';
  try {
    for (const l of ['en', 'ar', 'he', 'ru'] as const)
      for (const utc of [true, false]) {
        setLocale(l);
        setUtc(utc);
        const fresh = new Intl.DateTimeFormat(l, {
          year: 'numeric',
          month: 'short',
          day: 'numeric',
          hour: '2-digit',
          minute: '2-digit',
          second: '2-digit',
          hourCycle: 'h23',
          timeZoneName: 'short',
          ...(utc ? { timeZone: 'UTC' } : {}),
        }).format(new Date(at));
        assert.equal(formatTime(at), fresh, `${l} utc=${utc}`);
        assert.equal(formatTime(at), fresh, `${l} utc=${utc}, from the cache`);
      }
    setLocale('ru');
    assert.equal(formatList(['a', 'b', 'c']), new Intl.ListFormat('ru', { style: 'short', type: 'unit' }).format(['a', 'b', 'c']));
  } finally {
    setLocale('en');
    setUtc(false);
  }
});

test('the key is the options, whatever their order; other options, other formatters', () => {
  assert.equal(dateTimeFormat('ru', { hour: '2-digit', timeZone: 'UTC' }), dateTimeFormat('ru', { timeZone: 'UTC', hour: '2-digit' }));
  assert.notEqual(dateTimeFormat('ru', { hour: '2-digit', timeZone: 'UTC' }), dateTimeFormat('ru', { hour: '2-digit' }));
  assert.notEqual(dateTimeFormat('ru', { hour: '2-digit' }), dateTimeFormat('he', { hour: '2-digit' }));
  assert.equal(numberFormat('ar', { maximumFractionDigits: 1 }), numberFormat('ar', { maximumFractionDigits: 1 }));
  assert.notEqual(numberFormat('ar', { maximumFractionDigits: 1 }), numberFormat('ar', { maximumFractionDigits: 2 }));
  assert.equal(numberFormat('ar', { maximumFractionDigits: 1 }).format(1.25), new Intl.NumberFormat('ar', { maximumFractionDigits: 1 }).format(1.25));
});
