// The header's language menu and UTC switch. A change is remembered (localStorage) and
// the page is drawn again from the start in the new language: every view then writes
// its words, times and numbers afresh, and nothing built in the old one stays behind.
import { h } from '../dom.ts';
import { getLocale, getUtc, t } from '../i18n/i18n.ts';
import { isLocale, LOCALE_NAMES, LOCALES, rememberLocale, rememberUtc } from '../i18n/locale.ts';

export function localeMenu(redraw: () => void = () => window.location.reload()): HTMLElement {
  const select = h(
    'select',
    {
      'aria-label': t('header.language'),
      title: t('header.language'),
      'data-test': 'language',
      onchange: () => {
        if (!isLocale(select.value)) return;
        rememberLocale(select.value);
        redraw();
      },
    },
    LOCALES.map((l) => h('option', { value: l, lang: l, selected: l === getLocale() }, LOCALE_NAMES[l])),
  );
  const utc = h('input', {
    type: 'checkbox',
    'data-test': 'utc',
    checked: getUtc(),
    onchange: () => {
      rememberUtc(utc.checked);
      redraw();
    },
  });
  return h('span', { class: 'locale-menu' }, select, h('label', { class: 'utc', title: t('header.utcHint') }, utc, t('header.utc')));
}
