// Which arrangement the page is about, for a token with a part in several: the one named
// in the address (?arrangement=<id>, so a link or a reload keeps it), else none yet (the
// page shows the picker). A token of one arrangement needs no choice.
import type { ArrangementSeat, Me } from './types.ts';

export const PARAM = 'arrangement';

/** The caller as it acts in the chosen arrangement, or undefined when a choice is still to be made. */
export function chosen(me: Me, href = window.location.href): Me | undefined {
  const seats = me.arrangements ?? [];
  if (seats.length <= 1) return me;
  const id = new URL(href).searchParams.get(PARAM);
  const seat = seats.find((s) => s.id === id);
  return seat ? asSeat(me, seat) : undefined;
}

export function asSeat(me: Me, seat: ArrangementSeat): Me {
  return { id: seat.actor, role: seat.role, ...(seat.name !== undefined ? { name: seat.name } : {}), arrangement: seat.id, arrangements: me.arrangements };
}

/** The address of this page about another arrangement. */
export function addressFor(id: string, href = window.location.href): string {
  const url = new URL(href);
  url.searchParams.set(PARAM, id);
  return url.pathname + url.search + url.hash;
}
