// The arrangement as loaded and checked: every reference resolved, every time
// and duration in milliseconds. The document format is docs/spec/arrangement.md.
import type { MultiPolygonCoords, Position, Side } from '../geo/types.ts';
import type { AudienceRule, ContentKind } from '../policy/disclosure.ts';
import type { EvidenceRules } from './evidence.ts';
import { ROLES, type Role } from '../policy/policy.ts';
import type { Place } from './places.ts';

// The roles are the policy's (who may do what follows from them); re-exported for the loader.
export { ROLES, type Role };

/** Translations of a text the arrangement gives in several languages, by language tag (localized-text.ts). */
export type Translations = Readonly<Record<string, string>>;

export interface Actor {
  id: string;
  /** the plain name (English, else the first language written) */
  name: string;
  /** the name in every language written, when the file gives several */
  names?: Translations;
  role: Role;
  /** verifier keys of the people or devices acting for the actor (each named with the actor's id) */
  keys?: string[];
  /** the actor's recovery key, kept offline: only it revokes and replaces the actor's keys */
  recovery?: string;
}

/** A witness the arrangement names: who must cosign the record's checkpoints. */
export interface WitnessKey {
  name: string;
  /** its cosignature/v1 verifier key */
  key: string;
  /** the actor who runs it, when one does */
  actor?: string;
}

export interface Witnesses {
  /** how many of `keys` must cosign a checkpoint before clients accept it */
  quorum: number;
  keys: WitnessKey[];
}
export interface Asset {
  id: string;
  name?: string;
  attrs?: string[];
}

export interface Line {
  id: string;
  name?: string;
  names?: Translations;
  note?: string;
  notes?: Translations;
  approximate?: boolean;
  /** one or more polylines */
  paths: Position[][];
}

export type ZoneShape =
  | { kind: 'polygon'; coordinates: MultiPolygonCoords }
  | { kind: 'band'; of: string; ofKind: 'line' | 'zone'; km: [number, number]; side: Side };

export interface Zone {
  id: string;
  name?: string;
  names?: Translations;
  note?: string;
  notes?: Translations;
  approximate?: boolean;
  shape: ZoneShape;
  minus: string[];
  altitude?: [number, number];
}

export type Comparison = { gt?: number; gte?: number; lt?: number; lte?: number; eq?: number };
export type Where = Record<string, Comparison>;

interface RuleBase {
  id: string;
  cite?: string;
  text?: string;
}

export interface PresenceRule extends RuleBase {
  kind: 'presence';
  zone: string;
  only?: string[];
  forbid?: string[];
  categories?: string[];
  /** the actors the rule binds; others' units are not judged by it (absent: every actor) */
  actors?: string[];
}
export interface LimitRule extends RuleBase {
  kind: 'limit';
  zone: string;
  actor: string;
  asset: string;
  max: number;
  where?: Where;
}
export interface NoticeRule extends RuleBase {
  kind: 'notice';
  actor: string;
  zone: string;
  leadMs: number;
  ackMs?: number;
  /** who hears of a notice still unacknowledged, and when (after the ack deadline), in order (docs/escalation.md) */
  escalation?: EscalationStep[];
}
/**
 * One rung of the ladder: `to` is `notified` (the actors still to acknowledge), `mediator`,
 * `guarantor` (every actor of that role) or one actor's id; `afterMs` counts from the ack deadline.
 */
export interface EscalationStep {
  to: string;
  afterMs: number;
}
export interface SeparationRule extends RuleBase {
  kind: 'separation';
  between: [string, string];
  km: number;
  m: number;
  lookaheadMs: number;
}
export interface Condition {
  zone: string;
  asset?: string;
  min: number;
}
export interface CommitmentRule extends RuleBase {
  kind: 'commitment';
  actor: string;
  due?: number;
  after?: string;
  withinMs?: number;
  present?: Condition;
  absent?: { zone: string; asset?: string };
}
export interface InspectionRule extends RuleBase {
  kind: 'inspection';
  actor: string;
  zones: string[];
  everyMs: number;
  /** a party may request an inspection of one of `zones`; the observer must inspect within this (docs/inspections.md) */
  challengeWithinMs?: number;
}

export type Rule = PresenceRule | LimitRule | NoticeRule | SeparationRule | CommitmentRule | InspectionRule;
export type RuleKind = Rule['kind'];

/** How a server receives reports (an optional key this implementation adds). */
export interface ReportsOptions {
  /** a report may be dated at most this far after the server receives it (default 5 minutes) */
  futureToleranceMs?: number;
}

export interface ArrangementDoc {
  detente: 1;
  id: string;
  title: string;
  titles?: Translations;
  venue?: string;
  venues?: Translations;
  announceBy?: number;
  reports?: ReportsOptions;
  witnesses?: Witnesses;
  /** who reads which monitoring content (docs/spec/arrangement.md "Disclosure"); absent kinds take the default */
  disclosure?: Partial<Record<ContentKind, AudienceRule>>;
  /** what a finding needs to be confirmed or probable (docs/spec/arrangement.md "Evidence"); absent: every finding is confirmed */
  evidence?: EvidenceRules;
  actors: Actor[];
  /** the joint commission that resolves disputes beside the mediator (actor ids), when the arrangement names one */
  commission?: string[];
  /** guarantors who may read the mediator's bench beside the mediator (actor ids), when the arrangement names any */
  bench?: string[];
  assets: Asset[];
  lines: Line[];
  zones: Zone[];
  rules: Rule[];
  /** places the map names (towns, peaks, landmarks); they bind nothing */
  places?: Place[];
}
