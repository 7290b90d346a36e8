// The joint channel as one actor may see it: the channel's sessions and messages to the
// parties and the mediator (policy item `joint`); consents to their authors and the
// mediator (each is said to the mediator, like a submission).

import { type Actor, canSee } from '../policy/policy.ts';
import { channelOf } from './channel.ts';
import { iso } from './state.ts';
import type { TalksState } from './types.ts';

export interface JointView {
  /** the open session, null while closed */
  open: number | null;
  sessions: number;
  /** consents the viewer may see: its own (a party), every one (the mediator) */
  consents: { party: string; time: string }[];
  messages: { id: string; from: string; time: string; session: number; text: string }[];
  log: { session: number; by: string; time: string; what: 'open' | 'close'; note: string | null }[];
}

/** The channel for this actor, or null when it may not see it. */
export function jointView(state: TalksState, actor: Actor): JointView | null {
  if (!canSee(actor, { kind: 'joint' })) return null;
  const c = channelOf(state);
  return {
    open: c.open,
    sessions: c.sessions,
    consents: c.consents.filter((x) => canSee(actor, { kind: 'submission', author: x.party })).map((x) => ({ party: x.party, time: iso(x.time) })),
    messages: c.messages.map((m) => ({ id: m.id, from: m.author, time: iso(m.time), session: m.session, text: m.text })),
    log: c.log.map((l) => ({ ...l, time: iso(l.time) })),
  };
}
