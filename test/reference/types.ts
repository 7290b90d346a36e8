// The arrangement and report shapes the reference reads, written from
// docs/spec/arrangement.md and reports.md (not imported from src/, on purpose).
// Geometry is inline only: the reference is handed documents whose `{file, feature}`
// references have already been resolved.

import type { PolygonGeometry, Pos, Side } from './geometry.ts';

export type Role = 'party' | 'mediator' | 'guarantor' | 'observer' | 'third-party';

export interface RefActor {
  id: string;
  name?: string;
  role: Role;
}

export interface RefLine {
  id: string;
  geometry: { type: 'LineString'; coordinates: Pos[] } | { type: 'MultiLineString'; coordinates: Pos[][] };
}

export interface RefZone {
  id: string;
  name?: string;
  geometry?: PolygonGeometry;
  band?: { of: string; km: [number, number]; side: Side };
  minus?: string[];
  altitude_m?: [number, number];
}

export interface Comparison {
  gt?: number;
  gte?: number;
  lt?: number;
  lte?: number;
  eq?: number | string;
}

interface RuleBase {
  id: string;
  cite?: string;
}
export interface PresenceRule extends RuleBase {
  kind: 'presence';
  zone: string;
  only?: string[];
  forbid?: string[];
  categories?: string[];
}
export interface LimitRule extends RuleBase {
  kind: 'limit';
  zone: string;
  actor: string;
  asset: string;
  max: number;
  where?: Record<string, Comparison>;
}
export interface NoticeRule extends RuleBase {
  kind: 'notice';
  actor: string;
  zone: string;
  lead: string;
  ack?: string;
}
export interface SeparationRule extends RuleBase {
  kind: 'separation';
  between: [string, string];
  km: number;
  m?: number;
  lookahead?: string;
}
export interface CommitmentCondition {
  zone: string;
  asset?: string;
  min?: number;
}
export interface CommitmentRule extends RuleBase {
  kind: 'commitment';
  actor: string;
  due?: string;
  after?: string;
  within?: string;
  present?: CommitmentCondition;
  absent?: { zone: string; asset?: string };
}
export interface InspectionRule extends RuleBase {
  kind: 'inspection';
  actor: string;
  zones: string[];
  every: string;
}
export type RefRule = PresenceRule | LimitRule | NoticeRule | SeparationRule | CommitmentRule | InspectionRule;

export interface RefArrangement {
  detente: 1;
  id: string;
  title: string;
  venue?: string;
  announce_by?: string;
  actors: RefActor[];
  assets: { id: string }[];
  lines?: RefLine[];
  zones: RefZone[];
  rules: RefRule[];
}

/** Every report field the monitor reads; a parsed NDJSON line, already valid. */
export interface RefReport {
  type: 'observation' | 'track' | 'notification' | 'ack' | 'inspection';
  id: string;
  time: string;
  source?: string;
  unit?: string;
  actor?: string;
  category?: string;
  kind?: string;
  status?: string;
  position?: Pos;
  altitude_m?: number;
  velocity?: { east_mps?: number; north_mps?: number; up_mps?: number };
  holdings?: Record<string, number>;
  attrs?: Record<string, Record<string, number | string>>;
  zone?: string;
  window?: { from: string; to: string };
  units?: string[];
  purpose?: string;
  notification?: string;
  zones?: string[];
  summary?: string;
}
