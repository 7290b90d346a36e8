// Puts the page in the reader's language before anything is drawn: the table, the
// time zone choice, and <html lang dir>, so that the browser's own behaviour (text
// direction, fonts, hyphenation, the form controls' words) follows.
import { dir, getLocale, setLocale, setUtc } from './i18n.ts';
import { initialLocale, initialUtc } from './locale.ts';

export function applyReaderLanguage(): void {
  setLocale(initialLocale());
  setUtc(initialUtc());
  document.documentElement.lang = getLocale();
  document.documentElement.dir = dir();
}
