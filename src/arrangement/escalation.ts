// The escalation ladder of an unacknowledged notice (docs/escalation.md): read from a
// notice rule's `escalation`, or from the arrangement's, which every notice rule with an
// acknowledgement duty and no ladder of its own takes.
import type { IssueList, PathPart } from './issues.ts';
import { duration, list, obj, str } from './read.ts';
import type { Actor, EscalationStep } from './types.ts';

/** The words a step may name instead of an actor id. */
export const ESCALATION_WORDS = ['notified', 'mediator', 'guarantor'] as const;

/** Reads a ladder; issues name the step and field at fault. */
export function escalation(v: unknown, path: PathPart[], out: IssueList, actors: ReadonlyMap<string, Actor>): EscalationStep[] | undefined {
  const l = list(v, path, out, { nonEmpty: true });
  if (!l) return undefined;
  const before = out.issues.length;
  const steps: EscalationStep[] = [];
  l.forEach((x, i) => {
    const at = [...path, i];
    const o = obj(x, at, out, ['to', 'after']);
    if (!o) return;
    const to = str(o.to, [...at, 'to'], out);
    const afterMs = duration(o.after, [...at, 'after'], out, { positive: true });
    if (to !== undefined) {
      const word = (ESCALATION_WORDS as readonly string[]).includes(to);
      if (!word && !actors.has(to)) out.add([...at, 'to'], `unknown actor "${to}" (expected an actor id or one of: ${ESCALATION_WORDS.join(', ')})`);
      // A rung that reaches nobody would leave the notice climbing in silence.
      else if (word && to !== 'notified' && ![...actors.values()].some((a) => a.role === to))
        out.add([...at, 'to'], `the arrangement has no ${to} to escalate to`);
    }
    const prev = steps.at(-1);
    if (afterMs !== undefined && prev !== undefined && afterMs <= prev.afterMs)
      out.add([...at, 'after'], 'each step must come after the one before it (after counts from the ack deadline)');
    if (to !== undefined && afterMs !== undefined) steps.push({ to, afterMs });
  });
  return out.issues.length === before ? steps : undefined;
}

/** The actors a step reaches, as of now: `missing` are those still to acknowledge. */
export function stepActors(to: string, actors: readonly Actor[], missing: readonly string[]): string[] {
  if (to === 'notified') return [...missing].sort();
  if (to === 'mediator' || to === 'guarantor') return actors.filter((a) => a.role === to).map((a) => a.id);
  return [to];
}
