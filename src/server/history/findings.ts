// Findings at a time or over a window, from the findings book: the transitions the
// engine made from the record's reports, each with its record address (`at`) and
// basis, the same transitions the log's `findings` statements hold, as the reader may
// read them (the findings disclosure; a triggering report's id only to its readers).
import { parseTime } from '../../arrangement/time.ts';
import { type Finding, subjectKey } from '../../monitor/findings.ts';
import type { Actor } from '../../policy/policy.ts';
import type { JsonObject } from '../../record/canonical.ts';
import type { BookedFinding } from '../findings-book.ts';
import { bookPages, type FindingReader } from './visible-findings.ts';

const timeOf = (f: Finding): number => parseTime(f.time);

const isOpen = (state: string) => state === 'open' || state === 'overdue';

/** The findings open at `at` (ms): per subject, its latest transition dated at or before `at`, if that left it open. */
export function findingsOpenAt(src: FindingReader, reader: Actor, at: number): JsonObject[] {
  const last = new Map<string, BookedFinding>();
  for (const b of bookPages(src.book)) {
    if (!src.readsFinding(reader, b.actors)) continue;
    if (!(timeOf(b.finding) <= at)) continue;
    last.set(subjectKey(b.finding), b);
  }
  return [...last.values()]
    .filter((b) => isOpen(b.finding.state))
    .sort((a, b) => a.seq - b.seq)
    .map((b) => src.findingView(reader, b));
}

/** The transitions dated in [from, to] (ms), in book order. */
export function* findingsBetween(src: FindingReader, reader: Actor, from: number, to: number): Generator<JsonObject> {
  for (const b of bookPages(src.book)) {
    const t = timeOf(b.finding);
    if (!(t >= from && t <= to)) continue;
    if (!src.readsFinding(reader, b.actors)) continue;
    yield src.findingView(reader, b);
  }
}
