// Why a talks form cannot be used now, in the reader's words: the round order's answer
// (src/talks/may-now.ts, the function the server's decider asks) over the facts the
// actor's view of the talks holds.
import type { TalksView } from '../api/types.ts';
import { formatTime, t } from '../i18n/i18n.ts';
import type { CommandKind } from '../../../src/talks/limits.ts';
import { factsFromView, roundBlocker } from '../../../src/talks/may-now.ts';

export function blockedBecause(view: TalksView, kind: CommandKind, now = Date.now()): string | null {
  const b = roundBlocker(factsFromView(view), kind, now);
  if (!b) return null;
  const round = String(b.round);
  switch (b.code) {
    case 'announced':
      return `${t('tf.announced')} ${t('draft.blocked.announced', { draft: String(b.draft), time: formatTime(b.time ?? null) })}`;
    case 'deadline-passed':
      return t('draft.blocked.deadline', { round, time: formatTime(b.time ?? null) });
    case 'no-draft':
      return t('draft.blocked.noDraft', { round });
    case 'round-open':
      return t('draft.blocked.roundOpen', { round });
  }
}
