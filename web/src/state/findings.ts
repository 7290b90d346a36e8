// Findings as they arrive (GET …/findings, then the event stream), folded into
// occurrences: one per subject from the transition that opens it (open, due) to the
// one that ends it (closed, fulfilled). The subject is the monitor's own subjectKey, so
// "the same finding" means here what it means to the engine. Times are the findings'
// own (report time, or the deadline), which is what the timeline scrubs through.
import { subjectKey, subjectText } from '../../../src/monitor/findings.ts';
import type { BookedFindingView } from '../api/types.ts';

export interface Occurrence {
  key: string;
  /** every transition of this occurrence, in order */
  transitions: BookedFindingView[];
  first: BookedFindingView;
  last: BookedFindingView;
  /** ms; null when the opening transition was not seen (only its end) */
  opened: number | null;
  /** ms; null while it lasts */
  ended: number | null;
  subject: string;
}

const STARTS = new Set(['open', 'due']);
const ENDS = new Set(['closed', 'fulfilled']);

export function isOpen(o: Occurrence): boolean {
  return o.ended === null;
}

/** Open at time t (ms): opened by then and not yet ended. */
export function openAt(o: Occurrence, t: number): boolean {
  return (o.opened === null || o.opened <= t) && (o.ended === null || o.ended > t);
}

export class FindingsStore {
  readonly occurrences: Occurrence[] = [];
  private readonly current = new Map<string, Occurrence>();
  private readonly seen = new Set<number>();
  lastSeq = 0;
  /** earliest and latest finding time seen (ms) */
  minTime = Infinity;
  maxTime = -Infinity;
  /** bumped on every change, so views can tell whether to redraw */
  version = 0;

  /** Adds a transition; false if it was seen already (a replay after reconnecting). */
  add(b: BookedFindingView): boolean {
    if (this.seen.has(b.seq)) return false;
    this.seen.add(b.seq);
    this.lastSeq = Math.max(this.lastSeq, b.seq);
    const t = Date.parse(b.time);
    if (Number.isFinite(t)) {
      this.minTime = Math.min(this.minTime, t);
      this.maxTime = Math.max(this.maxTime, t);
    }
    // The finding kind joins the key: a separation alert and the loss it turns into share rule and units.
    const key = `${b.finding}|${subjectKey(b)}`;
    let o = this.current.get(key);
    // A change of confidence (confidence_was) repeats the state of a finding that lasts: it continues it.
    if (o && STARTS.has(b.state) && b.confidence_was === undefined) {
      // A new opening while one lasts: the earlier one is over as far as we can tell.
      o.ended ??= t;
      this.current.delete(key);
      o = undefined;
    }
    if (!o) {
      o = { key, transitions: [], first: b, last: b, opened: STARTS.has(b.state) ? t : null, ended: null, subject: subjectText(b) };
      this.occurrences.push(o);
      this.current.set(key, o);
    }
    o.transitions.push(b);
    o.last = b;
    if (ENDS.has(b.state)) {
      o.ended = t;
      this.current.delete(key);
    }
    this.version++;
    return true;
  }
}

/**
 * Does the occurrence concern this actor: named as its actor, or owning one of its
 * units (unitActor knows the owners of units seen in the posture).
 */
export function concerns(o: Occurrence, actor: string, unitActor: (unit: string) => string | undefined): boolean {
  for (const b of o.transitions) {
    if (b.actor === actor) return true;
    for (const u of b.units ?? []) if (unitActor(u) === actor) return true;
  }
  return false;
}
