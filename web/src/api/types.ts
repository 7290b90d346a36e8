// The shapes the server answers with, as this page reads them: imported from the
// server and the domain (types only), so that the page and the server cannot drift
// apart. Only what the server has no name for is declared here.
import type { Actor } from '../../../src/policy/policy.ts';
import type { TalksEventType } from '../../../src/talks/types.ts';

export type { FindingKind, FindingState } from '../../../src/monitor/findings.ts';
export type { Role, Actor } from '../../../src/policy/policy.ts';
export type { Actor as ArrangementActor } from '../../../src/arrangement/types.ts';
export type { StanceValue } from '../../../src/talks/limits.ts';
export type { GapReport, GapClause, GapIssue, GapStance } from '../../../src/talks/gap.ts';
export type { TalksView, DraftView, StanceView, SubmissionView, RelayView, IssueView } from '../../../src/talks/view.ts';
export type { ArrangementView, LineProps, RuleView, ZoneFeature, ZoneProps } from '../../../src/server/arrangement-view.ts';
export type { BookedFindingView } from '../../../src/server/findings-book.ts';
export type { PostureChange, PostureView, UnitView, WithdrawnUnit } from '../../../src/server/posture-view.ts';

/** One arrangement a token has a part in (GET /api/arrangements, /api/me's `arrangements`). */
export type ArrangementSeat = import('zod').infer<typeof import('../../../src/server/schemas.ts').ArrangementSeat>;

/** GET /api/me: the token's actor, and the arrangement it acts in (the first of several: `arrangements` lists each). */
export type Me = Actor & { arrangement: string; arrangements?: ArrangementSeat[] };

/** The data of a `checkpoint` event. */
export interface CheckpointEvent {
  size: number;
  checkpoint: string;
}

/** The data of a `talks` event: something changed; the view is fetched again. */
export interface TalksNotice {
  type: TalksEventType;
  time: string;
}

/** A 4xx body. */
export interface ErrorBody {
  error: string;
  code?: string;
  issues?: { path: string; message: string }[];
}

/**
 * The arrangement view with the witnesses it names, once the server passes them through
 * (issue 10); until then the page reads them from the record's genesis entry.
 */
export type ArrangementWithWitnesses = import('../../../src/server/arrangement-view.ts').ArrangementView & {
  witnesses?: import('../../../src/arrangement/types.ts').Witnesses;
};

export type { Analysis as BenchAnalysis } from '../../../src/analyze/analyze.ts';
export type { Zopa } from '../../../src/analyze/zopa.ts';
export type { Forecast } from '../../../src/analyze/forecast.ts';
export type { IssueInput as BenchIssue, Stakeholder as BenchStakeholder, Point as BenchPoint } from '../../../src/analyze/model.ts';

/** A bench model as the mediator put it (docs/spec/analytics.md): plain data, the curve as its text. */
export interface BenchModel {
  frontier?: { disagreement: [number, number]; points?: [number, number][]; curve?: string };
  issues?: import('../../../src/analyze/model.ts').IssueInput[];
  stakeholders?: import('../../../src/analyze/model.ts').Stakeholder[];
}

/** GET …/talks/bench: the mediator's (null, null before any model). */
export interface BenchResponse {
  model: BenchModel | null;
  analysis: import('../../../src/analyze/analyze.ts').Analysis | null;
}
