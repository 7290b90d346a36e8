// The talks: a decider (decide / evolve) over the talks' events, and the views of
// them per role. Pure: no clock, no storage, no HTTP. See README.md.

export { decide, MAX_BODY_BYTES } from './decide.ts';
export { evolve, replay } from './evolve.ts';
export { initialState, currentDraft, parties, guarantors, agreed, approved } from './state.ts';
export { gapReport, type GapReport, type GapClause, type GapIssue, type GapPosition, type GapStance } from './gap.ts';
export { talksView, announced, itemOf, sealedItem, visibleEvent, type TalksView, type AnnouncedText } from './view.ts';
export { TalksError, type TalksStatus, type TalksIssue } from './errors.ts';
export { COMMAND_KINDS, LIMITS, type TalksCommand, type CommandKind } from './commands.ts';
export * from './types.ts';
