// What a reader can re-derive of the findings, from what the disclosure policy lets it
// read. A finding about an actor depends on every report about that actor's units,
// its notifications and the acknowledgements of them; a reader that reads all of those
// in full (policy `seesAllAbout`) runs the same engine over its slice and must get the
// same transitions for that actor's rules as the server published. For any other rule
// the reader's slice is partial, and what it derives there proves nothing either way.
import type { Arrangement } from '../arrangement/compile.ts';
import type { Rule } from '../arrangement/types.ts';
import { contentOfReport, readsInFull, seesAllAbout } from '../policy/disclosure.ts';
import type { Actor } from '../policy/policy.ts';
import type { Finding } from './findings.ts';
import type { Report } from './reports.ts';

/** A report as it stands in the record: where, by whom, and (for an ack) whose notice it answers. */
export interface Filed {
  ref: number;
  author: Actor;
  report: Report;
  /** an acknowledgement's: the actor whose notification it acknowledges, when known */
  notifier?: string;
}

/**
 * The actors a finding is about: whose reports can change it. A presence finding is
 * about one unit's actor (whatever the rule allows others); a separation about both
 * sides; an inspection duty about the observer that owes it.
 */
export function findingSubjects(f: Finding, rule: Rule | undefined): string[] {
  if (rule?.kind === 'separation') return [...rule.between];
  if (rule?.kind === 'inspection') return [rule.actor];
  if (f.actor !== undefined) return [f.actor];
  return rule && 'actor' in rule ? [rule.actor] : [];
}

/** Decides, per finding, whether the reader sees all about its subjects: whether it can re-derive it. */
export function derivable(arrangement: Arrangement, reader: Actor): (f: Finding) => boolean {
  const sees = new Map<string, boolean>();
  const about = (s: string) => {
    let v = sees.get(s);
    if (v === undefined) sees.set(s, (v = seesAllAbout(arrangement.policy, arrangement.actors, reader, s)));
    return v;
  };
  return (f) => {
    const subjects = findingSubjects(f, arrangement.ruleById.get(f.rule));
    return subjects.length > 0 && subjects.every(about);
  };
}

/** The filed reports the reader reads in full, in record order. */
export function sliceFor(arrangement: Arrangement, reader: Actor, filed: readonly Filed[]): Filed[] {
  return filed.filter((f) => readsInFull(arrangement.policy, reader, contentOfReport(f.author, f.report, f.notifier)));
}
