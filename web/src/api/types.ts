// The shapes the server answers with, as this page reads them. Where the project
// already defines a shape (findings, the talks view, the gap report), it is imported
// from there, so that the page and the server cannot drift apart.
import type { Feature, FeatureCollection, LineString, MultiLineString, MultiPolygon, Polygon } from 'geojson';
import type { Finding } from '../../../src/monitor/findings.ts';
import type { Role } from '../../../src/policy/policy.ts';

export type { FindingKind, FindingState } from '../../../src/monitor/findings.ts';
export type { GapReport, GapClause, GapIssue, GapStance } from '../../../src/talks/gap.ts';
export type { TalksView, DraftView, StanceView, SubmissionView, RelayView, IssueView } from '../../../src/talks/view.ts';
export type { Role };

/** GET /api/me */
export interface Me {
  id: string;
  role: Role;
  name?: string;
  arrangement: string;
}

export interface ActorInfo {
  id: string;
  name: string;
  role: Role;
}

export interface ZoneProps {
  id: string;
  name: string;
  note?: string;
  approximate: boolean;
  /** 'band': measured at a distance from a line or zone; 'polygon': drawn */
  shape: 'band' | 'polygon';
  band?: { of: string; km: [number, number]; side: string };
  minus: string[];
  altitude_m?: [number, number];
  area_km2: number;
  outline_exact: boolean;
}

export interface LineProps {
  id: string;
  name: string;
  note?: string;
  approximate: boolean;
}

/** A rule as written in the arrangement file, with `from_text` when an announced clause brought it in. */
export interface RuleView {
  id: string;
  kind: string;
  text?: string;
  cite?: string;
  from_text?: { clause: string; draft: number };
  [field: string]: unknown;
}

/** GET /api/arrangements/{id} */
export interface ArrangementView {
  id: string;
  title: string;
  venue?: string;
  announce_by?: string;
  actors: ActorInfo[];
  assets: { id: string; name?: string; attrs?: string[] }[];
  lines: FeatureCollection<LineString | MultiLineString, LineProps>;
  zones: FeatureCollection<Polygon | MultiPolygon, ZoneProps>;
  rules: RuleView[];
}

export type ZoneFeature = Feature<Polygon | MultiPolygon, ZoneProps>;

/** A finding transition as the server books it: its place in the book, then the finding. */
export interface BookedFinding extends Finding {
  seq: number;
}

/** One unit in GET …/posture and in `posture` events. */
export interface UnitReport {
  unit: string;
  actor: string;
  category?: string;
  position: [number, number];
  altitude_m?: number;
  holdings?: Record<string, number>;
  velocity?: { east_mps: number; north_mps: number; up_mps: number };
  time: string;
  /** in events: the unit is gone from the posture */
  withdrawn?: boolean;
}

/** GET …/posture, and the data of a `posture` event (there: changed units only). */
export interface Posture {
  time: string;
  units: UnitReport[];
}

/** The data of a `checkpoint` event. */
export interface CheckpointEvent {
  size: number;
  checkpoint: string;
}

/** The data of a `talks` event: something changed; the view is fetched again. */
export interface TalksEvent {
  type: string;
  time: string;
}

/** A 4xx body. */
export interface ErrorBody {
  error: string;
  code?: string;
  issues?: { path: string; message: string }[];
}
