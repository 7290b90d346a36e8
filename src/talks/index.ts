// The talks: a decider (decide / evolve) over the talks' events, and the views of
// them per role. Pure: no clock, no storage, no HTTP. See README.md.

export { decide } from './decide.ts';
export { talksEvent, isTalksEventType } from './event.ts';
export { evolve, replay } from './evolve.ts';
export { initialState, currentDraft, parties, guarantors, agreed, approved } from './state.ts';
export { gapReport, type GapReport, type GapClause, type GapIssue, type GapPosition, type GapStance } from './gap.ts';
export {
  talksView,
  announced,
  itemOf,
  sealedItem,
  sealedOwnerOf,
  releaseItem,
  visibleEvent,
  type SealedOwner,
  type TalksView,
  type AnnouncedText,
} from './view.ts';
export { channelOf, notConsenting } from './channel.ts';
export { jointView, type JointView } from './channel-view.ts';
export { LANGUAGE_TAG, RTL_LANGUAGES, isRtl } from './texts.ts';
export { textsHash } from './texts-hash.ts';
export { SECTIONS_CLAUSE, sectionsHash, canonicalJson } from './sections-stance.ts';
export { QUIET_ENVELOPE_BYTES } from './decide.ts';
export { TalksError, type TalksStatus, type TalksIssue } from './errors.ts';
export { parseCommand, type TalksCommand } from './commands.ts';
export { COMMAND_KINDS, LIMITS, STANCES, type CommandKind, type StanceValue } from './limits.ts';
export * from './types.ts';
export * from './round-types.ts';
export { currentRound, announcementOf, deadlineDue, nextDeadline, pendingExtension, roundFacts } from './rounds.ts';
export { roundBlocker, type RoundFacts, type Blocker, type BlockCode } from './may-now.ts';
export { textsInForce, type TextInForce, type RoundView, type DeadlineView, type ExtensionView } from './rounds-view.ts';
