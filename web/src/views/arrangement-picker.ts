// For a token with a part in several arrangements: the list to pick one from (before the
// page loads one), and a switch in the header once one is shown. A choice is a new
// address (?arrangement=<id>) and a fresh page, so nothing of one arrangement stays on
// screen with another's.
import { addressFor } from '../api/arrangement-choice.ts';
import type { ArrangementSeat } from '../api/types.ts';
import { h } from '../dom.ts';

const go = (id: string) => window.location.assign(addressFor(id));

export function arrangementPicker(seats: readonly ArrangementSeat[]): HTMLElement {
  return h(
    'div',
    { class: 'login arrangement-picker', 'data-test': 'arrangement-picker' },
    h('h1', {}, 'Détente'),
    h('p', {}, 'This token has a part in several arrangements. Choose one:'),
    h(
      'ul',
      {},
      seats.map((s) =>
        h(
          'li',
          {},
          h('button', { type: 'button', 'data-test': `pick-${s.id}`, onclick: () => go(s.id) }, s.title),
          h('span', { class: 'muted' }, ` as ${s.name ?? s.actor} (${s.role})`),
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
    { 'data-test': 'arrangement-switch', 'aria-label': 'arrangement', onchange: () => go(select.value) },
    seats.map((s) => h('option', { value: s.id, selected: s.id === current }, s.title)),
  );
  return select;
}
