// A text the arrangement or the talks may give in several languages: a string, or
// { en, ar, he, ru, … } by language. The reader's language is shown when it is there,
// else English, else the first language given.
import { getLocale } from './i18n.ts';

export type Localized = string | Readonly<Record<string, string>>;

export function localized(v: Localized | null | undefined, locale: string = getLocale()): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'string') return v;
  return v[locale] ?? v.en ?? Object.values(v)[0] ?? '';
}
