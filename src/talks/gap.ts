// The gap report: how far the parties are from agreement, as one actor may see it.
// Per clause of the current draft (its sections as the clause `sections`), each party's stance and since which draft; per
// numeric issue, the parties' latest positions and the distance between them; the
// time left to announce_by. Every part is filtered through the policy.

import { canSee, type Actor } from '../policy/policy.ts';
import { agreementIds } from './sections-stance.ts';
import { agreed, currentDraft, iso, parties, stanceOf } from './state.ts';
import type { StanceValue, TalksState } from './types.ts';

export interface GapStance {
  party: string;
  stance: StanceValue | 'withdrawn' | 'none';
  note: string | null;
  /** the draft since which the party has held this stance; null for none */
  since: number | null;
}
export interface GapClause {
  id: string;
  stances: GapStance[];
  /** every party accepts this clause */
  accepted: boolean;
}
export interface GapPosition {
  party: string;
  position: number;
  /** the submission that stated it */
  submission: string;
  time: string;
}
export interface GapIssue {
  id: string;
  title: string;
  unit: string;
  open: boolean;
  positions: GapPosition[];
  /** max − min of the parties' latest positions; null with fewer than two. Only for those who may see the gap. */
  distance?: number | null;
}
export interface GapReport {
  /** the current draft version; null before the first draft or when the actor may not see drafts */
  draft: number | null;
  /** every party accepts every clause; null when the actor may not see stances */
  agreed: boolean | null;
  clauses: GapClause[];
  issues: GapIssue[];
  announce_by: string | null;
  /** ms left to announce_by at `now`, negative once past */
  time_left_ms: number | null;
}

export function gapReport(state: TalksState, actor: Actor, now: number): GapReport {
  const d = currentDraft(state);
  const seesDraft = canSee(actor, { kind: 'draft' });
  const seesStances = seesDraft && canSee(actor, { kind: 'stance' });
  const ps = parties(state);
  const clauses: GapClause[] =
    d && seesStances
      ? agreementIds(d).map((id) => {
          const stances = ps.map((party): GapStance => {
            const s = stanceOf(state, id, party);
            return s ? { party, stance: s.stance, note: s.note, since: s.since } : { party, stance: 'none', note: null, since: null };
          });
          return { id, stances, accepted: ps.length > 0 && stances.every((s) => s.stance === 'accept') };
        })
      : [];
  const by = state.config.announceBy;
  return {
    draft: d && seesDraft ? d.version : null,
    agreed: seesStances ? agreed(state) : null,
    clauses,
    issues: numericIssues(state, actor),
    announce_by: by === undefined ? null : iso(by),
    time_left_ms: by === undefined ? null : by - now,
  };
}

function numericIssues(state: TalksState, actor: Actor): GapIssue[] {
  if (!canSee(actor, { kind: 'issue' })) return [];
  const seesGap = canSee(actor, { kind: 'gap' });
  const out: GapIssue[] = [];
  for (const issue of state.issues) {
    if (issue.unit === null) continue;
    // Each party's latest position: the last submission on this issue that stated one.
    const latest = new Map<string, GapPosition>();
    for (const s of state.submissions) {
      if (s.issue === issue.id && s.position !== null) latest.set(s.author, { party: s.author, position: s.position, submission: s.id, time: iso(s.time) });
    }
    const all = parties(state).flatMap((p) => latest.get(p) ?? []);
    const positions = all.filter((p) => canSee(actor, { kind: 'position', author: p.party }));
    const entry: GapIssue = { id: issue.id, title: issue.title, unit: issue.unit, open: issue.open, positions };
    if (seesGap) entry.distance = all.length < 2 ? null : Math.max(...all.map((p) => p.position)) - Math.min(...all.map((p) => p.position));
    out.push(entry);
  }
  return out;
}
