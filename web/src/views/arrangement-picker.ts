// For a token with a part in several arrangements: the list to pick one from (before the
// page loads one), and a switch in the header once one is shown. A choice is a new
// address (?arrangement=<id>) and a fresh page, so nothing of one arrangement stays on
// screen with another's.
import { addressFor } from '../api/arrangement-choice.ts';
import type { ArrangementSeat } from '../api/types.ts';
import { h } from '../dom.ts';
import { t } from '../i18n/i18n.ts';
import { localized } from '../i18n/localized.ts';

const go = (id: string) => window.location.assign(addressFor(id));

export function arrangementPicker(seats: readonly ArrangementSeat[]): HTMLElement {
  return h(
    'div',
    { class: 'login arrangement-picker', 'data-test': 'arrangement-picker' },
    h('h1', {}, t('app.name')),
    h('p', {}, t('picker.intro')),
    h(
      'ul',
      {},
      seats.map((s) =>
        h(
          'li',
          {},
          h('button', { type: 'button', 'data-test': `pick-${s.id}`, onclick: () => go(s.id) }, localized(s.title)),
          ' ',
          h('span', { class: 'muted' }, t('picker.seat', { name: localized(s.name ?? s.actor), role: t(`role.${s.role}`) })),
        ),
      ),
    ),
  );
}

/** The header's switch between the arrangements; nothing for a token of one. */
export function arrangementSwitch(seats: readonly ArrangementSeat[], current: string): HTMLElement | null {
  if (seats.length <= 1) return null;
  const select = h(
    'select',
    { 'data-test': 'arrangement-switch', 'aria-label': t('picker.switch'), onchange: () => go(select.value) },
    seats.map((s) => h('option', { value: s.id, selected: s.id === current }, localized(s.title))),
  );
  return select;
}
