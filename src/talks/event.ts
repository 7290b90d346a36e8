// Events read back from the record, typed once at that edge. The body is trusted, not
// re-checked: decide made it, and the record's hashes and signatures kept it as made.
// Only the type is checked, so a record written by a newer version fails loudly here
// instead of folding into a wrong state.

import { EVENT_TYPES, type JsonObject, type TalksEvent, type TalksEventType } from './types.ts';

export function isTalksEventType(type: string): type is TalksEventType {
  return (EVENT_TYPES as readonly string[]).includes(type);
}

/** The talks event a recorded statement holds (its sealed body already opened). */
export function talksEvent(type: string, author: string, time: number, body: JsonObject, sealed: boolean): TalksEvent {
  if (!isTalksEventType(type)) throw new Error(`"${type}" is not a talks event type (expected one of ${EVENT_TYPES.join(', ')})`);
  return { type, author, time, body, sealed } as TalksEvent;
}
