// A clause's text: one paragraph, or, for a clause given in several languages, a tab per
// language with the prevailing one marked. The tab first shown is the reader's own
// language when the clause has it, else the prevailing text. Each text carries its
// `lang`, and `dir="rtl"` for Arabic, Hebrew and the other right-to-left scripts.
import { isRtl } from '../../../src/talks/texts.ts';
import { h } from '../dom.ts';
import { getLocale, t } from '../i18n/i18n.ts';
import { LOCALE_NAMES } from '../i18n/locale.ts';

interface ClauseLike {
  id: string;
  text: string;
  texts?: Record<string, string>;
  prevailing?: string;
}

// Each language by its own name, as the language menu lists them.
const NAMES: Record<string, string> = { ...LOCALE_NAMES, tr: 'Türkçe', fr: 'Français' };

/** The clause's text in the reader's language when it has one, else its text. */
export function readerText(cl: ClauseLike, locale: string = getLocale()): string {
  return cl.texts?.[locale] ?? cl.text;
}

export function clauseText(cl: ClauseLike, readerLanguages: readonly string[] = navigator.languages ?? []): HTMLElement {
  const texts = cl.texts;
  const prevailing = cl.prevailing;
  // A text in one language keeps its own direction (dir=auto), whatever the page's.
  if (!texts || !prevailing) return h('p', { class: 'clause-text', dir: 'auto' }, cl.text);
  const langs = Object.keys(texts).sort((a, b) => (a === prevailing ? -1 : b === prevailing ? 1 : a.localeCompare(b)));
  const own = readerLanguages.map((l) => l.split('-')[0]).find((l) => Object.hasOwn(texts, l));
  let shown = own ?? prevailing;
  const body = h('p', { class: 'clause-text', 'data-test': 'clause-text' });
  const tabs = langs.map((lang) =>
    h(
      'button',
      {
        type: 'button',
        role: 'tab',
        class: 'lang-tab',
        'data-lang': lang,
        lang,
        'data-test': 'clause-lang',
        title: lang === prevailing ? t('clause.prevailingHint') : '',
        onclick: () => show(lang),
      },
      NAMES[lang] ?? lang,
      lang === prevailing ? h('span', { class: 'badge' }, t('clause.prevailing')) : null,
    ),
  );
  function show(lang: string): void {
    shown = lang;
    body.textContent = texts![lang];
    body.setAttribute('lang', lang);
    body.setAttribute('dir', isRtl(lang) ? 'rtl' : 'ltr');
    for (const t of tabs) t.setAttribute('aria-selected', String(t.dataset.lang === lang));
  }
  show(shown);
  return h('div', { class: 'clause-texts', 'data-clause': cl.id }, h('div', { class: 'lang-tabs', role: 'tablist' }, tabs), body);
}
