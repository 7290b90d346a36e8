// The reader's language and time zone choice: the four languages of the table, which of
// them are written right to left, the one picked from the browser's preferences, and
// what the reader chose before (kept in localStorage, so a reload keeps it).
export const LOCALES = ['en', 'ar', 'he', 'ru'] as const;
export type Locale = (typeof LOCALES)[number];

/** Each language by its own name: the menu lists them so, whatever the page's language. */
export const LOCALE_NAMES: Record<Locale, string> = { en: 'English', ar: 'العربية', he: 'עברית', ru: 'Русский' };

const RTL = new Set<Locale>(['ar', 'he']);
const LANG_KEY = 'detente.lang';
const UTC_KEY = 'detente.utc';

export function isLocale(s: string): s is Locale {
  return (LOCALES as readonly string[]).includes(s);
}

export function dirOf(locale: Locale): 'rtl' | 'ltr' {
  return RTL.has(locale) ? 'rtl' : 'ltr';
}

/** The first of the browser's languages we have ("he-IL" → he), else English. */
export function pickLocale(preferred: readonly string[]): Locale {
  for (const tag of preferred) {
    const base = tag.toLowerCase().split(/[-_]/)[0];
    // "iw" is Hebrew's old code, still sent by some systems.
    const l = base === 'iw' ? 'he' : base;
    if (isLocale(l)) return l;
  }
  return 'en';
}

function stored(key: string): string | null {
  try {
    return globalThis.localStorage?.getItem(key) ?? null;
  } catch {
    // Storage switched off (a private window in some browsers): choices last one page.
    return null;
  }
}

function store(key: string, value: string): void {
  try {
    globalThis.localStorage?.setItem(key, value);
  } catch {
    // as above
  }
}

/** The language to show: the reader's earlier choice, else the browser's. */
export function initialLocale(): Locale {
  const s = stored(LANG_KEY);
  if (s && isLocale(s)) return s;
  return pickLocale(globalThis.navigator?.languages ?? []);
}

export function rememberLocale(l: Locale): void {
  store(LANG_KEY, l);
}

export function initialUtc(): boolean {
  return stored(UTC_KEY) === '1';
}

export function rememberUtc(on: boolean): void {
  store(UTC_KEY, on ? '1' : '0');
}
