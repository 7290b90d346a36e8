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
export function findingSubjects(f: Finding, rule: Rule | undefined, rules?: ReadonlyMap<string, Rule>): string[] {
  if (rule?.kind === 'separation') return [...rule.between];
  if (rule?.kind === 'inspection') return [rule.actor];
  // A commitment's clock waits on the one it comes `after`: that one's subject is this one's too.
  if (rule?.kind === 'commitment') {
    const out = new Set([rule.actor]);
    for (let r: Rule | undefined = rule; r?.kind === 'commitment' && r.after !== undefined; ) {
      r = rules?.get(r.after);
      if (!r || out.has(`\0${r.id}`)) break;
      out.add(`\0${r.id}`);
      if (r.kind === 'commitment') out.add(r.actor);
    }
    return [...out].filter((s) => !s.startsWith('\0'));
  }
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
    // A rule the reader's arrangement lacks (added by a text announced later) it cannot judge.
    const rule = arrangement.ruleById.get(f.rule);
    if (!rule) return false;
    const subjects = findingSubjects(f, rule, arrangement.ruleById);
    return subjects.length > 0 && subjects.every(about);
  };
}

/** The filed reports the reader reads in full, in record order. */
export function sliceFor(arrangement: Arrangement, reader: Actor, filed: readonly Filed[]): Filed[] {
  return filed.filter((f) => readsInFull(arrangement.policy, reader, contentOfReport(f.author, f.report, f.notifier)));
}

/** A reader's check of the server's findings against its own engine. */
export interface ReaderCheck {
  /** server findings the reader re-derived identically */
  checked: Finding[];
  /** server findings about subjects the reader does not see all about, with the refs of the reports it cannot read */
  notCheckable: { finding: Finding; hidden: number[] }[];
  /** findings the server published that the reader's engine does not reproduce */
  missing: Finding[];
  /** findings the reader's engine derives that the server did not publish */
  extra: Finding[];
}

/** A transition as compared: the report that triggered it named only when the reader can read it (a deadline passes at whichever report came next). */
export function comparable(f: Finding, readableIds: ReadonlySet<string>): Finding {
  if (f.report === undefined || readableIds.has(f.report)) return f;
  const { report: _, ...rest } = f;
  return rest;
}

function keyOf(f: Finding): string {
  return JSON.stringify(f, Object.keys(f).sort());
}

/**
 * Compares the server's findings with those the reader's engine derived from its slice
 * (reports it reads pushed, the others only ticked at their time): equal where the
 * reader sees all about the finding's subjects, the rest listed as not checkable by it.
 */
export function compareDerived(
  arrangement: Arrangement,
  reader: Actor,
  server: readonly Finding[],
  derived: readonly Finding[],
  readable: { refs: ReadonlySet<number>; ids: ReadonlySet<string> },
): ReaderCheck {
  const isD = derivable(arrangement, reader);
  const pending = new Map<string, Finding[]>();
  for (const f of derived) {
    if (!isD(f)) continue;
    const k = keyOf(comparable(f, readable.ids));
    const l = pending.get(k);
    if (l) l.push(f);
    else pending.set(k, [f]);
  }
  const out: ReaderCheck = { checked: [], notCheckable: [], missing: [], extra: [] };
  for (const f of server) {
    if (!isD(f)) {
      out.notCheckable.push({ finding: f, hidden: (f.basis ?? []).filter((r) => !readable.refs.has(r)) });
      continue;
    }
    const l = pending.get(keyOf(comparable(f, readable.ids)));
    if (l?.length) {
      l.shift();
      out.checked.push(f);
    } else out.missing.push(f);
  }
  for (const l of pending.values()) out.extra.push(...l);
  return out;
}
