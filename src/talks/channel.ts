// The joint channel: from indirect talks to direct ones. Each party consents (to the
// mediator: its consent is like a submission, the other party does not learn of it from
// the talks); once every party consents the mediator opens the channel; the parties and
// the mediator then speak in it, each message to all three and sealed on the record;
// either party closes it, and with it every consent lapses (a new session needs new
// consents). The indirect channel goes on beside it, untouched.

import type { CloseJointChannelCommand, ConsentDirectCommand, JointMessageCommand, OpenJointChannelCommand } from './commands.ts';
import { conflict } from './errors.ts';
import { iso, parties } from './state.ts';
import type { DecideContext, JointChannel, TalksEventOf, TalksState } from './types.ts';

type MakeEvent = <T extends 'talks.consent' | 'talks.joint.open' | 'talks.joint.message' | 'talks.joint.close'>(
  type: T,
  body: TalksEventOf<T>['body'],
  sealed?: boolean,
  quiet?: boolean,
) => TalksEventOf<T>;

export function emptyChannel(): JointChannel {
  return { consents: [], open: null, sessions: 0, messages: [], log: [] };
}

/** The channel as it stands (a state from before the channel existed has none). */
export function channelOf(state: TalksState): JointChannel {
  return state.joint ?? emptyChannel();
}

/** Parties that do not consent to direct talks now, in the arrangement's order. */
export function notConsenting(state: TalksState): string[] {
  const c = channelOf(state);
  return parties(state).filter((p) => !c.consents.some((x) => x.party === p));
}

export function consentDirect(state: TalksState, cmd: ConsentDirectCommand, ctx: DecideContext, make: MakeEvent): TalksEventOf<'talks.consent'> {
  const c = channelOf(state);
  const mine = c.consents.find((x) => x.party === ctx.actor.id);
  if (mine) conflict('already-consented', `${ctx.actor.id} has consented to direct talks already (${iso(mine.time)})`);
  return make('talks.consent', { ...(cmd.note !== undefined && { note: cmd.note }) }, false, cmd.quiet === true);
}

export function openJointChannel(state: TalksState, _cmd: OpenJointChannelCommand, _ctx: DecideContext, make: MakeEvent): TalksEventOf<'talks.joint.open'> {
  const c = channelOf(state);
  if (c.open !== null) conflict('channel-open', `the joint channel is open already (session ${c.open})`);
  const missing = notConsenting(state);
  if (parties(state).length === 0) conflict('no-consent', `${state.config.arrangement} names no party to talk directly`);
  if (missing.length > 0)
    conflict('no-consent', `the joint channel needs every party's consent: ${missing.join(', ')} ${missing.length === 1 ? 'has' : 'have'} not consented`);
  return make('talks.joint.open', { session: c.sessions + 1 });
}

export function jointMessage(state: TalksState, cmd: JointMessageCommand, _ctx: DecideContext, make: MakeEvent): TalksEventOf<'talks.joint.message'> {
  const c = channelOf(state);
  if (c.open === null) conflict('channel-closed', 'the joint channel is not open');
  // Sealed: the record must not carry direct talks to those outside them.
  return make('talks.joint.message', { id: `j-${c.messages.length + 1}`, session: c.open as number, text: cmd.text }, true);
}

export function closeJointChannel(state: TalksState, cmd: CloseJointChannelCommand, _ctx: DecideContext, make: MakeEvent): TalksEventOf<'talks.joint.close'> {
  const c = channelOf(state);
  if (c.open === null) conflict('channel-closed', 'the joint channel is not open');
  return make('talks.joint.close', { session: c.open as number, ...(cmd.note !== undefined && { note: cmd.note }) });
}

type ChannelEvent = TalksEventOf<'talks.consent'> | TalksEventOf<'talks.joint.open'> | TalksEventOf<'talks.joint.message'> | TalksEventOf<'talks.joint.close'>;

/** Folds a channel event into the state. */
export function evolveChannel(state: TalksState, event: ChannelEvent): TalksState {
  const c = channelOf(state);
  const { author, time } = event;
  let next: JointChannel;
  switch (event.type) {
    case 'talks.consent':
      next = { ...c, consents: [...c.consents, { party: author, time }] };
      break;
    case 'talks.joint.open':
      next = {
        ...c,
        open: event.body.session,
        sessions: event.body.session,
        log: [...c.log, { session: event.body.session, by: author, time, what: 'open', note: null }],
      };
      break;
    case 'talks.joint.message': {
      const b = event.body;
      next = { ...c, messages: [...c.messages, { id: b.id, author, time, session: b.session, text: b.text }] };
      break;
    }
    case 'talks.joint.close':
      next = {
        ...c,
        open: null,
        consents: [],
        log: [...c.log, { session: event.body.session, by: author, time, what: 'close', note: event.body.note ?? null }],
      };
      break;
  }
  return { ...state, joint: next };
}
