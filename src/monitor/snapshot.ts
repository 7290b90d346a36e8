// The engine's derived state as plain JSON (Monitor.snapshot / Monitor.restore), so
// that a server restarts from it instead of replaying its whole record. It holds
// what the posture and the open findings need, not the history: per-unit values are
// listed only where they are not zero, notifications and open acknowledgement duties
// as they stand, and deadlines still able to fire. The report ids accepted so far are
// in it only when the engine keeps them in memory (see MonitorOptions.ids).
import type { Confidence } from '../arrangement/evidence.ts';
import type { Support } from './evidence.ts';
import type { ChallengeRequest } from './challenge.ts';
import type { Finding } from './findings.ts';
import type { NotificationReport, UnitReport } from './reports.ts';
import type { IdSetJson } from './id-set.ts';

/** A pending deadline: its time, its place in the queue, and what it is about (indices into the snapshot's lists). */
export type SnapshotDeadline =
  | { at: number; seq: number; k: 'ack'; a: number }
  /** rung `s` of the escalation ladder of ack duty `a` */
  | { at: number; seq: number; k: 'escalate'; a: number; s: number }
  /** the deadline of challenge request `c` (in `challenges` order) */
  | { at: number; seq: number; k: 'challenge'; c: number }
  | { at: number; seq: number; k: 'commitment'; c: number }
  | { at: number; seq: number; k: 'inspection'; i: number; z: number };

export interface MonitorSnapshot {
  v: 1;
  /** the arrangement it was taken under (the rules in force, extensions included, and the zones), to refuse another */
  rules: string[];
  zones: string[];
  started: boolean;
  /** epoch ms; null before the first report (JSON has no -Infinity) */
  clock: number | null;
  seq: number;
  /** per unit, in slot order: actor, id, time of its posture, whether it moves, the posture (null once withdrawn) */
  units: [string, string, number, boolean, UnitReport | null][];
  /** flat [slot, zone] pairs: the zones each unit is in */
  inside: number[];
  /** flat [slot, tally, amount] triples: what each unit adds to each tally */
  contrib: number[];
  /** flat [slot, presence rule slot] pairs: presence violations open about a unit */
  presence: number[];
  /** flat [slot, notice rule slot, kind] triples: notice findings open about a unit */
  notice: number[];
  /** each tally's running total, by slot (kept, not re-added, so that it is the same double) */
  sums: number[];
  /** per limit rule, in rule order: whether its violation is open */
  limits: boolean[];
  /** per commitment rule, in rule order */
  commitments: ('pending' | 'due' | 'fulfilled' | 'overdue')[];
  /** per inspection rule, per zone: the period's start and whether overdue is open */
  inspections: [number, boolean][][];
  /** notifications received, per actor and zone in the order received */
  notifications: NotificationReport[];
  /** acknowledgement duties not yet met: the notification, the rule's index, who is missing, whether open, the ladder's rungs passed (absent: none) */
  acks: { n: NotificationReport; rule: number; missing: string[]; open: boolean; step?: number }[];
  deadlines: SnapshotDeadline[];
  /** the findings open now, in the order openNow() gives them */
  open: Finding[];
  /** per separation rule, in rule order: the time its pairs were last judged at (null: never) */
  separations: (number | null)[];
  /** challenge inspection requests not done with (absent: none): the rule's index, which findings are open, the request's ref */
  challenges?: { c: ChallengeRequest; rule: number; open: boolean; late: boolean; refused?: string; ref?: number }[];
  /** the report ids accepted, when the engine keeps them itself (a list in snapshots written before 3 Dec 2026) */
  ids?: IdSetJson | string[];
  /**
   * The refs findings rest on (Monitor.push), when reports came with refs (-1: none):
   * per unit slot the report behind its posture, per ack duty (in `acks` order) the
   * notification's and the acks', the report that set the clock, per commitment the report that made it due, per
   * inspection zone the report that began its period, per notification (in
   * `notifications` order) its own. A snapshot without it continues without refs.
   */
  basis?: { clock: number; units: number[]; acks: number[][]; commitments: number[]; inspections: number[][]; notifications: number[] };
  /** per open finding the evidence rules judge: its subject, rule index, confidence and the reports behind it (docs/evidence.md) */
  evidence?: [subject: string, rule: number, confidence: Confidence, supports: Support[]][];
}
