// Where the timeline marks findings: one mark per occurrence at the time it opened, placed
// as a fraction of the span. A long record holds thousands of findings, more than the
// slider has pixels, so marks are kept one per slot of the span; a separation alert or
// loss is kept over any other finding in its slot, since it is the moment people look for.
import type { Occurrence } from '../state/findings.ts';

export interface TimelineMark {
  /** where the finding opened, ms */
  time: number;
  /** 0 at the span's start, 1 at its end */
  fraction: number;
  finding: string;
  /** a separation alert or loss */
  alert: boolean;
  occurrence: Occurrence;
}

/** Slots across the span: a mark every quarter of a percent at most. */
export const SLOTS = 400;

const isAlert = (finding: string) => finding === 'separation' || finding === 'loss';

export function timelineMarks(occurrences: readonly Occurrence[], first: number, last: number, slots = SLOTS): TimelineMark[] {
  const width = last - first;
  if (!(width > 0)) return [];
  const kept = new Map<number, TimelineMark>();
  for (const o of occurrences) {
    if (o.opened === null || o.opened < first || o.opened > last) continue;
    const fraction = (o.opened - first) / width;
    const slot = Math.min(slots - 1, Math.floor(fraction * slots));
    const finding = o.first.finding;
    const mark = { time: o.opened, fraction, finding, alert: isAlert(finding), occurrence: o };
    const was = kept.get(slot);
    // In a slot: an alert over anything else; among equals, the latest opened (the newest story).
    if (!was || (mark.alert && !was.alert) || (mark.alert === was.alert && mark.time > was.time)) kept.set(slot, mark);
  }
  return [...kept.values()].sort((a, b) => a.time - b.time);
}
