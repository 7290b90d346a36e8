// The talks' contract in one place: the command kinds, the stances and the size limits.
// The server's request schemas and the web derive theirs from these, so a limit changed
// here changes everywhere (server/schemas.test.ts holds them to it).

import { TALKS_ACTIONS } from '../policy/policy.ts';

/** Each command is the policy action of the same name (who may run it is the policy's answer). */
export const COMMAND_KINDS = TALKS_ACTIONS;
export type CommandKind = (typeof COMMAND_KINDS)[number];

export const STANCES = ['accept', 'reserve', 'reject'] as const;
export type StanceValue = (typeof STANCES)[number];

export const LIMITS = {
  /** characters of submissions, relays, clause texts */
  text: 20_000,
  note: 2_000,
  title: 200,
  unit: 40,
  /** characters of an id */
  id: 64,
  /** clauses in a draft, and clauses named in a withdrawal */
  clauses: 200,
  rulesPerClause: 100,
  cites: 100,
  /** languages a clause may be given in */
  languages: 12,
  /** characters of a language tag (BCP 47's longest common forms fit) */
  language: 35,
} as const;
