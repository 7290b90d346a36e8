// Country labels in the reader's language. Natural Earth names its countries in English
// and by ISO 3166 numeric code; Intl.DisplayNames names regions by their alpha-2 code in
// any language the browser knows, so the codes of the region this map shows are mapped
// here (a country not listed keeps Natural Earth's English name).
import { getLocale } from '../i18n/i18n.ts';

const ALPHA2: Record<string, string> = {
  '196': 'CY',
  '275': 'PS',
  '368': 'IQ',
  '376': 'IL',
  '400': 'JO',
  '422': 'LB',
  '682': 'SA',
  '760': 'SY',
  '792': 'TR',
  '818': 'EG',
};

export function countryName(isoNumeric: string | undefined, fallback: string, locale: string = getLocale()): string {
  const code = isoNumeric === undefined ? undefined : ALPHA2[isoNumeric];
  if (!code) return fallback;
  try {
    return new Intl.DisplayNames([locale], { type: 'region', fallback: 'none' }).of(code) ?? fallback;
  } catch {
    return fallback;
  }
}
