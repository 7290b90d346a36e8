// t(): a message of the reader's language, its {parameters} filled in, its plural form
// chosen with Intl.PluralRules on the parameter `n`; and times, numbers and durations
// written the reader's way with Intl (times in UTC when the reader asks for it).
// The state is one module-level setting: the page is drawn in one language at a time,
// and a change of language redraws it (see ../main.ts).
import { ar } from './ar.ts';
import { dateTimeFormat, listFormat, numberFormat, pluralRules } from './formatters.ts';
import { he } from './he.ts';
import { type Locale, dirOf } from './locale.ts';
import { en, type Message, type MessageKey, type Messages } from './messages.ts';
import { ru } from './ru.ts';

export const TABLES: Record<Locale, Messages> = { en, ar, he, ru };

let locale: Locale = 'en';
let utc = false;
let plurals = new Intl.PluralRules('en');
let numbers = new Intl.NumberFormat('en');

export function setLocale(l: Locale): void {
  locale = l;
  plurals = pluralRules(l);
  numbers = numberFormat(l, { maximumFractionDigits: 2 });
}

export function getLocale(): Locale {
  return locale;
}

export function setUtc(on: boolean): void {
  utc = on;
}

export function getUtc(): boolean {
  return utc;
}

export function dir(): 'rtl' | 'ltr' {
  return dirOf(locale);
}

export type Params = Record<string, string | number>;

/** The form of `m` for the count `n` (the `other` form when the language has no such category). */
export function pluralForm(m: Message, n: number, rules: Intl.PluralRules = plurals): string {
  if (typeof m === 'string') return m;
  return m[rules.select(n)] ?? m.other;
}

/** Fills {name} from params; numbers are written the reader's way. A missing parameter stays visible as {name}. */
export function interpolate(s: string, params: Params = {}, fmt: Intl.NumberFormat = numbers): string {
  return s.replace(/\{(\w+)\}/g, (whole, name: string) => {
    const v = params[name];
    if (v === undefined) return whole;
    return typeof v === 'number' ? fmt.format(v) : v;
  });
}

/** The message `key` in the current language (English where a table has no text for it). */
export function t(key: MessageKey, params?: Params): string {
  const m = TABLES[locale][key] ?? en[key];
  const n = params?.n;
  return interpolate(pluralForm(m, typeof n === 'number' ? n : 0), params);
}

/** The same in a given language, for tests and for the language menu. */
export function tIn(l: Locale, key: MessageKey, params?: Params): string {
  const m = TABLES[l][key];
  const n = params?.n;
  return interpolate(pluralForm(m, typeof n === 'number' ? n : 0, pluralRules(l)), params, numberFormat(l, { maximumFractionDigits: 2 }));
}

/** A number the reader's way ("1,234.5", "١٬٢٣٤٫٥", "1 234,5"). */
export function formatNumber(n: number, options?: Intl.NumberFormatOptions): string {
  return options ? numberFormat(locale, options).format(n) : numbers.format(n);
}

/** A time the reader's way, in this browser's time zone or in UTC, the zone always named. */
export function formatTime(value: string | number | null | undefined): string {
  if (value === null || value === undefined) return '—';
  const d = new Date(value);
  if (Number.isNaN(d.getTime())) return String(value);
  return dateTimeFormat(locale, {
    year: 'numeric',
    month: 'short',
    day: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    hourCycle: 'h23',
    timeZoneName: 'short',
    ...(utc ? { timeZone: 'UTC' } : {}),
  }).format(d);
}

/** A duration the reader's way: "12 min", "3 h 4 min", "2 d 5 h". */
export function formatDuration(ms: number): string {
  const unit = (n: number, u: string) => numberFormat(locale, { style: 'unit', unit: u, unitDisplay: 'short' }).format(n);
  const abs = Math.abs(ms);
  const min = Math.floor(abs / 60_000);
  if (min < 1) return unit(Math.round(abs / 1000), 'second');
  if (min < 120) return unit(min, 'minute');
  const hours = Math.floor(min / 60);
  if (hours < 48) return `${unit(hours, 'hour')} ${unit(min % 60, 'minute')}`;
  return `${unit(Math.floor(hours / 24), 'day')} ${unit(hours % 24, 'hour')}`;
}

/** A list the reader's way ("a, b and c" in each language's words). */
export function formatList(items: string[]): string {
  return listFormat(locale, { style: 'short', type: 'unit' }).format(items);
}
