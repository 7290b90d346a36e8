// The talks' deadline in one line. Once the round's text is announced what matters is how
// it stood to the deadline, said neutrally when it came before ("announced 3 days before
// the deadline"); red only while a deadline passes unannounced, or for a late text.
import type { GapReport, TalksView } from '../api/types.ts';
import { formatDuration, formatTime, t } from '../i18n/i18n.ts';
import { localized } from '../i18n/localized.ts';
import { factsFromView } from '../../../src/talks/may-now.ts';

/** The text and whether it is late, for the view fetched `fetchedAt` (ms) and the time `now`. */
export function deadlineLine(view: TalksView | undefined, gap: GapReport | undefined, fetchedAt: number, now = Date.now()): { text: string; late: boolean } {
  const dl = view?.deadline ?? null;
  const meeting = dl?.meeting
    ? t('deadline.meeting', { title: localized(dl.meeting.title), place: localized(dl.meeting.place), time: formatTime(dl.meeting.at) })
    : '';
  const facts = view ? factsFromView(view) : null;
  if (facts?.announced && facts.deadline !== null) {
    const diff = facts.deadline - facts.announced.time;
    const p = { round: String(facts.round), time: formatTime(facts.deadline), meeting, ahead: formatDuration(diff), late: formatDuration(-diff) };
    const before = diff >= 0;
    const key = facts.round > 1 ? (before ? 'draft.roundDeadlineBefore' : 'draft.roundDeadlineAfter') : before ? 'draft.deadlineBefore' : 'draft.deadlineAfter';
    return { text: t(key, p), late: !before };
  }
  if (facts?.announced) return { text: '', late: false };
  if (dl && dl.round > 1 && dl.at !== null) {
    const left = Date.parse(dl.at) - now;
    const p = { round: String(dl.round), time: formatTime(dl.at), meeting, left: formatDuration(left) };
    return { text: t(left >= 0 ? 'deadline.roundLeft' : 'deadline.roundPassed', p), late: left < 0 };
  }
  if (!gap || gap.announce_by === null || gap.time_left_ms === null) return { text: '', late: false };
  const left = gap.time_left_ms - (now - fetchedAt);
  const p = { time: formatTime(gap.announce_by), meeting, left: formatDuration(left), ago: formatDuration(-left) };
  return { text: t(left >= 0 ? 'deadline.left' : 'deadline.passed', p), late: left < 0 };
}
