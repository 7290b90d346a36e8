// Findings out (docs/spec/reports.md): one object per transition, fields in
// the spec's order so that NDJSON output reads the same as its examples.
import type { Confidence } from '../arrangement/evidence.ts';
import type { RuleKind } from '../arrangement/types.ts';

export type FindingKind =
  | 'violation'
  | 'unnotified'
  | 'late-notice'
  | 'unacknowledged'
  | 'separation'
  | 'loss'
  | 'commitment'
  | 'inspection-overdue'
  | 'challenge'
  | 'late-inspection'
  | 'access-refused';
export type FindingState = 'open' | 'closed' | 'due' | 'fulfilled' | 'overdue';

export interface Finding {
  finding: FindingKind;
  state: FindingState;
  rule: string;
  kind: RuleKind;
  time: string;
  report?: string;
  actor?: string;
  zone?: string;
  asset?: string;
  observed?: number;
  max?: number;
  units?: string[];
  category?: string;
  notification?: string;
  lead_s?: number;
  missing?: string[];
  cpa_s?: number;
  cpa_km?: number;
  cpa_m?: number | null;
  deadline?: string;
  /** a rung of the escalation ladder of a notice still unacknowledged: which, its word, and whom it reaches */
  escalation?: { step: number; to: string; actors: string[] };
  /** the challenge inspection request it is about (docs/inspections.md), and the party that made it */
  challenge?: string;
  requested_by?: string;
  /**
   * How well the reports behind it establish it, per the arrangement's `evidence`
   * (docs/evidence.md); only when the arrangement has that section (absent: confirmed).
   */
  confidence?: Confidence;
  /** on a transition that only changes the confidence (its state unchanged): the confidence before */
  confidence_was?: Confidence;
  /**
   * The refs of the reports it rests on, ascending (Monitor.push): the report that
   * caused it and those behind what the rule counted. Only when reports came with refs.
   */
  basis?: number[];
  /**
   * why it closed other than by what was reported: "superseded by draft N of round R"
   * (monitor/switch.ts), or "withdrawn on dispute N" (a server's dispute resolution; its reasons are sealed with it)
   */
  reason?: string;
}

export const FINDING_KINDS: readonly FindingKind[] = [
  'violation',
  'unnotified',
  'late-notice',
  'unacknowledged',
  'separation',
  'loss',
  'commitment',
  'inspection-overdue',
  'challenge',
  'late-inspection',
  'access-refused',
];

/**
 * The kinds a stream of reports alone never gives: a challenge inspection's, which start
 * from a server's challenge statement (Monitor.challenge), not from a report.
 */
export const CHALLENGE_KINDS: readonly FindingKind[] = ['challenge', 'late-inspection', 'access-refused'];

/** A finding's own facts, whatever form its basis takes (refs here, record addresses in a server's view). */
export type FindingFacts = Omit<Finding, 'basis'>;

/**
 * Is this finding, left open at the end, a breach of the arrangement (exit code 1 of
 * `detente check`)? An unconfirmed one is not, unless `anyConfidence`: one C3 claim
 * is a reason to look, not a breach established.
 */
export function isBreach(f: FindingFacts, anyConfidence = false): boolean {
  if (!anyConfidence && f.confidence === 'unconfirmed') return false;
  if (f.finding === 'commitment') return f.state === 'overdue';
  // A request for an inspection is news, not a breach: the late inspection or the refusal is.
  if (f.finding === 'challenge') return false;
  return f.state === 'open' && f.finding !== 'separation';
}

/** Findings a report raises, whose confidence the arrangement's evidence rules judge; the others rest on the record itself. */
export function judgedByEvidence(f: FindingFacts): boolean {
  return f.finding === 'violation' || f.finding === 'unnotified' || f.finding === 'late-notice' || f.finding === 'separation' || f.finding === 'loss';
}

/**
 * The finding's subject, per the spec: one open transition per rule and subject
 * until it closes. Transitions with the same key open and close the same thing.
 */
export function subjectKey(f: FindingFacts): string {
  switch (f.kind) {
    case 'limit':
    case 'commitment':
      return f.rule;
    case 'inspection':
      // A challenge's findings are one subject each per request, apart from the periodic duty's.
      return f.challenge === undefined ? `${f.rule}|${f.zone}` : `${f.rule}|${f.zone}|${f.challenge}|${f.finding}`;
    // A unit is named by its id and its actor (two actors may use one id); the id
    // comes first so that subjects order by unit id, as they did when ids were unique.
    // A notice rule has two kinds of subject, a unit and a notification (unacknowledged):
    // they order together by id, untagged, so that a unit's late notice and a duty whose
    // window ends at that report's time come in subject order, not kind order. They
    // cannot collide: a unit's key holds a \0, an id never does.
    case 'notice':
      return f.finding === 'unacknowledged' ? `${f.rule}|${f.notification}` : `${f.rule}|${f.units?.[0]}\0${f.actor}`;
    case 'presence':
      return `${f.rule}|u:${f.units?.[0]}\0${f.actor}`;
    default:
      return `${f.rule}|u:${f.units?.join(',')}`;
  }
}

/** The subject in words, for people: "u2", "il-f16 ↔ ru-il20", "sy in sy-0-10", "n-4". */
export function subjectText(f: FindingFacts): string {
  switch (f.kind) {
    case 'limit':
      return `${f.actor} in ${f.zone}`;
    case 'commitment':
      return f.actor ?? '';
    case 'inspection':
      return `${f.actor} in ${f.zone}`;
    case 'notice':
      return f.finding === 'unacknowledged' ? `notice ${f.notification}` : (f.units?.[0] ?? '');
    default:
      return f.units?.join(' ↔ ') ?? '';
  }
}
