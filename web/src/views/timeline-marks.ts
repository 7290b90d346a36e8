// Where the timeline marks findings: one mark per occurrence at the time it opened, placed
// as a fraction of the span. A long record holds thousands of findings, more than the
// slider has pixels, so marks are kept one per kind per slot of the span, where the kinds
// are separation alert, loss and any other finding: an alert and the loss it turns into
// minutes later share a slot over a span of months, and each is a moment people look for.
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
  const kept = new Map<string, TimelineMark>();
  for (const o of occurrences) {
    if (o.opened === null || o.opened < first || o.opened > last) continue;
    const fraction = (o.opened - first) / width;
    const slot = Math.min(slots - 1, Math.floor(fraction * slots));
    const finding = o.first.finding;
    const mark = { time: o.opened, fraction, finding, alert: isAlert(finding), occurrence: o };
    const key = `${slot}|${mark.alert ? finding : ''}`;
    const was = kept.get(key);
    // Among the same kind in a slot, the latest opened: the newest story.
    if (!was || mark.time > was.time) kept.set(key, mark);
  }
  return [...kept.values()].sort((a, b) => a.time - b.time);
}
