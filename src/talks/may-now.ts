// What the round's state lets a command do now, as one pure function over a few facts
// that both the talks state (the decider) and an actor's view of the talks (the page)
// hold: so that a form disabled in the page is disabled for the very reason the server
// would refuse it with, and the page need not guess.
import type { CommandKind } from './limits.ts';

/** The current round as far as the order of the talks depends on it. */
export interface RoundFacts {
  /** the current round's number (1 before any round was opened) */
  round: number;
  /** its deadline (ms), or null */
  deadline: number | null;
  /** the announcement that closed it, if any */
  announced: { draft: number; time: number } | null;
  /** the current draft's version and round (null: no draft yet) */
  draft: { version: number; round: number } | null;
}

export type BlockCode = 'round-open' | 'announced' | 'deadline-passed' | 'no-draft';

/** Why a command cannot be taken now: a code, the facts behind it, and the server's words. */
export interface Blocker {
  code: BlockCode;
  round: number;
  draft?: number;
  /** ms: the deadline passed, or the announcement's time */
  time?: number;
  message: string;
}

const IN_ROUND = new Set<CommandKind>(['draft', 'stance', 'approve', 'announce', 'withdraw']);
const ON_DRAFT = new Set<CommandKind>(['stance', 'approve', 'announce', 'withdraw']);

const iso = (ms: number) => new Date(ms).toISOString();

/**
 * The order of rounds: a closed round takes only open-round; open-round only a closed
 * round; a round past its binding deadline (rounds after the first) takes no step toward
 * a text; a new round's draft is needed before stances on it. Null: the order allows it
 * (role, the draft's version and the rest are still the decider's to judge).
 */
export function roundBlocker(f: RoundFacts, kind: CommandKind, now: number): Blocker | null {
  const r = f.round;
  if (kind === 'open-round') return f.announced ? null : { code: 'round-open', round: r, message: `round ${r} is still open: its text is not announced yet` };
  if (f.announced)
    return {
      code: 'announced',
      round: r,
      draft: f.announced.draft,
      time: f.announced.time,
      message: `the text was announced (draft ${f.announced.draft}, ${iso(f.announced.time)}); the talks are closed until the mediator opens a new round`,
    };
  if (r > 1 && f.deadline !== null && now > f.deadline && IN_ROUND.has(kind))
    return {
      code: 'deadline-passed',
      round: r,
      time: f.deadline,
      message: `round ${r}'s deadline (${iso(f.deadline)}) has passed: the mediator may propose an extension, the guarantor approve it`,
    };
  if (ON_DRAFT.has(kind) && f.draft && f.draft.round !== r)
    return { code: 'no-draft', round: r, message: `round ${r} has no draft yet (draft ${f.draft.version} is round ${f.draft.round}'s)` };
  return null;
}

/** The part of an actor's talks view (view.ts) the facts are read from. */
export interface FactsView {
  current: number | null;
  drafts: { version: number; round: number }[];
  announcement: { draft: number; time: string } | null;
  rounds: { number: number; deadline: string | null; announced: { draft: number; time: string } | null }[];
  deadline: { round: number; at: string | null } | null;
}

/** The same facts as an actor's view of the talks holds them (what the page has). */
export function factsFromView(v: FactsView): RoundFacts {
  const round = v.deadline?.round ?? v.rounds.at(-1)?.number ?? 1;
  const listed = v.rounds.find((r) => r.number === round);
  const at = v.deadline?.at ?? listed?.deadline ?? null;
  // Round 1 is listed only once something happened to it; until then the one announcement there can be is its.
  const a = listed ? listed.announced : round === 1 ? v.announcement : null;
  const d = v.drafts.find((x) => x.version === v.current);
  return {
    round,
    deadline: at === null ? null : Date.parse(at),
    announced: a ? { draft: a.draft, time: Date.parse(a.time) } : null,
    draft: d ? { version: d.version, round: d.round } : null,
  };
}
