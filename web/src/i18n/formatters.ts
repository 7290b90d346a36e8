// Intl formatters, made once per (locale, options) and kept: building one costs far more
// than using it (ICU loads the locale's data each time), and lists of findings format a
// time per row. UTC is one of the options (timeZone), so (locale, utc, options) is one key.
type Options = Record<string, unknown>;

const made = new Map<string, unknown>();

/** The options as a key that does not depend on the order they were written in. */
function keyOf(kind: string, locale: string, options: Options | undefined): string {
  const entries = Object.entries(options ?? {})
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `${kind}\u0000${locale}\u0000${JSON.stringify(entries)}`;
}

function kept<T>(kind: string, locale: string, options: Options | undefined, make: () => T): T {
  const key = keyOf(kind, locale, options);
  let f = made.get(key) as T | undefined;
  if (f === undefined) {
    f = make();
    made.set(key, f);
  }
  return f;
}

export function dateTimeFormat(locale: string, options?: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  return kept('date', locale, options as Options, () => new Intl.DateTimeFormat(locale, options));
}

export function numberFormat(locale: string, options?: Intl.NumberFormatOptions): Intl.NumberFormat {
  return kept('number', locale, options as Options, () => new Intl.NumberFormat(locale, options));
}

export function listFormat(locale: string, options?: Intl.ListFormatOptions): Intl.ListFormat {
  return kept('list', locale, options as Options, () => new Intl.ListFormat(locale, options));
}

export function pluralRules(locale: string): Intl.PluralRules {
  return kept('plural', locale, undefined, () => new Intl.PluralRules(locale));
}
