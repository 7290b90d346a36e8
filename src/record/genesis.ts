// The genesis: the record's first entry, the `arrangement` statement with the initial
// key book. It must be endorsed by every party and the guarantor, each with a key the
// genesis lists for it, so that no record can begin under keys a party never agreed to
// (the mediator who runs the server writes the file, but cannot choose the parties' keys).
// Pure: the server, `detente verify` and the web client all judge a genesis here.

import { genesisKeysOf } from './key-book.ts';
import { endorsementProblem, type Entry } from './statement.ts';

/** Who must endorse the genesis besides its author. */
export const ENDORSING_ROLES = ['party', 'guarantor'] as const;

/**
 * The genesis statement's time: the arrangement's `announce_by` when it has one, else
 * the epoch. It is fixed by the file so that every party builds the same statement
 * offline and can sign it before the server starts; when the record began is told by
 * the entry's `received` and the first checkpoint, not by this.
 */
export function genesisTime(announceBy: number | undefined): string {
  return new Date(announceBy ?? 0).toISOString();
}

export interface GenesisJudgement {
  /** false for a genesis without a key book (a record from before keys were recorded) */
  keyed: boolean;
  /** one line per missing or failing endorsement, naming the actor */
  gaps: string[];
}

/** Which endorsements a genesis entry lacks: every party and the guarantor must endorse with one of its genesis keys. */
export function judgeGenesis(entry: Entry): GenesisJudgement {
  const g = genesisKeysOf(entry.statement.body);
  if (!g) return { keyed: false, gaps: ['genesis has no endorsements'] };
  const gaps: string[] = [];
  const endorsements = entry.endorsements ?? [];
  for (const [actor, role] of Object.entries(g.roles).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    if (!(ENDORSING_ROLES as readonly string[]).includes(role) || actor === entry.statement.author) continue;
    const keys = g.keys[actor] ?? [];
    const mine = endorsements.filter((e) => keys.includes(e.key));
    if (mine.length === 0) {
      gaps.push(`genesis lacks the endorsement of "${actor}" (${role}) by one of its genesis keys${keys.length ? '' : ' (it lists none)'}`);
      continue;
    }
    const problems = mine.map((e) => endorsementProblem(entry.statement, e));
    if (problems.every((p) => p !== undefined)) gaps.push(`genesis: "${actor}": ${problems[0]}`);
  }
  // The mediator writes the file and authors the genesis; nobody else speaks for it.
  const mediator = Object.keys(g.roles).find((a) => g.roles[a] === 'mediator');
  if (mediator !== undefined && entry.statement.author !== mediator)
    gaps.push(`genesis is authored by "${entry.statement.author}", not by the mediator "${mediator}"`);
  return { keyed: true, gaps };
}
